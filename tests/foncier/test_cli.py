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
    env = {"DATABASE_URL": url, "FONCIER_GEOCODER_URL": "aucun"}
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


def test_import_command(scratch_db: str, tmp_path: Path) -> None:
    from tests.foncier.test_import import MESSY

    path = tmp_path / "locaux.csv"
    path.write_bytes(MESSY.encode("cp1252"))
    run("db", "upgrade", url=scratch_db)
    run("reference", "load", url=scratch_db)
    refused = run("import", "premises", str(path), url=scratch_db)
    assert refused.exit_code == 1
    assert "Rien n'a été importé : 3 ligne(s) rejetée(s)" in refused.output
    assert "ligne 3 [IMP-2] rejeté : Colonne « Surface (m²) »" in refused.output
    trial = run("import", "premises", str(path), "--dry-run", url=scratch_db)
    assert "Essai à blanc, rien n'est écrit : 2 créé" in trial.output
    done = run("import", "premises", str(path), "--skip-invalid", url=scratch_db)
    assert done.exit_code == 0 and "Import terminé : 2 créé" in done.output
    assert (tmp_path / "locaux.rejets.csv").exists()
    again = run("import", "premises", str(path), "--skip-invalid", url=scratch_db)
    assert "0 créé, 0 mis à jour, 2 inchangé" in again.output
    bad_map = run("import", "premises", str(path), "--map", "Nom", url=scratch_db)
    assert bad_map.exit_code == 2 and "attendu COLONNE=CHAMP" in bad_map.output
