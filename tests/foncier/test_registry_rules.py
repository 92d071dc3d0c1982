"""More registry rules: needs' life cycle, geometry repair, lots, a geographic import, the source
reserved to the demo, a need following its moved zone."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely import Point, Polygon
from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.errors import InvalidInput
from foncier.imports.service import import_file
from foncier.models import Acteur, Local
from foncier.registry import KINDS, create, update, withdraw
from tests.factories import premises

PREMISES, NEEDS = KINDS["premises"], KINDS["needs"]
SQUARE = [[-0.58, 44.83], [-0.56, 44.83], [-0.56, 44.85], [-0.58, 44.85], [-0.58, 44.83]]


def a_need(session: Session, **overrides: object) -> dict[str, object]:
    actor = session.scalars(select(Acteur.id).order_by(Acteur.id)).first()
    return {
        "acteur_id": actor,
        "intitule": "Atelier",
        "types_acceptes": ["activite"],
        "surface_min_m2": 80,
        "surface_max_m2": 120,
        "emmenagement_au_plus_tot": "2027-01-01",
        "communes_souhaitees": ["33063"],
        **overrides,
    }


def test_life_cycle_of_needs(session: Session) -> None:
    need = create(session, NEEDS, a_need(session), "t")
    with pytest.raises(InvalidInput, match="depuis « ouvert », un besoin peut passer à"):
        update(session, NEEDS, need["id"], {"statut": "satisfait", "version": 1}, "t")
    proposed = update(session, NEEDS, need["id"], {"statut": "en_proposition", "version": 1}, "t")
    done = update(
        session, NEEDS, need["id"], {"statut": "satisfait", "version": proposed["version"]}, "t"
    )
    assert done["statut"] == "satisfait"
    again = update(
        session, NEEDS, need["id"], {"statut": "ouvert", "version": done["version"]}, "t"
    )
    dropped = withdraw(session, NEEDS, need["id"], again["version"], "t")
    assert dropped["statut"] == "abandonne"


def test_a_self_touching_zone_is_repaired_and_a_bow_tie_refused(session: Session) -> None:
    # A ring that closes through its own vertex: the repair keeps the same area.
    touching = [
        [-0.58, 44.83],
        [-0.56, 44.83],
        [-0.56, 44.85],
        [-0.57, 44.83],
        [-0.58, 44.85],
        [-0.58, 44.83],
    ]
    assert not Polygon(touching).is_valid
    repaired = create(
        session,
        NEEDS,
        a_need(
            session,
            communes_souhaitees=[],
            zone_souhaitee={"type": "Polygon", "coordinates": [touching]},
        ),
        "t",
    )
    assert repaired["zone_souhaitee"].is_valid
    bow_tie = [[-0.58, 44.83], [-0.56, 44.85], [-0.56, 44.83], [-0.58, 44.85], [-0.58, 44.83]]
    with pytest.raises(InvalidInput) as caught:
        create(
            session,
            NEEDS,
            a_need(
                session,
                communes_souhaitees=[],
                zone_souhaitee={"type": "Polygon", "coordinates": [bow_tie]},
            ),
            "t",
        )
    assert "redessinez-la" in caught.value.errors["zone_souhaitee"][0]


def test_a_lot_belongs_to_a_site_or_a_building(session: Session) -> None:
    with pytest.raises(InvalidInput, match="Un lot appartient à un site ou un bâtiment"):
        create(session, PREMISES, premises(nature="lot"), "t")
    site = create(session, PREMISES, premises(nature="site", surface_m2=900), "t")
    lot = create(session, PREMISES, premises(nature="lot", parent_id=site["id"]), "t")
    assert session.get(Local, lot["id"]).parent.id == site["id"]  # type: ignore[union-attr]
    with pytest.raises(InvalidInput, match="le parent d'un lot est un site ou un bâtiment"):
        create(session, PREMISES, premises(nature="lot", parent_id=lot["id"]), "t")


def test_a_geopackage_lands_in_the_registry(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "locaux partenaires.gpkg"
    gpd.GeoDataFrame(
        {
            "ref": ["GP-1", "GP-2"],
            "nom": ["Atelier Bacalan", "Bureaux Bastide"],
            "type_local": ["atelier", "bureaux"],
            "surface_m2": [150.0, 60.0],
            "disponible_le": ["2027-01-01", "2027-02-01"],
            "origine": ["partenaire", "mandat"],
        },
        geometry=[Point(-0.5620, 44.8680), Point(-0.5560, 44.8410)],
        crs=4326,
    ).to_crs(2154).to_file(path, layer="locaux")
    report = import_file(session, PREMISES, path, "t")
    assert report.written and report.count("créé") == 2
    stored = session.scalars(select(Local).where(Local.ref.in_(["GP-1", "GP-2"]))).all()
    assert {r.commune_insee for r in stored} == {"33063"}
    assert {r.type_local for r in stored} == {"activite", "bureau"}


def test_the_demo_source_is_reserved(session: Session) -> None:
    with pytest.raises(InvalidInput, match="réservée au jeu de démonstration"):
        create(session, PREMISES, premises(source="demo"), "t")


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
