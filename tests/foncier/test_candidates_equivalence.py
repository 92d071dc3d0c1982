"""The batched candidate queries return exactly what the single query they replaced returned.

The oracle is that query, kept here as it was (one statement, every need against every
matchable premises): on random records covering the edge cases (zones and communes, missing
rents and budgets, temporary occupations, divisible and shared premises, must-haves, capped
rents, closed needs and taken premises), both give the same frame, value for value and dtype
for dtype, in every scope; and the strict pairs are those of the cross join that pass the pure
hard constraints.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from geoalchemy2.shape import from_shape
from shapely import MultiPolygon, Point
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from foncier.geo import STORE_SRID
from foncier.matching.candidates import (
    Scope,
    candidate_batches,
    candidate_pairs,
    memory_batches,
    sql_batches,
)
from foncier.models import Acteur, Besoin, Local, Operation, PlafondLoyer, Scenario
from foncier.vocabulary import Equipement, TypeLocal
from matching.constraints import check_constraints
from matching.pairs import PAIR_COLUMNS
from matching.settings import Settings

ORACLE = """
WITH needs AS MATERIALIZED (
    SELECT b.id AS need_id, b.types_acceptes, b.modes_occupation, b.surface_min_m2,
           b.surface_max_m2,
           b.budget_loyer_m2_an, b.budget_achat_m2,
           'location' = ANY(b.modes_occupation) AS rents,
           'achat' = ANY(b.modes_occupation) AS buys,
           b.emmenagement_au_plus_tot, b.emmenagement_au_plus_tard,
           b.distance_max_m, b.criteres_obligatoires, b.criteres_souhaites, b.geom AS centre,
           ST_Union(ARRAY_REMOVE(ARRAY[
               b.zone_souhaitee,
               (SELECT ST_Multi(ST_Union(c.geom)) FROM communes c
                WHERE c.code_insee = ANY(b.communes_souhaitees))
           ], NULL)) AS zone,
           COALESCE(f.prioritaire, false) AS priority_sector, a.stade AS stage
    FROM besoins b
    JOIN acteurs a ON a.id = b.acteur_id
    LEFT JOIN filieres f ON f.code = a.filiere
    WHERE b.statut = ANY(:open_needs) AND (CAST(:need_id AS integer) IS NULL OR b.id = :need_id)
),
premises AS MATERIALIZED (
    SELECT l.*, ARRAY_REMOVE(ARRAY[
        CASE WHEN l.acces_pmr THEN 'acces_pmr' END,
        CASE WHEN l.rez_de_chaussee THEN 'rez_de_chaussee' END,
        CASE WHEN l.acces_livraison THEN 'acces_livraison' END,
        CASE WHEN l.stationnement THEN 'stationnement' END,
        CASE WHEN l.categorie_erp IS NOT NULL THEN 'erp' END
    ], NULL)::varchar[] AS features,
    CASE WHEN l.loyer_m2_an IS NOT NULL THEN LEAST(l.loyer_m2_an, (
        SELECT MIN(LEAST(p.loyer_max_m2_an,
                         p.part_du_marche * COALESCE(l.loyer_marche_m2_an, l.loyer_m2_an)))
        FROM plafonds_loyer p
        JOIN scenarios s ON s.id = p.scenario_id AND s.retenu
        JOIN operations o ON o.id = s.operation_id
        WHERE p.type_local = l.type_local AND ST_Intersects(o.perimetre, l.geom)
    )) END AS loyer_applique
    FROM locaux l
    WHERE l.statut = 'disponible' AND l.geom IS NOT NULL AND l.nature = ANY(:natures)
      AND (CAST(:premises_id AS integer) IS NULL OR l.id = :premises_id)
),
pairs AS (
    SELECT n.*, l.id AS premises_id, l.type_local, l.surface_m2, l.divisible,
           l.surface_lot_min_m2, l.partageable, l.loyer_applique AS loyer_m2_an,
           l.charges_m2_an, l.prix_vente_m2,
           l.disponible_le, l.disponible_jusqu_au, l.features, l.acces_pmr,
           ((l.loyer_m2_an IS NOT NULL AND 'location' = ANY(n.modes_occupation))
            OR (l.prix_vente_m2 IS NOT NULL AND 'achat' = ANY(n.modes_occupation))
            OR (l.loyer_m2_an IS NULL AND l.prix_vente_m2 IS NULL))
           AND (l.disponible_jusqu_au IS NULL
                OR 'occupation_temporaire' = ANY(n.modes_occupation)) AS tenure_accepted,
           l.rez_de_chaussee, l.en_qpv,
           COALESCE(ST_Intersects(n.zone, l.geom), false) AS in_zone,
           ST_Distance(COALESCE(n.zone, n.centre), l.geom) AS distance_m
    FROM needs n
    JOIN premises l ON
        (n.zone IS NOT NULL AND ST_DWithin(n.zone, l.geom, COALESCE(n.distance_max_m, 0) + :margin))
        OR (n.zone IS NULL AND n.centre IS NOT NULL
            AND ST_DWithin(n.centre, l.geom, COALESCE(n.distance_max_m, 0) + :margin))
)
SELECT need_id, premises_id, distance_m, in_zone, distance_max_m AS max_distance_m,
       surface_m2 AS area_m2, divisible, surface_lot_min_m2 AS lot_min_m2,
       partageable AS shared, surface_min_m2 AS need_min_m2, surface_max_m2 AS need_max_m2,
       loyer_m2_an AS rent_m2_year, charges_m2_an AS charges_m2_year,
       budget_loyer_m2_an AS budget_m2_year, prix_vente_m2 AS sale_price_m2,
       budget_achat_m2 AS budget_purchase_m2, rents AS need_rents, buys AS need_buys,
       disponible_le AS available_from,
       disponible_jusqu_au AS available_until, emmenagement_au_plus_tot AS move_in_earliest,
       emmenagement_au_plus_tard AS move_in_latest,
       cardinality(criteres_souhaites) AS features_wanted,
       cardinality(ARRAY(SELECT unnest(criteres_souhaites) INTERSECT SELECT unnest(features)))
           AS features_met,
       cardinality(ARRAY(SELECT unnest(criteres_obligatoires) EXCEPT SELECT unnest(features)))
           AS must_have_missing,
       acces_pmr AS step_free, rez_de_chaussee AS ground_floor, priority_sector, stage,
       en_qpv AS premises_in_qpv, type_local = ANY(types_acceptes) AS kind_accepted,
       tenure_accepted
