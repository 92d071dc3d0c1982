"""The `foncier` command line, run in-process against throwaway databases."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from foncier.cli import main
from foncier.db import migrate
from foncier.french import read_number
from tests.databases import create_database, drop_database
from tests.factories import foncier_cli


@pytest.fixture
def scratch_db(server_url: str) -> Iterator[str]:
    url = create_database(server_url, prefix="foncier_cli")
    yield url
    drop_database(url)


def test_with_database_url_nothing_local_starts(shared_db: str, tmp_path: Path) -> None:
    state = tmp_path / ".foncier"
    up = foncier_cli("db", "up", url=shared_db, state=state)
    assert up.exit_code == 0
    assert "DATABASE_URL est défini : aucune base locale n'est démarrée." in up.output
    assert not state.exists()
    status = foncier_cli("db", "status", url=shared_db, state=state)
    assert "Base externe" in status.output and not state.exists()


@pytest.mark.slow
def test_the_demo_pipeline(scratch_db: str) -> None:
    assert (
        f"révision {migrate.head_revision()}" in foncier_cli("db", "upgrade", url=scratch_db).output
    )
    refused = foncier_cli("demo", "load", url=scratch_db)
    assert refused.exit_code == 1
    assert "Les communes ne sont pas chargées" in refused.output
    for _ in range(2):
        loaded = foncier_cli("reference", "load", url=scratch_db)
        assert loaded.exit_code == 0
        assert "28 communes, 23 QPV, 138 friches" in loaded.output
    demo = foncier_cli("demo", "load", url=scratch_db)
    assert "Démo : 300 locaux, 200 acteurs" in demo.output
    again = foncier_cli("demo", "load", url=scratch_db)
    assert "Démo : 0 locaux, 0 acteurs, 0 besoins créés" in again.output
    cleared = foncier_cli("demo", "clear", url=scratch_db)
    assert "Démo supprimée : 300 locaux, 200 acteurs" in cleared.output


def test_import_command(scratch_db: str, tmp_path: Path) -> None:
    from tests.factories import MESSY

    path = tmp_path / "locaux.csv"
    path.write_bytes(MESSY.encode("cp1252"))
    foncier_cli("db", "upgrade", url=scratch_db)
    foncier_cli("reference", "load", url=scratch_db)
    refused = foncier_cli("import", "premises", str(path), url=scratch_db)
    assert refused.exit_code == 1
    assert "Rien n'a été importé : 3 ligne(s) rejetée(s)" in refused.output
    assert "ligne 3 [IMP-2] rejeté : Colonne « Surface (m²) »" in refused.output
    trial = foncier_cli("import", "premises", str(path), "--dry-run", url=scratch_db)
    assert "Essai à blanc, rien n'est écrit : 2 créé" in trial.output
    done = foncier_cli("import", "premises", str(path), "--skip-invalid", url=scratch_db)
    assert done.exit_code == 0 and "Import terminé : 2 créé" in done.output
    assert (tmp_path / "locaux.rejets.csv").exists()
    again = foncier_cli("import", "premises", str(path), "--skip-invalid", url=scratch_db)
    assert "0 créé, 0 mis à jour, 2 inchangé" in again.output
    bad_map = foncier_cli("import", "premises", str(path), "--map", "Nom", url=scratch_db)
    assert bad_map.exit_code == 2 and "attendu COLONNE=CHAMP" in bad_map.output


def test_export_command(shared_db: str, tmp_path: Path) -> None:
    path = tmp_path / "bureaux bordelais.xlsx"
    done = foncier_cli(
        "export", "premises", str(path), "--commune", "33063", "--type", "bureau", url=shared_db
    )
    assert done.exit_code == 0 and "fiche(s) exportée(s)" in done.output and path.exists()
    bad = foncier_cli(
        "export", "premises", str(tmp_path / "x.csv"), "--type", "chateau", url=shared_db
    )
    assert bad.exit_code == 1 and "« chateau » : Valeurs permises : bureau" in bad.output


def test_export_command_searches_and_sorts_as_the_pages(shared_db: str, tmp_path: Path) -> None:
    path = tmp_path / "entrepots.csv"
    args = ("--recherche", "ENTREPOT", "--tri", "-surface_m2", "--commune", "bordeaux")
    done = foncier_cli("export", "premises", str(path), *args, url=shared_db)
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig")), delimiter=";"))
    areas = [read_number(row["Surface (m²)"]) for row in rows]
    assert rows and all("Entrepôt" in row["Nom"] for row in rows)
    assert areas == sorted(areas, reverse=True)


def test_geocode_pending_command(scratch_db: str) -> None:
    from foncier.db import make_engine, make_sessionmaker
    from foncier.geocoding import Geocoder
    from foncier.registry import KINDS, create
    from tests.ban_server import ban_server, closed_url

    foncier_cli("db", "upgrade", url=scratch_db)
    foncier_cli("reference", "load", url=scratch_db)
    engine = make_engine(scratch_db)
    with make_sessionmaker(engine)() as session:
        pending = create(
            session,
            KINDS["premises"],
            {
                "nom": "Bureaux à géocoder",
                "type_local": "bureau",
                "origine": "partenaire",
                "surface_m2": 50,
                "disponible_le": "2027-01-01",
                "adresse": "Place de la Comédie 33000 Bordeaux",
            },
            "t",
            Geocoder(closed_url(), 1),
        )
    engine.dispose()
    assert pending["geocodage"] == "a_geocoder"
    still_down = foncier_cli("geocode", "pending", url=scratch_db, geocoder=closed_url())
    assert still_down.exit_code == 1 and "encore injoignable" in still_down.output
    with ban_server() as server:
        done = foncier_cli("geocode", "pending", url=scratch_db, geocoder=server.url)
    assert done.exit_code == 0 and "1 fiche(s) géocodée(s)" in done.output


def test_reference_lists_command(scratch_db: str) -> None:
    foncier_cli("db", "upgrade", url=scratch_db)
    added = foncier_cli(
        "listes", "filiere", "sante", "Santé communautaire", "--prioritaire", url=scratch_db
    )
    assert added.exit_code == 0 and "prioritaire" in added.output
    bad = foncier_cli("listes", "forme-juridique", "Mauvais Code", "X", url=scratch_db)
    assert bad.exit_code == 1 and "« Mauvais Code » : de 2 à 32 caractères" in bad.output


HIGHS_LINE = b"HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();\n"


def test_match_json_stays_parseable_when_the_solver_prints(
    scratch_db: str, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """HiGHS prints that line with C printf now and then, whatever its options: a stand-in
    solver prints it the same way (C stdio, file descriptor 1) on every call."""
    import ctypes
    import json

    from matching import _lp
    from matching import allocation as alloc

    libc = ctypes.CDLL(None)

    def printing(solver: Any) -> Any:
        def solve(*args: Any, **kwargs: Any) -> Any:
            libc.printf(HIGHS_LINE)
            libc.fflush(None)
            return solver(*args, **kwargs)

        return solve

    from scipy.optimize import linprog, milp

    monkeypatch.setattr(_lp, "linprog", printing(linprog))
    monkeypatch.setattr(alloc, "milp", printing(milp))
    for step in (("db", "upgrade"), ("reference", "load"), ("demo", "load")):
        assert foncier_cli(*step, url=scratch_db).exit_code == 0
    capfd.readouterr()
    monkeypatch.setenv("DATABASE_URL", scratch_db)
    monkeypatch.setenv("FONCIER_GEOCODER_URL", "aucun")
    with pytest.raises(SystemExit) as done:
        main.main(["match", "--allocate", "optimal", "--json"], prog_name="foncier")
    assert done.value.code in (0, None)
    out, err = capfd.readouterr()
    result = json.loads(out)
    assert result["allocation"]["assignments"]
    assert HIGHS_LINE.decode() in err  # the solver did print, elsewhere
