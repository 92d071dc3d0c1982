"""Files as agents and planners have them (issue 10): a spreadsheet without "origine" given the
value once (``--set``), lot uses written in the planners' words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.db import make_engine
from foncier.exports import export_records
from foncier.imports.reading import read_table
from foncier.imports.service import import_file
from foncier.models import Local
from foncier.registry.kinds import ACTORS, NEEDS, PREMISES, Kind
from foncier.schemas.scenario import LotSchema
from tests.conftest import create_database, drop_database
from tests.foncier.test_cli import run


@pytest.fixture
def reference_db(server_url: str) -> Iterator[str]:
    url = create_database(server_url, prefix="foncier_set")
    run("db", "upgrade", url=url)
    run("reference", "load", url=url)
    yield url
    drop_database(url)


def _sheet_without_origin(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Référence", "Nom", "Type", "Surface (m²)", "Disponible le", "Adresse"])
    sheet.append(["SET-1", "Atelier Bastide", "activité", 120, "01/03/2027", None])
    sheet.append(["SET-2", "Bureaux Chartrons", "Bureaux", "85,5", "15/04/2027", None])
    book.save(path)
    return path


def test_a_spreadsheet_without_origin_is_imported_with_set(
    reference_db: str, tmp_path: Path
) -> None:
    path = _sheet_without_origin(tmp_path / "locaux.xlsx")
    refused = run("import", "premises", str(path), url=reference_db)
    assert refused.exit_code == 1 and "origine" in refused.output
    bad = run("import", "premises", str(path), "--set", "origine=voisin", url=reference_db)
    assert bad.exit_code == 1 and "« voisin »" in bad.output
    unknown = run("import", "premises", str(path), "--set", "couleur=bleu", url=reference_db)
    assert unknown.exit_code == 1 and "« couleur » n'est pas un champ" in unknown.output
    done = run(
        "import",
        "premises",
        str(path),
        "--set",
        "origine=offert par un partenaire",
        "--set",
        "statut=disponible",
        url=reference_db,
    )
    assert done.exit_code == 0, done.output
    assert "Import terminé : 2 créé" in done.output
    engine = make_engine(reference_db)
    with engine.connect() as conn:
        stored = conn.execute(select(Local.ref, Local.origine).order_by(Local.ref)).all()
    engine.dispose()
    assert [tuple(r) for r in stored] == [("SET-1", "partenaire"), ("SET-2", "partenaire")]


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("activités/artisanat", "activites"),
        ("Activités / Artisanat", "activites"),
        ("équipement", "equipement"),
        ("EQUIPEMENTS", "equipement"),
        ("Bureaux", "bureaux"),
        ("bureaux", "bureaux"),
        ("commerce", "commerce"),
    ],
)
def test_a_lot_use_is_read_as_planners_write_it(written: str, code: str) -> None:
    lot = {"ref": "A", "use": written, "sdp_m2": 1000, "construction_eur_m2": 1500}
    lot["rent_eur_m2_year" if code != "logement" else "price_eur_m2"] = 150
    lot["yield"] = 0.06
    assert LotSchema().load(lot)["use"] == code


def test_an_unknown_lot_use_names_the_allowed_ones() -> None:
    lot = {"ref": "A", "use": "piscine", "sdp_m2": 1000, "construction_eur_m2": 1500}
    errors = LotSchema().validate(lot)
    assert "Usage inconnu" in errors["use"][0]
    assert "activités/artisanat" in errors["use"][0]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("kind", [PREMISES, ACTORS, NEEDS], ids=lambda kind: kind.name)
def test_an_export_with_french_headers_imports_back_unchanged(
    session: Session, tmp_path: Path, kind: Kind, suffix: str
) -> None:
    path = tmp_path / f"export{suffix}"
    written = export_records(session, kind, path)
    header = read_table(path).headers
    assert "Référence" in header and "ref" not in header  # French headers
    report = import_file(session, kind, path, "tests", dry_run=True)
    assert report.unknown_headers == [h for h in header if report.mapping[h] is None]
    assert report.count("inchangé") == written, [r for r in report.rows if r.action != "inchangé"]
