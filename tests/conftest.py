"""Fixtures: throwaway PostGIS databases, created and dropped here (see ``tests/databases.py``).

The server is the one ``DATABASE_URL`` names, else the embedded cluster (started if need be).
The tests outside ``tests/web`` share one copy of the seeded database and roll back their work
(``session``); each web test module gets a copy of its own (``tests/web/conftest.py``), since
its requests commit. Under CI a skipped test counts as a failure: a database test never skips
silently.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from foncier import config
from foncier.db import make_engine
from foncier.scenarios import service
from foncier.scenarios.store import SavedScenario

# The benchmarks import create_database and drop_database from here too.
from tests.databases import create_database, create_seeded_database, drop_database


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if os.environ.get("CI") and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"Test ignoré sous CI, ce qui compte comme un échec : {report.longrepr}"
    return report


@pytest.fixture(scope="session")
def server_url() -> str:
    return config.configured_url() or config.embedded_cluster().up().url()


@pytest.fixture(scope="session")
def seeded_db(server_url: str) -> Iterator[str]:
    """Migrated, with reference layers and demo loaded: only ever copied, never connected to."""
    url = create_seeded_database(server_url)
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def shared_db(server_url: str, seeded_db: str) -> Iterator[str]:
    """The database the tests outside ``tests/web`` share: a copy of the seeded one."""
    url = create_database(server_url, prefix="foncier_test", template=seeded_db)
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def engine(shared_db: str) -> Iterator[Engine]:
    engine = make_engine(shared_db)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def loaded(engine: Engine) -> Engine:
    """The engine of the shared database, with its reference layers and demo dataset."""
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


@pytest.fixture
def computations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The refs of the scenarios whose page was computed (not read back), in order."""
    done: list[str] = []
    compute = service.compute_page

    def counted(session: Session, saved: SavedScenario) -> dict[str, Any]:
        done.append(saved.ref)
        return compute(session, saved)

    monkeypatch.setattr(service, "compute_page", counted)
    return done
