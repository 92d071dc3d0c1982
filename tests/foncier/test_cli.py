"""The `foncier` command line, run in-process against throwaway databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from foncier.cli import main
from tests.conftest import create_database, drop_database


@pytest.fixture
def scratch_db(server_url: str) -> Iterator[str]:
    url = create_database(server_url, prefix="foncier_cli")
    yield url
    drop_database(url)


def run(*args: str, url: str, state: Path | None = None) -> Result:
    env = {"DATABASE_URL": url}
    if state is not None:
        env["FONCIER_STATE_DIR"] = str(state)
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_with_database_url_nothing_local_starts(empty_db: str, tmp_path: Path) -> None:
    state = tmp_path / ".foncier"
    up = run("db", "up", url=empty_db, state=state)
    assert up.exit_code == 0
    assert "DATABASE_URL est défini : aucune base locale n'est démarrée." in up.output
    assert not state.exists()
    status = run("db", "status", url=empty_db, state=state)
    assert "Base externe" in status.output and not state.exists()


def test_the_demo_pipeline(scratch_db: str) -> None:
    assert "révision 0002" in run("db", "upgrade", url=scratch_db).output
    refused = run("demo", "load", url=scratch_db)
    assert refused.exit_code == 1
    assert "Les communes ne sont pas chargées" in refused.output
    for _ in range(2):
        loaded = run("reference", "load", url=scratch_db)
        assert loaded.exit_code == 0
        assert "28 communes, 23 QPV, 138 friches" in loaded.output
    demo = run("demo", "load", url=scratch_db)
    assert "Démo : 300 locaux, 200 acteurs" in demo.output
    again = run("demo", "load", url=scratch_db)
    assert "Démo : 0 locaux, 0 acteurs, 0 besoins créés" in again.output
    cleared = run("demo", "clear", url=scratch_db)
    assert "Démo supprimée : 300 locaux, 200 acteurs" in cleared.output
