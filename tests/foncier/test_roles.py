"""The application role: rows only; it cannot disable the history trigger nor rewrite history."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import errors, sql
from sqlalchemy import make_url, text

from foncier import registry
from foncier.db import conninfo, make_engine, make_sessionmaker, migrate
from foncier.db.roles import ensure_role
from foncier.registry.kinds import ACTORS
from tests.databases import create_database, drop_database


@pytest.fixture(scope="module")
def app_url(server_url: str) -> Iterator[str]:
    """A migrated database, and the URL of an application role granted by the upgrade."""
    owner_url = create_database(server_url, prefix="foncier_roles")
    role, password = f"foncier_app_{secrets.token_hex(3)}", secrets.token_urlsafe(12)
    ensure_role(owner_url, role, password)
    migrate.upgrade(owner_url, app_role=role)
    yield (
        make_url(owner_url)
        .set(username=role, password=password)
        .render_as_string(hide_password=False)
    )
    drop_database(owner_url)
    with psycopg.connect(conninfo(server_url), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def test_the_application_role_writes_rows_and_their_history(app_url: str) -> None:
    """The use cases run unchanged as the application role; the triggers record history."""
    engine = make_engine(app_url)
    try:
        with make_sessionmaker(engine)() as session:
            form, sector = session.execute(
                text("SELECT f.code, l.code FROM formes_juridiques f, filieres l LIMIT 1")
            ).one()
            actor = {
                "nom": "Atelier des rôles",
                "siren": "732829320",
                "forme_juridique": form,
                "filiere": sector,
                "stade": "emergence",
            }
            created = registry.create(session, ACTORS, actor, "tests")
            registry.update(
                session, ACTORS, created["id"], {"nom": "Atelier bis", "version": 1}, "tests"
            )
            entries = registry.history(session, ACTORS, created["id"])
    finally:
        engine.dispose()
    assert [entry["action"] for entry in entries] == ["INSERT", "UPDATE"]


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE historique DISABLE TRIGGER historique_ajout_seul",
        "ALTER TABLE historique DISABLE TRIGGER ALL",
        "ALTER TABLE acteurs DISABLE TRIGGER acteurs_historique",
        "DELETE FROM historique",
        "UPDATE historique SET utilisateur = 'personne'",
        "TRUNCATE historique",
        "DROP TABLE historique",
        "CREATE TABLE autre (n int)",
        "UPDATE alembic_version SET version_num = '0001'",
        "UPDATE version_donnees SET numero = 1",  # kept pages of an older version would show
    ],
)
def test_the_application_role_cannot_touch_the_history(app_url: str, statement: str) -> None:
    with (
        psycopg.connect(conninfo(app_url), autocommit=True) as conn,
        pytest.raises((errors.InsufficientPrivilege, errors.RaiseException)),
    ):
        conn.execute(statement)
    with psycopg.connect(conninfo(app_url)) as conn:
        trigger = conn.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgname = 'historique_ajout_seul'"
        ).fetchone()
    assert trigger == ("O",)  # still enabled