FROM pairs
WHERE NOT :strict OR (
    type_local = ANY(types_acceptes)
    AND tenure_accepted
    AND (in_zone OR distance_m <= distance_max_m)
    AND surface_m2 >= surface_min_m2
    AND (surface_m2 <= surface_max_m2 OR partageable
         OR (divisible AND COALESCE(surface_lot_min_m2, 0) <= surface_max_m2))
    AND disponible_le <= COALESCE(emmenagement_au_plus_tard,
                                  emmenagement_au_plus_tot + :horizon)
    AND (disponible_jusqu_au IS NULL OR disponible_jusqu_au >= emmenagement_au_plus_tot)
    AND (NOT ((rents AND loyer_m2_an IS NOT NULL) OR (buys AND prix_vente_m2 IS NOT NULL))
         OR (rents AND loyer_m2_an IS NOT NULL AND (budget_loyer_m2_an IS NULL
             OR round((loyer_m2_an + COALESCE(charges_m2_an, 0)) * 100)
                <= round(budget_loyer_m2_an * (1 + :tolerance) * 100)))
         OR (buys AND prix_vente_m2 IS NOT NULL AND (budget_achat_m2 IS NULL
             OR round(prix_vente_m2 * 100) <= round(budget_achat_m2 * (1 + :tolerance) * 100))))
    AND criteres_obligatoires <@ features
)
ORDER BY need_id, premises_id
"""


def oracle(session: Session, settings: Settings, scope: Scope) -> pd.DataFrame:
    """The previous implementation, query and typing both."""
    params = {
        "open_needs": ["ouvert", "en_proposition"],
        "natures": ["local", "lot"],
        "need_id": scope.need_id,
        "premises_id": scope.premises_id,
        "strict": scope.strict,
        "margin": scope.margin_m,
        "horizon": settings.wait_horizon_days,
        "tolerance": settings.budget_tolerance,
    }
    result = session.execute(text(ORACLE), params)
    frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    for name, dtype in PAIR_COLUMNS.items():
        if dtype.startswith("datetime"):
            frame[name] = pd.to_datetime(frame[name])
        elif dtype == "bool":
            frame[name] = frame[name].astype("boolean").fillna(False).astype(bool)
        elif dtype == "object":
            frame[name] = frame[name].astype(object)
        else:
            frame[name] = pd.to_numeric(frame[name]).astype(np.dtype(dtype))
    return frame[list(PAIR_COLUMNS)].reset_index(drop=True)


# --- random records ------------------------------------------------------------------------

KINDS = [k.value for k in TypeLocal]
FEATURES = [e.value for e in Equipement]
DAY0 = date(2026, 9, 1)


def _maybe(rng: np.random.Generator, share: float, value: Any) -> Any:
    return value if rng.random() < share else None


def _point(rng: np.random.Generator, box: tuple[float, ...]) -> Point:
    return Point(rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3]))


def _premises(rng: np.random.Generator, i: int, box: tuple[float, ...]) -> Local:
    area = float(np.clip(rng.lognormal(np.log(150), 0.8), 15, 3000).round())
    divisible = bool(rng.random() < 0.3)
    start = DAY0 + timedelta(days=int(rng.integers(-120, 240)))
    return Local(
        source="equiv",
        ref=f"EQ-L{i}",
        nom=f"Local {i}",
        nature=str(rng.choice(["local", "local", "lot", "site"])),
        type_local=str(rng.choice(KINDS)),
        statut=str(rng.choice(["disponible"] * 4 + ["occupe", "sous_option"])),
        origine="partenaire",
        surface_m2=area,
        divisible=divisible,
        surface_lot_min_m2=_maybe(rng, 0.8, round(area / 4)) if divisible else None,
        partageable=bool(rng.random() < 0.2),
        loyer_m2_an=_maybe(rng, 0.85, float(rng.uniform(40, 260))),
        loyer_marche_m2_an=_maybe(rng, 0.5, float(rng.uniform(100, 300))),
        prix_vente_m2=_maybe(rng, 0.2, float(rng.uniform(1000, 4000))),
        charges_m2_an=_maybe(rng, 0.7, float(rng.uniform(5, 40))),
        disponible_le=start,
        disponible_jusqu_au=_maybe(rng, 0.15, start + timedelta(days=int(rng.integers(0, 400)))),
        acces_pmr=bool(rng.random() < 0.5),
        rez_de_chaussee=bool(rng.random() < 0.5),
        acces_livraison=bool(rng.random() < 0.3),
        stationnement=bool(rng.random() < 0.3),
        categorie_erp=_maybe(rng, 0.3, "5"),
        geom=_maybe(rng, 0.95, from_shape(_point(rng, box), srid=STORE_SRID)),
    )


def _need(
    rng: np.random.Generator, i: int, box: tuple[float, ...], actor: int, communes: list[str]
) -> Besoin:
    low = float(np.clip(rng.lognormal(np.log(100), 0.7), 15, 1500).round())
    earliest = DAY0 + timedelta(days=int(rng.integers(-30, 120)))
    centre = _point(rng, box)
    return Besoin(
        source="equiv",
        ref=f"EQ-B{i}",
        acteur_id=actor,
        intitule=f"Besoin {i}",
        statut=str(rng.choice(["ouvert"] * 3 + ["en_proposition", "satisfait"])),
        types_acceptes=[str(k) for k in rng.choice(KINDS, int(rng.integers(1, 4)))],
        modes_occupation=[
            m for m in ("location", "achat", "occupation_temporaire") if rng.random() < 0.5
        ],
        surface_min_m2=low,
        surface_max_m2=low * float(rng.uniform(1.0, 2.5)),
        budget_loyer_m2_an=_maybe(rng, 0.8, float(rng.uniform(60, 300))),
        budget_achat_m2=_maybe(rng, 0.7, float(rng.uniform(1000, 4000))),
        communes_souhaitees=list(rng.choice(communes, int(rng.integers(1, 3))))
        if rng.random() < 0.25
        else [],
        zone_souhaitee=from_shape(MultiPolygon([centre.buffer(1500)]), srid=STORE_SRID)
        if rng.random() < 0.15
        else None,
        distance_max_m=_maybe(rng, 0.75, float(rng.choice([1000, 2500, 5000]))),
        emmenagement_au_plus_tot=earliest,
        emmenagement_au_plus_tard=_maybe(rng, 0.6, earliest + timedelta(days=240)),
        criteres_obligatoires=[str(f) for f in rng.choice(FEATURES, int(rng.integers(0, 3)))],
        criteres_souhaites=[str(f) for f in rng.choice(FEATURES, int(rng.integers(0, 4)))],
        geom=_maybe(rng, 0.9, from_shape(centre, srid=STORE_SRID)),
    )


def _cap(session: Session, box: tuple[float, ...]) -> None:
    """An adopted scenario capping offices by value and shops by share of market, around the
    middle of the box."""
    middle = Point((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    operation = Operation(
        source="equiv",
        ref="EQ-OP",
        nom="Opération",
        perimetre=from_shape(MultiPolygon([middle.buffer(6000)]), srid=STORE_SRID),
        programme={},
    )
    session.add(operation)
    session.flush()
    scenario = Scenario(
        source="equiv", ref="EQ-SC", operation_id=operation.id, nom="Retenu", clause={}, retenu=True
    )
    session.add(scenario)
    session.flush()
    session.add_all(
        [
            PlafondLoyer(scenario_id=scenario.id, type_local="bureau", loyer_max_m2_an=90.0),
            PlafondLoyer(scenario_id=scenario.id, type_local="commerce", part_du_marche=0.6),
        ]
    )


def random_records(session: Session, seed: int) -> None:
    rng = np.random.default_rng(seed)
    box = tuple(
        session.execute(
            text(
                "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) "
                "FROM (SELECT ST_Extent(geom) AS e FROM communes) s"
            )
        ).one()
    )
    communes = list(session.scalars(select(text("code_insee")).select_from(text("communes"))))
    actors = list(session.scalars(select(Acteur.id).order_by(Acteur.id).limit(5)))
    session.add_all(_premises(rng, i, box) for i in range(150))
    session.add_all(_need(rng, i, box, actors[i % len(actors)], communes) for i in range(50))
    _cap(session, box)
    session.flush()


# --- the comparison ------------------------------------------------------------------------

SETTINGS = [Settings(), Settings(budget_tolerance=0.0, wait_horizon_days=30)]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_every_scope_gives_the_frame_the_previous_query_gave(session: Session, seed: int) -> None:
    random_records(session, seed)
    needs = list(session.scalars(select(Besoin.id).where(Besoin.source == "equiv")))
    premises = list(session.scalars(select(Local.id).where(Local.source == "equiv")))
    scopes = [
        Scope(),
        Scope(strict=False, margin_m=800.0),
        *(Scope(need_id=n) for n in needs[:6]),
        *(Scope(need_id=n, strict=False, margin_m=1000.0) for n in needs[:6]),
        *(Scope(premises_id=p) for p in premises[:4]),
        Scope(need_id=needs[0], premises_id=premises[0], strict=False, margin_m=1e7),
    ]
    for settings in SETTINGS:
        for scope in scopes:
            expected = oracle(session, settings, scope)
            pd.testing.assert_frame_equal(candidate_pairs(session, settings, scope), expected)
        everything = oracle(session, settings, Scope())
        assert len(everything) > 100  # the dataset does match
        pd.testing.assert_frame_equal(whole(sql_batches(session, settings)), everything)
        pd.testing.assert_frame_equal(whole(memory_batches(session, settings)), everything)
        some = tuple(needs[::3])
        expected = everything[everything["need_id"].isin(some)].reset_index(drop=True)
        pd.testing.assert_frame_equal(whole(memory_batches(session, settings, some)), expected)


def whole(batches: Iterator[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(list(batches), ignore_index=True)


@pytest.mark.parametrize("batches", [candidate_batches, sql_batches, memory_batches])
def test_batches_concatenate_to_the_whole(session: Session, batches: Any) -> None:
    random_records(session, 3)
    everything = candidate_pairs(session, Settings())
    parts = list(batches(session, Settings(), batch_needs=7))
    assert len(parts) > 3
    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), everything)


def test_strict_pairs_are_the_cross_join_pairs_passing_every_constraint(session: Session) -> None:
    random_records(session, 4)
    settings = Settings()
    cross = candidate_pairs(session, settings, Scope(strict=False, margin_m=1e7))
    passing = cross[check_constraints(cross, settings)["passes"].to_numpy()]
    strict = candidate_pairs(session, settings)
    assert len(strict) > 100
    assert list(zip(strict["need_id"], strict["premises_id"], strict=True)) == list(
        zip(passing["need_id"], passing["premises_id"], strict=True)
    )


def test_capped_rents_are_the_rents_offered(session: Session) -> None:
    random_records(session, 5)
    pairs = candidate_pairs(session, Settings(), Scope(strict=False, margin_m=1e7))
    asked = dict(session.execute(select(Local.id, Local.loyer_m2_an)).all())
    first = pairs.drop_duplicates("premises_id")
    offered = dict(zip(first["premises_id"].tolist(), first["rent_m2_year"].tolist(), strict=True))
    rented = {p: rent for p, rent in offered.items() if not np.isnan(rent)}
    assert all(rent <= asked[p] for p, rent in rented.items())
    assert any(rent < asked[p] for p, rent in rented.items())  # the scenario caps some


# --- edge cases both sides must agree on ----------------------------------------------------


def _edge_records(session: Session) -> None:
    """Rents exactly at the budget's ceiling (whole euros at 15 %, which floats miss a third
    of the time), and divisible premises with no minimum lot, larger than the need wants."""
    actor = session.scalars(select(Acteur.id).order_by(Acteur.id).limit(1)).one()
    here = from_shape(Point(417_000, 6_420_000), srid=STORE_SRID)
    common = {"source": "edge", "type_local": "bureau", "statut": "disponible", "geom": here}
    for budget in range(60, 101, 4):
        ceiling = budget * 115 / 100  # the decimal ceiling, as a person computes it
        session.add(
            Besoin(
                source="edge",
                ref=f"B{budget}",
                acteur_id=actor,
                intitule=f"Budget {budget}",
                statut="ouvert",
                types_acceptes=["bureau"],
                modes_occupation=["location"],
                surface_min_m2=100.0,
                surface_max_m2=150.0,
                budget_loyer_m2_an=float(budget),
                distance_max_m=100.0,
                emmenagement_au_plus_tot=DAY0,
                geom=here,
            )
        )
        for ref, rent, charges in (
            (f"A{budget}", ceiling, None),
            (f"C{budget}", ceiling - 15, 15.0),
        ):
            session.add(
                Local(
                    **common,
                    ref=ref,
                    nom=ref,
                    nature="local",
                    origine="partenaire",
                    surface_m2=120.0,
                    loyer_m2_an=rent,
                    charges_m2_an=charges,
                    disponible_le=DAY0,
                )
            )
    session.add(
        Local(
            **common,
            ref="DIV",
            nom="Divisible, lots libres",
            nature="local",
            origine="partenaire",
            surface_m2=600.0,
            divisible=True,
            surface_lot_min_m2=None,
            loyer_m2_an=50.0,
            disponible_le=DAY0,
        )
    )
    session.flush()


def test_exact_ceilings_and_free_lots_pass_on_both_sides(session: Session) -> None:
    _edge_records(session)
    settings = Settings(budget_tolerance=0.15)
    needs = refs(session, Besoin)
    premises = refs(session, Local)
    cross = candidate_pairs(session, settings, Scope(strict=False, margin_m=1e7))
    mine = cross[(cross["need_id"].isin(needs) & cross["premises_id"].isin(premises)).to_numpy()]
    named = zip(mine["need_id"], mine["premises_id"], strict=True)
    ok = check_constraints(mine, settings)["passes"]
    passing = {(needs[n], premises[p]) for (n, p), yes in zip(named, ok, strict=True) if yes}
    budgets = range(60, 101, 4)  # a need takes the premises at its ceiling, and the cheaper
    expected = {(f"B{b}", f"{k}{c}") for b in budgets for c in budgets if c <= b for k in "AC"}
    assert passing == expected | {(f"B{b}", "DIV") for b in budgets}
    strict = candidate_pairs(session, settings)
    offered = {
        (needs[n], premises[p])
        for n, p in zip(strict["need_id"], strict["premises_id"], strict=True)
        if n in needs and p in premises
    }
    assert offered == passing  # the query offers exactly what the pure core accepts
    for scope in (Scope(), Scope(strict=False, margin_m=500.0)):
        pd.testing.assert_frame_equal(
            candidate_pairs(session, settings, scope), oracle(session, settings, scope)
        )
    pd.testing.assert_frame_equal(whole(sql_batches(session, settings)), strict)


def refs(session: Session, model: type[Besoin] | type[Local]) -> dict[int, str]:
    rows = session.execute(select(model.id, model.ref).where(model.source == "edge"))
    return {int(i): str(ref) for i, ref in rows.all()}
