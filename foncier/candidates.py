"""Candidate pairs in PostGIS: one set-based query for every open need at once.

The query returns the pairs frame of ``matching.pairs`` (every column the pure core reads).
Its rent is the one offered: capped for premises inside an operation whose adopted scenario
caps their kind (``foncier.scenarios.caps``).
``strict`` applies every hard constraint in SQL, so that only candidates come back; without
it only the spatial pre-selection (with a margin) and the statuses apply, which is what near
misses and "why not" need. Both use the GiST index of ``locaux.geom`` through ST_DWithin /
ST_Intersects on Lambert-93 geometries.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from matching.pairs import PAIR_COLUMNS
from matching.settings import Settings

OPEN_NEEDS = ("ouvert", "en_proposition")
MATCHABLE_PREMISES = ("local", "lot")  # sites and buildings hold lots; they are not let whole

_QUERY = """
WITH needs AS MATERIALIZED (
    SELECT b.id AS need_id, b.types_acceptes, b.modes_occupation, b.surface_min_m2,
           b.surface_max_m2,
           b.budget_loyer_m2_an, b.emmenagement_au_plus_tot, b.emmenagement_au_plus_tard,
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
    -- The rent offered: capped inside an operation whose adopted scenario caps this kind.
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
           l.charges_m2_an,
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
       budget_loyer_m2_an AS budget_m2_year, disponible_le AS available_from,
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
         OR (divisible AND surface_lot_min_m2 <= surface_max_m2))
    AND disponible_le <= COALESCE(emmenagement_au_plus_tard,
                                  emmenagement_au_plus_tot + :horizon)
    AND (disponible_jusqu_au IS NULL OR disponible_jusqu_au >= emmenagement_au_plus_tot)
    AND (budget_loyer_m2_an IS NULL OR loyer_m2_an IS NULL
         OR loyer_m2_an + COALESCE(charges_m2_an, 0) <= budget_loyer_m2_an * (1 + :tolerance))
    AND criteres_obligatoires <@ features
)
ORDER BY need_id, premises_id
"""


@dataclass(frozen=True)
class Scope:
    """Which pairs to look at: one need, one premises, or everything open."""

    need_id: int | None = None
    premises_id: int | None = None
    strict: bool = True
    margin_m: float = 0.0  # spatial margin of the relaxed query (near misses)


def candidate_pairs(session: Session, settings: Settings, scope: Scope = Scope()) -> pd.DataFrame:
    """The pairs frame (``matching.pairs``), sorted by need then premises."""
    params = {
        "open_needs": list(OPEN_NEEDS),
        "natures": list(MATCHABLE_PREMISES),
        "need_id": scope.need_id,
        "premises_id": scope.premises_id,
        "strict": scope.strict,
        "margin": scope.margin_m,
        "horizon": settings.wait_horizon_days,
        "tolerance": settings.budget_tolerance,
    }
    # The geometry functions inflate the plan's cost estimate, which would trigger JIT
    # compilation: seconds spent compiling a query that runs in milliseconds.
    session.execute(text("SET LOCAL jit = off"))
    result = session.execute(text(_QUERY), params)
    frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    return _typed(frame)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The contract's dtypes, whatever the driver returned (dates, Decimals, None)."""
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
