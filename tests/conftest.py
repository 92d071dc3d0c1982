"""Fixtures: a throwaway PostGIS database per test session, created and dropped here.

The server is the one ``DATABASE_URL`` names, else the embedded cluster (started if need be).
Under CI a skipped test counts as a failure: a database test never skips silently.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Generator, Iterator

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from foncier import config
from foncier.db import make_engine, make_sessionmaker, migrate, unit_of_work


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if os.environ.get("CI") and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"Test ignoré sous CI, ce qui compte comme un échec : {report.longrepr}"
    return report


def _server_url() -> str:
    return config.configured_url() or config.embedded_cluster().up().url()


def _admin_conninfo(url: str, database: str) -> str:
    parsed = make_url(url).set(drivername="postgresql", database=database)
    return parsed.render_as_string(hide_password=False)


def create_database(server_url: str, prefix: str = "foncier_test") -> str:
    """A new empty database with PostGIS on the server of ``server_url``; returns its URL."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(_admin_conninfo(server_url, "postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(_admin_conninfo(url, name), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return url


def drop_database(url: str) -> None:
    name = make_url(url).database or ""
    with psycopg.connect(_admin_conninfo(url, "postgres"), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(scope="session")
def server_url() -> str:
    return _server_url()


@pytest.fixture(scope="session")
def empty_db(server_url: str) -> Iterator[str]:
    """A migrated database with nothing loaded."""
    url = create_database(server_url)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        drop_database(url)


@pytest.fixture(scope="session")
def engine(empty_db: str) -> Iterator[Engine]:
    engine = make_engine(empty_db)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def loaded(engine: Engine) -> Engine:
    """The session database with reference layers and the demo dataset loaded once."""
    from foncier.demo import load_demo
    from foncier.reference import load_reference

    with unit_of_work(make_sessionmaker(engine), "tests") as session:
        load_reference(session, config.reference_data_dir())
        load_demo(session)
    return engine


@pytest.fixture
def session(loaded: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test (savepoints for inner commits)."""
    with loaded.connect() as connection:
        outer = connection.begin()
        factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        with factory() as db_session:
            yield db_session
        outer.rollback()
