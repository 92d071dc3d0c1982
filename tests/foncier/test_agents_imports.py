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
from foncier.imports.columns import fields, map_headers
from foncier.imports.reading import read_table
from foncier.imports.service import import_file
from foncier.models import Acteur, Besoin, Local
from foncier.registry import create
from foncier.registry.kinds import ACTORS, NEEDS, PREMISES, Kind
from foncier.schemas.scenario import LotSchema
from foncier.vocabulary import FIELD_LABELS
from tests.databases import create_database, drop_database
from tests.factories import foncier_cli


@pytest.fixture
def reference_db(server_url: str) -> Iterator[str]:
    url = create_database(server_url, prefix="foncier_set")
    foncier_cli("db", "upgrade", url=url)
    foncier_cli("reference", "load", url=url)
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
    refused = foncier_cli("import", "premises", str(path), url=reference_db)
    assert refused.exit_code == 1 and "origine" in refused.output
    bad = foncier_cli("import", "premises", str(path), "--set", "origine=voisin", url=reference_db)
    assert bad.exit_code == 1 and "« voisin »" in bad.output
    unknown = foncier_cli(
        "import", "premises", str(path), "--set", "couleur=bleu", url=reference_db
    )
    assert unknown.exit_code == 1 and "« couleur » n'est pas un champ" in unknown.output
    done = foncier_cli(
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


NEEDS_HEADER = (
    "Réf;Acteur;Intitulé;Types de locaux;Surface min;Surface max;Communes souhaitées;"
    "Emménagement au plus tôt\n"
)


def _needs_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "besoins des acteurs.csv"
    path.write_text(NEEDS_HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def test_communes_are_read_by_name_in_any_case_or_accents(session: Session, tmp_path: Path) -> None:
    path = _needs_file(
        tmp_path,
        "C-1;DEMO-A-0001;Atelier;atelier;100;180;Saint-Médard-en-Jalles, BEGLES;01/06/2027",
        "C-2;DEMO-A-0001;Bureaux;bureaux;20;40;st medard en jalles / le bouscat / 33063;01/06/2027",
        "C-3;DEMO-A-0001;Boutique;commerce;20;40;Bordeaux, Paris, Mérignacq;01/06/2027",
    )
    report = import_file(session, NEEDS, path, "t", skip_invalid=True)
    assert [row.action for row in report.rows] == ["créé", "créé", "rejeté"]
    stored = dict(
        session.execute(
            select(Besoin.ref, Besoin.communes_souhaitees).where(Besoin.ref.in_(["C-1", "C-2"]))
        ).all()
    )
    assert stored == {"C-1": ["33449", "33039"], "C-2": ["33449", "33069", "33063"]}
    bad = report.rows[2]
    assert bad.line == 4
    named = bad.errors[0].split("n'est ni")[0]
    assert "Commune inconnue : « Paris », « Mérignacq »" in named and "Bordeaux" not in named


def test_an_actor_is_named_by_its_siren_or_siret(session: Session, tmp_path: Path) -> None:
    path = _needs_file(
        tmp_path,
        "S-1;483 885 844;Atelier;atelier;100;180;Bordeaux;01/06/2027",
        "S-2;72752861400082;Atelier;atelier;100;180;Bordeaux;01/06/2027",
        # Another establishment of DEMO-A-0001: its SIREN is the first 9 digits.
        "S-3;752 614 776 00099;Atelier;atelier;100;180;Bordeaux;01/06/2027",
        "S-4;999999999;Atelier;atelier;100;180;Bordeaux;01/06/2027",
    )
    report = import_file(session, NEEDS, path, "t", skip_invalid=True)
    assert [row.action for row in report.rows] == ["créé", "créé", "créé", "rejeté"]
    linked = dict(
        session.execute(
            select(Besoin.ref, Acteur.ref)
            .join(Acteur, Acteur.id == Besoin.acteur_id)
            .where(Besoin.ref.like("S-%"))
        ).all()
    )
    assert linked == {"S-1": "DEMO-A-0002", "S-2": "DEMO-A-0003", "S-3": "DEMO-A-0001"}
    assert report.rows[3].line == 5
    assert (
        "« 999999999 » : aucun acteur ne porte cette référence, ce SIREN"
        in (report.rows[3].errors[0])
    )


def test_a_siren_two_actors_share_is_refused_as_ambiguous(session: Session, tmp_path: Path) -> None:
    twin = {"nom": "Jumeau", "siren": "752614776", "forme_juridique": "association"}
    create(session, ACTORS, {**twin, "filiere": "mobilite", "stade": "emergence"}, "t")
    path = _needs_file(tmp_path, "T-1;752614776;Atelier;atelier;100;180;Bordeaux;01/06/2027")
    report = import_file(session, NEEDS, path, "t", skip_invalid=True)
    assert report.rows[0].action == "rejeté"
    assert "plusieurs acteurs portent ce SIREN (" in report.rows[0].errors[0]
    assert "DEMO-A-0001" in report.rows[0].errors[0]


@pytest.mark.parametrize("kind", [PREMISES, ACTORS, NEEDS], ids=lambda k: k.name)
def test_a_column_headed_like_a_field_label_is_mapped(kind: Kind) -> None:
    known = set(fields(kind.name))  # type: ignore[arg-type]
    labels = {FIELD_LABELS[name]: name for name in known if name in FIELD_LABELS}
    assert len(labels) > 5
    assert map_headers(list(labels), kind.name) == labels  # type: ignore[arg-type]
