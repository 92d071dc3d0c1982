"""Regressions found in review: each test fails without its fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from foncier.errors import InvalidInput
from foncier.exports import export_records
from foncier.geocoding import Geocoder
from foncier.imports.service import import_file, source_of
from foncier.models import Acteur, Local
from foncier.registry import KINDS, create, update
from tests.ban_server import ban_server
from tests.foncier.test_registry import premises

PREMISES, NEEDS = KINDS["premises"], KINDS["needs"]


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Local)) or 0


def test_an_export_reimported_updates_never_duplicates(session: Session, tmp_path: Path) -> None:
    create(session, PREMISES, premises(nom="Saisi à la main"), "t")
    path = tmp_path / "export.csv"
    export_records(session, PREMISES, path, {"source": "saisie"})
    before = count(session)
    report = import_file(session, PREMISES, path, "t", skip_invalid=True)
    assert report.count("créé") == 0 and report.count("inchangé") >= 1
    assert count(session) == before


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


def test_the_demo_source_is_reserved(session: Session) -> None:
    with pytest.raises(InvalidInput, match="réservée au jeu de démonstration"):
        create(session, PREMISES, premises(source="demo"), "t")


def test_xlsx_export_writes_text_not_formulas(session: Session, tmp_path: Path) -> None:
    create(session, PREMISES, premises(nom='=HYPERLINK("http://x")', ref="F-1"), "t")
    path = tmp_path / "locaux.xlsx"
    export_records(session, PREMISES, path, {"ref": "F-1"})
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    names = [cell.value for cell in sheet[2]]
    assert '=HYPERLINK("http://x")' in names
    assert all(cell.data_type != "f" for cell in sheet[2])


def test_a_moved_zone_moves_the_need(session: Session) -> None:
    actor = session.scalars(select(Acteur.id).order_by(Acteur.id)).first()
    square = {
        "type": "Polygon",
        "coordinates": [
            [[-0.58, 44.83], [-0.56, 44.83], [-0.56, 44.85], [-0.58, 44.85], [-0.58, 44.83]]
        ],
    }
    need = create(
        session,
        NEEDS,
        {
            "acteur_id": actor,
            "intitule": "Bureaux",
            "types_acceptes": ["bureau"],
            "surface_min_m2": 20,
            "surface_max_m2": 40,
            "emmenagement_au_plus_tot": "2027-01-01",
            "zone_souhaitee": square,
        },
        "t",
    )
    assert need["commune_insee"] == "33063"
    merignac = {
        "type": "Polygon",
        "coordinates": [
            [[-0.66, 44.83], [-0.64, 44.83], [-0.64, 44.845], [-0.66, 44.845], [-0.66, 44.83]]
        ],
    }
    moved = update(session, NEEDS, need["id"], {"zone_souhaitee": merignac, "version": 1}, "t")
    assert moved["commune_insee"] == "33281"


def test_resending_the_same_point_keeps_how_it_was_found(session: Session) -> None:
    with ban_server() as server:
        found = create(
            session,
            PREMISES,
            premises(geometry=None, adresse="Place de la Comédie 33000 Bordeaux"),
            "t",
            Geocoder(server.url, 2),
        )
    point = found["geometry"]
    again = update(
        session,
        PREMISES,
        found["id"],
        {
            "nom": "Renommé",
            "version": 1,
            "geometry": {"type": "Point", "coordinates": [point.x, point.y]},
        },
        "t",
    )
    assert again["geocodage"] == "ban" and again["geocodage_label"] == found["geocodage_label"]


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


def test_an_address_the_ban_would_refuse_is_saved_to_confirm(session: Session) -> None:
    with ban_server() as server:
        saved = create(
            session,
            PREMISES,
            premises(geometry=None, adresse="(bât. B) 3 rue du Port, Bègles"),
            "t",
            Geocoder(server.url, 2),
        )
    assert saved["geocodage"] == "a_confirmer" and saved["geometry"] is None


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
