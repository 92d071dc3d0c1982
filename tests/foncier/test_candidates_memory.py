"""The in-memory candidate search (``matching.candidates``, fed by one read of each table)
gives the very frame the candidate query gives: on the demo, and on generated records that sit
on the edges (money exactly at the ceiling or a cent off it, divisible premises without a
minimum lot, purchase needs, wished zones as communes, a drawn polygon or a circle, needs with
no maximum distance, temporary occupations, must-haves).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
from geoalchemy2.shape import from_shape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely import MultiPolygon, Point
from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.geo import STORE_SRID
from foncier.matching.candidates import Scope, memory_batches, sql_batches
from foncier.matching.stored_settings import current_settings
from foncier.models import Acteur, Besoin, Local
from matching.settings import Settings

HERE = (417_000.0, 6_421_000.0)  # Bordeaux, Lambert-93
DAY0 = date(2026, 9, 1)
KINDS = ["bureau", "activite", "commerce"]
FEATURES = ["acces_pmr", "rez_de_chaussee", "erp"]
BUDGETS = [60, 73, 80, 97, 100]  # whole euros, ceilings missed by floats at some tolerances
PRICES = [1000, 1300, 2100]


def whole(batches: Any) -> pd.DataFrame:
    return pd.concat(list(batches), ignore_index=True)


def test_the_demo_gives_the_same_frame_both_ways(session: Session) -> None:
    settings = current_settings(session)
    by_sql = whole(sql_batches(session, settings))
    assert len(by_sql) > 20  # the demo does match
    pd.testing.assert_frame_equal(whole(memory_batches(session, settings)), by_sql)


# --- generated records -----------------------------------------------------------------------

offsets = st.tuples(st.integers(-1500, 1500), st.integers(-1500, 1500))


@st.composite
def needs(draw: st.DrawFn) -> dict[str, Any]:
    low = float(draw(st.integers(20, 200)))
    earliest = DAY0 + timedelta(days=draw(st.integers(-30, 60)))
    return {
        "types_acceptes": draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=2)),
        "modes_occupation": draw(
            st.lists(st.sampled_from(["location", "achat", "occupation_temporaire"]), max_size=3)
        ),
        "surface_min_m2": low,
        "surface_max_m2": low * draw(st.sampled_from([1.0, 1.5, 2.0])),
        "budget_loyer_m2_an": draw(st.none() | st.sampled_from(BUDGETS).map(float)),
        "budget_achat_m2": draw(st.none() | st.sampled_from(PRICES).map(float)),
        "zone": draw(st.sampled_from(["communes", "drawn", "circle", "centre"])),
        "distance_max_m": draw(st.none() | st.sampled_from([300.0, 1000.0, 2500.0])),
        "emmenagement_au_plus_tot": earliest,
        "emmenagement_au_plus_tard": draw(st.none() | st.just(earliest + timedelta(days=90))),
        "criteres_obligatoires": draw(st.lists(st.sampled_from(FEATURES), max_size=1)),
        "at": draw(offsets),
    }


@st.composite
def premises(draw: st.DrawFn, tolerance_pct: int) -> dict[str, Any]:
    area = float(draw(st.integers(15, 400)))
    divisible = draw(st.booleans())
    start = DAY0 + timedelta(days=draw(st.integers(-60, 200)))
    # A rent at some budget's ceiling (the decimal one, as a person computes it), a cent off.
    ceiling = draw(st.sampled_from(BUDGETS)) * (100 + tolerance_pct) / 100
    cent = draw(st.sampled_from([-0.01, 0.0, 0.01]))
    charges = draw(st.none() | st.sampled_from([0.0, 12.5]))
    sale = draw(st.sampled_from(PRICES)) * (100 + tolerance_pct) / 100 + cent
    return {
        "type_local": draw(st.sampled_from(KINDS)),
        "surface_m2": area,
        "divisible": divisible,
        "surface_lot_min_m2": draw(st.none() | st.just(area / 4)) if divisible else None,
        "partageable": draw(st.booleans()),
        "loyer_m2_an": draw(st.none() | st.just(round(ceiling - (charges or 0.0) + cent, 2))),
        "charges_m2_an": charges,
        "prix_vente_m2": draw(st.none() | st.just(round(sale, 2))),
        "disponible_le": start,
        "disponible_jusqu_au": draw(st.none() | st.just(start + timedelta(days=120))),
        "acces_pmr": draw(st.booleans()),
        "rez_de_chaussee": draw(st.booleans()),
        "categorie_erp": draw(st.none() | st.just("5")),
        "at": draw(offsets),
    }


@st.composite
def worlds(draw: st.DrawFn) -> tuple[int, int, list[dict[str, Any]], list[dict[str, Any]]]:
    tolerance_pct = draw(st.sampled_from([0, 10, 15, 20]))
    horizon = draw(st.sampled_from([30, 180]))
    wanted = draw(st.lists(needs(), min_size=1, max_size=5))
    offered = draw(st.lists(premises(tolerance_pct), min_size=1, max_size=10))
    return tolerance_pct, horizon, wanted, offered


def _point(at: tuple[int, int]) -> Point:
    return Point(HERE[0] + at[0], HERE[1] + at[1])


def _add(session: Session, wanted: list[dict[str, Any]], offered: list[dict[str, Any]]) -> None:
    actor = session.scalars(select(Acteur.id).order_by(Acteur.id).limit(1)).one()
    for i, need in enumerate(wanted):
        fields = dict(need)
        centre, zone = _point(fields.pop("at")), fields.pop("zone")
        session.add(
            Besoin(
                **fields,
                source="hyp",
                ref=f"HB{i}",
                acteur_id=actor,
                intitule=f"Besoin {i}",
                statut="ouvert",
                communes_souhaitees=["33063", "33069"] if zone == "communes" else [],
                zone_souhaitee=from_shape(MultiPolygon([centre.buffer(800)]), srid=STORE_SRID)
                if zone == "drawn"
                else None,
                geom=from_shape(centre, srid=STORE_SRID) if zone != "drawn" else None,
            )
        )
    for i, place in enumerate(offered):
        fields = dict(place)
        where = from_shape(_point(fields.pop("at")), srid=STORE_SRID)
        session.add(
            Local(
                **fields, source="hyp", ref=f"HL{i}", nom=f"Local {i}", nature="local",
                origine="partenaire", statut="disponible", geom=where,
            )
        )  # fmt: skip
    session.flush()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds())
def test_generated_records_give_the_same_frame_both_ways(session: Session, world: Any) -> None:
    tolerance_pct, horizon, wanted, offered = world
    config = Settings(budget_tolerance=tolerance_pct / 100, wait_horizon_days=horizon)
    nested = session.begin_nested()
    try:
        _add(session, wanted, offered)
        ids = tuple(session.scalars(select(Besoin.id).where(Besoin.source == "hyp")).all())
        by_sql = whole(sql_batches(session, config, Scope(need_ids=ids)))
        pd.testing.assert_frame_equal(whole(memory_batches(session, config, ids)), by_sql)
    finally:
        nested.rollback()
