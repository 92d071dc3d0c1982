"""Run the Alembic migrations shipped in ``foncier/migrations``."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from foncier.config import PACKAGE_DIR


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(PACKAGE_DIR / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head", *, app_role: str | None = None) -> None:
    """Migrate as the owner of ``url``; then grant ``app_role`` its rights on every table."""
    command.upgrade(alembic_config(url), revision)
    if app_role:
        from foncier.db.roles import grant_application_role

        grant_application_role(url, app_role)


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


def current_revision(url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine, pool
    from sqlalchemy.engine import Connection

    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        conn: Connection = connection
        return MigrationContext.configure(conn).get_current_revision()


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)
