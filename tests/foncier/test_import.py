"""Importing spreadsheets: all-or-nothing, --skip-invalid with a rejects file, no duplicates,
references per source file, a geocoder outage met once."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from foncier.exports import export_records
from foncier.geocoding import Geocoder
from foncier.imports.service import import_file, source_of
from foncier.models import Local
from foncier.registry import KINDS, create
from tests.ban_server import ban_server
from tests.factories import MESSY, count_premises, premises

PREMISES = KINDS["premises"]
SOURCE = "tests-import"


@pytest.fixture
def messy_csv(tmp_path: Path) -> Path:
    path = tmp_path / "locaux AIS.csv"
    path.write_bytes(MESSY.encode("cp1252"))
    return path


def imported(session: Session) -> list[str]:
    return list(
        session.scalars(select(Local.ref).where(Local.source == SOURCE).order_by(Local.ref))
    )


def test_one_bad_row_and_nothing_is_written(session: Session, messy_csv: Path) -> None:
    report = import_file(session, PREMISES, messy_csv, "t", source=SOURCE)
    assert not report.written and imported(session) == []
    rejected = {row.line: " ".join(row.errors) for row in report.rejected}
    assert set(rejected) == {3, 5, 6}
    assert "Surface (m²)" in rejected[3] and "« cent »" in rejected[3]
    assert "loyer_m2_an" in rejected[5] and "« -5 »" in rejected[5]
    assert "« 31/02/2027 »" in rejected[6]
    assert report.count("créé") == 2  # what would have been created had all rows been good


def test_skip_invalid_writes_good_rows_and_a_rejects_file(
    session: Session, messy_csv: Path
) -> None:
    report = import_file(session, PREMISES, messy_csv, "t", source=SOURCE, skip_invalid=True)
    assert report.written and imported(session) == ["IMP-1", "IMP-5"]
    chartrons = session.scalars(
        select(Local).where(Local.source == SOURCE, Local.ref == "IMP-1")
    ).one()
    assert chartrons.surface_m2 == 120.5 and chartrons.acces_pmr is True
    assert chartrons.commune_insee == "33063" and chartrons.origine == "partenaire"
    assert report.rejects_file is not None
    with report.rejects_file.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0][-1] == "erreurs" and rows[0][0] == "Référence"
    assert [r[0] for r in rows[1:]] == ["IMP-2", "IMP-3", "IMP-4"]
    assert "« cent »" in rows[1][-1]


def test_importing_twice_updates_never_duplicates(session: Session, messy_csv: Path) -> None:
    import_file(session, PREMISES, messy_csv, "t", source=SOURCE, skip_invalid=True)
    count = session.scalar(select(func.count()).select_from(Local))
    again = import_file(session, PREMISES, messy_csv, "t", source=SOURCE, skip_invalid=True)
    assert again.count("créé") == 0 and again.count("inchangé") == 2
    assert session.scalar(select(func.count()).select_from(Local)) == count
    changed = messy_csv.read_bytes().decode("cp1252").replace(";180;", ";175;")
    messy_csv.write_bytes(changed.encode("cp1252"))
    third = import_file(session, PREMISES, messy_csv, "t", source=SOURCE, skip_invalid=True)
    assert third.count("mis à jour") == 1
    assert (
        session.scalars(
            select(Local.loyer_m2_an).where(Local.source == SOURCE, Local.ref == "IMP-1")
        ).one()
        == 175
    )


def test_dry_run_writes_nothing(session: Session, messy_csv: Path) -> None:
    report = import_file(
        session, PREMISES, messy_csv, "t", source=SOURCE, dry_run=True, skip_invalid=True
    )
    assert not report.written and imported(session) == []
    assert [row.action for row in report.rows] == ["créé", "rejeté", "rejeté", "rejeté", "créé"]


def test_needs_link_to_their_actors_by_reference(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "besoins.csv"
    path.write_text(
        "Réf;Acteur;Intitulé;Types de locaux;Surface min;Surface max;Communes souhaitées;"
        "Emménagement au plus tôt\n"
        "B-1;DEMO-A-0001;Atelier vélo;atelier, entrepôt;100;180;33063;01/06/2027\n"
        "B-2;INCONNU;Bureaux;bureaux;20;40;33063;01/06/2027\n",
        encoding="utf-8",
    )
    report = import_file(session, KINDS["needs"], path, "t", source=SOURCE, skip_invalid=True)
    assert [row.action for row in report.rows] == ["créé", "rejeté"]
    assert "aucun acteur ne porte cette référence" in report.rows[1].errors[0]


def test_an_export_reimported_updates_never_duplicates(session: Session, tmp_path: Path) -> None:
    create(session, PREMISES, premises(nom="Saisi à la main"), "t")
    path = tmp_path / "export.csv"
    export_records(session, PREMISES, path, {"source": "saisie"})
    before = count_premises(session)
    report = import_file(session, PREMISES, path, "t", skip_invalid=True)
    assert report.count("créé") == 0 and report.count("inchangé") >= 1
    assert count_premises(session) == before


def test_two_files_do_not_share_references_by_default(session: Session, tmp_path: Path) -> None:
    header = "N°;Nom;Type;Surface;Disponible le;Longitude;Latitude;Origine\n"
    first, second = tmp_path / "agence nord.csv", tmp_path / "agence sud.csv"
    first.write_text(header + "1;Bureau A;bureau;50;01/01/2027;-0,57;44,84;partenaire\n")
    second.write_text(header + "1;Atelier B;atelier;90;01/01/2027;-0,56;44,83;partenaire\n")
    assert source_of(first) == "import:agence-nord"
    import_file(session, PREMISES, first, "t")
    report = import_file(session, PREMISES, second, "t")
    assert report.count("créé") == 1
    names = set(session.scalars(select(Local.nom).where(Local.ref == "1")))
    assert names == {"Bureau A", "Atelier B"}


def test_an_outage_stops_calling_the_geocoder_during_an_import(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "adresses.csv"
    rows = "".join(
        f"A{i};Local {i};bureau;50;01/01/2027;{i} rue Sainte-Catherine Bordeaux;partenaire\n"
        for i in range(5)
    )
    path.write_text("Réf;Nom;Type;Surface;Disponible le;Adresse;Origine\n" + rows)
    with ban_server(mode="unavailable") as server:
        report = import_file(session, PREMISES, path, "t", geocoder=Geocoder(server.url, 2))
        calls: list[Any] = server.behaviour.requests
    assert report.count("créé") == 5 and len(calls) == 1


def test_rejects_keep_every_digit_and_the_geometry(session: Session, tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely import Point

    path = tmp_path / "locaux.geojson"
    gpd.GeoDataFrame(
        {
            "ref": ["G-1"],
            "nom": ["Sans surface"],
            "type_local": ["bureau"],
            "loyer_m2_an": [12345.678],
            "disponible_le": ["2027-01-01"],
            "origine": ["partenaire"],
        },
        geometry=[Point(-0.5755, 44.8427)],
        crs=4326,
    ).to_file(path)
    report = import_file(session, PREMISES, path, "t", skip_invalid=True)
    assert report.rejects_file is not None
    lines = report.rejects_file.read_text(encoding="utf-8-sig").splitlines()
    header, row = lines[0].split(";"), lines[1].split(";")
    cells = dict(zip(header, row, strict=False))
    assert cells["loyer_m2_an"] == "12345,678"
    assert cells["lon"] == "-0,5755" and cells["lat"] == "44,8427"
