"""The demo dataset: deterministic, realistic, inside the communes, removable on its own."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from foncier.demo import SOURCE, clear_demo, generate, load_demo
from foncier.demo._catalogue import N_ACTEURS, N_LOCAUX
from foncier.demo._generate import DemoData
from foncier.demo._places import GARONNE_DANS_BORDEAUX, Places
from foncier.geo import to_store
from foncier.identifiers import luhn_valid
from foncier.models import Acteur, Besoin, Local
from foncier.vocabulary import OrigineLocal, TypeLocal
from tests.factories import a_local


@pytest.fixture(scope="module")
def layers(loaded: Engine) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    with loaded.connect() as connection:
        communes = gpd.read_postgis(
            text("SELECT code_insee, nom, population, geom FROM communes ORDER BY code_insee"),
            connection,
            geom_col="geom",
        )
        friches = gpd.read_postgis(
            text(
                "SELECT site_id, nom, statut, activite, surface_m2, commune_insee, geom "
                "FROM friches ORDER BY site_id"
            ),
            connection,
            geom_col="geom",
        )
    return communes, friches


@pytest.fixture(scope="module")
def demo(layers: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]) -> DemoData:
    return generate(*layers)


def frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def test_same_seed_same_records(
    layers: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame], demo: DemoData
) -> None:
    again = generate(*layers)
    assert frame(again.locaux).drop(columns="geom").equals(frame(demo.locaux).drop(columns="geom"))
    assert [r["geom"].wkt for r in again.besoins] == [r["geom"].wkt for r in demo.besoins]
    other = generate(*layers, seed=7)
    assert [r["geom"].wkt for r in other.locaux] != [r["geom"].wkt for r in demo.locaux]


def test_sizes_and_proportions(demo: DemoData) -> None:
    locaux, acteurs, besoins = frame(demo.locaux), frame(demo.acteurs), frame(demo.besoins)
    assert len(locaux) == N_LOCAUX and len(acteurs) == N_ACTEURS
    assert 180 <= len(besoins) <= 240
    kinds = locaux["type_local"].value_counts(normalize=True)
    assert 0.3 < kinds[TypeLocal.BUREAU] < 0.5 and 0.15 < kinds[TypeLocal.ACTIVITE] < 0.35
    assert locaux["divisible"].sum() > 10 and locaux["partageable"].sum() > 20
    assert locaux["disponible_jusqu_au"].notna().sum() > 10  # temporary occupations
    assert acteurs["forme_juridique"].value_counts().index[0] == "association"
    assert set(acteurs["stade"]) == {"emergence", "developpement", "changement_echelle"}
    assert acteurs["siren"].map(luhn_valid).all() and acteurs["siret"].map(luhn_valid).all()
    assert acteurs["siret"].str[:9].equals(acteurs["siren"])
    assert (besoins["surface_max_m2"] >= besoins["surface_min_m2"]).all()


def test_rents_follow_the_published_bordeaux_figures(
    layers: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame], demo: DemoData
) -> None:
    locaux = frame(demo.locaux)
    offices = locaux[locaux["type_local"] == TypeLocal.BUREAU]
    zones = offices["geom"].map(Places(*layers).market_zone)
    new = offices["nom"].str.contains("neufs")
    prime = {"centre": 310, "euratlantique": 230, "peripherie": 170}
    for zone, rent in prime.items():
        rents = offices.loc[new & (zones == zone), "loyer_marche_m2_an"]
        if zone != "euratlantique":  # too few new offices there in 300 premises to average
            assert abs(rents.mean() / rent - 1) < 0.08, zone
        assert (offices.loc[zones == zone, "loyer_marche_m2_an"] <= rent * 1.2).all(), zone
    activity = locaux[locaux["type_local"] == TypeLocal.ACTIVITE]
    assert activity["loyer_marche_m2_an"].between(50, 155).all()
    solidaire = locaux[locaux["origine"].isin([OrigineLocal.FONCIERE, OrigineLocal.MANDAT])]
    discount = 1 - solidaire["loyer_m2_an"] / solidaire["loyer_marche_m2_an"]
    assert discount.between(0.29, 0.71).all()


def test_compatible_brownfields_become_land_premises(
    layers: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame], demo: DemoData
) -> None:
    friches = layers[1]
    expected = set(friches.loc[friches["statut"] == "friche sans projet", "site_id"])
    from_friches = [r for r in demo.locaux if r.get("friche_id")]
    assert {r["friche_id"] for r in from_friches} == expected
    assert all(r["type_local"] is TypeLocal.TERRAIN for r in from_friches)


def test_points_are_inside_communes_and_out_of_the_garonne(
    layers: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame], demo: DemoData
) -> None:
    communes = layers[0]
    metropole = communes.geometry.union_all()
    river = to_store(GARONNE_DANS_BORDEAUX)
    generated = [r["geom"] for r in demo.locaux if not r.get("friche_id")]
    points = generated + [r["geom"] for r in demo.acteurs]
    assert all(metropole.contains(p) for p in points)
    assert min(p.distance(river) for p in points) > 300
    assert min(p.distance(metropole.boundary) for p in points) > 250
    bordeaux = communes.loc[communes["code_insee"] == "33063"].geometry.iloc[0]
    assert 0.15 < np.mean([bordeaux.contains(p) for p in generated]) < 0.5


def test_load_counts_and_demo_marking(session: Session) -> None:
    # Other tests may add records of their own: count the demo's, by its mark.
    demo = select(Local.ref).where(Local.source == SOURCE)
    refs = list(session.scalars(demo))
    assert len(refs) == N_LOCAUX and all(ref.startswith("DEMO-") for ref in refs)
    missing = session.scalar(
        select(func.count()).where(Local.source == SOURCE, Local.commune_insee.is_(None))
    )
    assert missing == 0
    actors = select(func.count()).select_from(Acteur).where(Acteur.source == SOURCE)
    assert session.scalar(actors) == N_ACTEURS


def test_loading_again_creates_nothing_and_keeps_edits(session: Session) -> None:
    local = session.scalars(select(Local).where(Local.ref == "DEMO-L-0001")).one()
    local.nom = "Renommé par un agent"
    session.flush()
    counts = load_demo(session)
    assert (counts.locaux, counts.acteurs, counts.besoins) == (0, 0, 0)
    session.refresh(local)
    assert local.nom == "Renommé par un agent"


def test_clear_removes_the_demo_and_nothing_else(session: Session) -> None:
    session.add(a_local("REEL-1", -0.5755, 44.8427))
    session.flush()
    others = set(session.scalars(select(Local.ref).where(Local.source != SOURCE)))
    counts = clear_demo(session)
    assert counts.locaux == N_LOCAUX and counts.acteurs == N_ACTEURS and counts.besoins > 0
    assert set(session.scalars(select(Local.ref))) == others and "REEL-1" in others
    demo_needs = select(func.count()).select_from(Besoin).where(Besoin.source == SOURCE)
    assert session.scalar(demo_needs) == 0


def test_names_agree_and_group_their_digits(demo: DemoData) -> None:
    """« Boutique ancienne », « Bureaux neufs », « de 5 543 à 10 863 m² » (walkthrough)."""
    names = frame(demo.locaux)["nom"]
    assert names.str.contains("Boutique (?:neuve|récente|ancienne) ").any()
    assert names.str.contains("Bureaux (?:neufs|récents|anciens) ").any()
    wrong = (
        r"Boutique (?:neuf|récent|ancien)s? |Bureaux (?:neuf|récent|ancien) |Local d'activité \w+s "
    )
    assert not names.str.contains(wrong).any()
    titles = frame(demo.besoins)["intitule"]
    assert not titles.str.contains(r"\d{4}").any()
    assert titles.str.contains("\u202f").any()
