"""Two database roles: the owner runs migrations, the application only reads and writes rows.

A superuser (or the tables' owner) can ``ALTER TABLE historique DISABLE TRIGGER`` and then
rewrite the history. The application role owns nothing, so it cannot alter a table or its
triggers, and it may not delete from ``historique`` (the triggers insert as it; an update
is refused by the history's own trigger unless it erases a contact, the right to erasure).
"""

from __future__ import annotations

import psycopg
from psycopg import sql
from sqlalchemy import make_url

from foncier.db import conninfo

# Rows are added, never deleted. UPDATE stays granted on ``historique`` for the right to
# erasure only: its row trigger refuses any other change (migration 0007).
APPEND_ONLY = ("historique", "journal_audit")
# The data's version moves by its trigger only (migration 0014), never by the application.
READ_ONLY = ("alembic_version", "spatial_ref_sys", "version_donnees")


def ensure_role(owner_url: str, role: str, password: str) -> None:
    """Create the login role ``role`` (no DDL, no superuser), or reset its password."""
    with psycopg.connect(conninfo(owner_url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        verb = "ALTER" if exists else "CREATE"
        conn.execute(
            sql.SQL(
                "{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
                "NOBYPASSRLS PASSWORD {}"
            ).format(sql.SQL(verb), sql.Identifier(role), sql.Literal(password))
        )


def grant_application_role(owner_url: str, role: str) -> None:
    """Give ``role`` the rights the application needs on the database of ``owner_url``, and
    no more; run after every migration, since new tables need their grants."""
    statements = [
        "GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {role}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        "GRANT USAGE ON SCHEMA public TO {role}",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {role}",
    ]
    statements += [f"REVOKE DELETE, TRUNCATE ON {table} FROM {{role}}" for table in APPEND_ONLY]
    statements += [
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {table} FROM {{role}}" for table in READ_ONLY
    ]
    database = make_url(owner_url).database or ""
    with psycopg.connect(conninfo(owner_url), autocommit=True) as conn, conn.transaction():
        for statement in statements:
            conn.execute(
                sql.SQL(statement).format(
                    database=sql.Identifier(database), role=sql.Identifier(role)
                )
            )
