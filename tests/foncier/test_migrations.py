"""Migrations run up, down and up again; history is append-only and names the author."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from geoalchemy2 import alembic_helpers
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from foncier.db import make_engine, make_sessionmaker, migrate, unit_of_work
from foncier.models import Base
from tests.databases import create_database, drop_database
from tests.factories import COMEDIE, a_local


@pytest.fixture
def scratch_db(server_url: str) -> Iterator[str]:
    url = create_database(server_url, prefix="foncier_migr")
    yield url
    drop_database(url)


@pytest.mark.slow
def test_upgrade_downgrade_upgrade(scratch_db: str) -> None:
    migrate.upgrade(scratch_db)
    assert migrate.current_revision(scratch_db) == migrate.head_revision()
    migrate.downgrade(scratch_db, "base")
    assert migrate.current_revision(scratch_db) is None
    migrate.upgrade(scratch_db)
    engine = make_engine(scratch_db)
    with engine.connect() as conn:
        tables = set(
            conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
        )
        filieres = conn.scalar(text("SELECT count(*) FROM filieres WHERE prioritaire"))
    engine.dispose()
    assert {
        "communes",
        "qpv",
        "friches",
        "locaux",
        "acteurs",
        "besoins",
        "filieres",
        "historique",
    } <= tables
    assert filieres and filieres > 0


def test_models_match_the_migrations(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": alembic_helpers.include_object}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_history_records_who_and_what_and_cannot_be_changed(engine: Engine) -> None:
    factory = make_sessionmaker(engine)
    with unit_of_work(factory, "agent:camille") as session:
        local = a_local("HIST-1", *COMEDIE)
        session.add(local)
        session.flush()
        local.surface_m2 = 150
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT action, utilisateur, avant ->> 'surface_m2', apres ->> 'surface_m2' "
                "FROM historique WHERE table_name = 'locaux' AND apres ->> 'ref' = 'HIST-1' "
                "ORDER BY id"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("INSERT", "agent:camille", None, "100"),
        ("UPDATE", "agent:camille", "100", "150"),
    ]
    for statement in (
        "UPDATE historique SET utilisateur = 'x'",
        "DELETE FROM historique",
        "TRUNCATE historique",
    ):
        with engine.begin() as conn, pytest.raises(DBAPIError, match="ajout seul"):
            conn.execute(text(statement))
    with unit_of_work(factory, "tests") as session:
        session.execute(text("DELETE FROM locaux WHERE ref = 'HIST-1'"))
