"""The SQL of the candidate pre-selection (private to :mod:`foncier.matching.candidates`).

One statement per batch of needs returns only what belongs to a pair (distance, zone, kind and
tenure accepted); what belongs to a need or a premises alone is read once, by
:func:`needs_query` and :data:`PREMISES`, and joined in numpy, features met and missing too
(from bit masks of the features). Everything a need contributes to the hard constraints
(deadline, budget ceiling, feature masks, search geometry and reach) is computed once per need
in a materialised CTE, so that the per-pair work is the GiST index probe plus a few
comparisons. Placeholders are psycopg's in :func:`pairs_query` (its rows come packed by
``foncier.db.packed_rows``), SQLAlchemy's elsewhere.
"""

from __future__ import annotations

from foncier.vocabulary import OPEN_NEEDS, Equipement

MATCHABLE_PREMISES = ("local", "lot")  # sites and buildings hold lots; they are not let whole

# The features a premises offers, as needs name them in their must-haves and nice-to-haves;
# bit i of a mask stands for the i-th one.
FEATURES: dict[str, str] = {
    Equipement.ACCES_PMR: "l.acces_pmr",
    Equipement.REZ_DE_CHAUSSEE: "l.rez_de_chaussee",
    Equipement.ACCES_LIVRAISON: "l.acces_livraison",
    Equipement.STATIONNEMENT: "l.stationnement",
    Equipement.ERP: "l.categorie_erp IS NOT NULL",
}


def _literals(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)  # module constants, never user input


def _need_mask(column: str) -> str:
    cases = " ".join(f"WHEN '{name}' THEN {1 << i}" for i, name in enumerate(FEATURES))
    return f"(SELECT COALESCE(bit_or(CASE v {cases} END), 0) FROM unnest({column}) v)"


def _premises_mask() -> str:
    return " | ".join(
        f"(CASE WHEN {test} THEN {1 << i} ELSE 0 END)" for i, test in enumerate(FEATURES.values())
    )


# A need's features as masks, and its must-haves no premises can offer (counted as missing).
_NEED_FEATURES = f"""{_need_mask("b.criteres_obligatoires")} AS must_mask,
       {_need_mask("b.criteres_souhaites")} AS wish_mask,
       cardinality(ARRAY(
           SELECT unnest(b.criteres_obligatoires)
           EXCEPT SELECT unnest(ARRAY[{_literals(list(FEATURES))}]::varchar[])
       )) AS must_unknown"""

MATCHABLE = (
    f"l.statut = 'disponible' AND l.nature IN ({_literals(MATCHABLE_PREMISES)}) "
    "AND l.geom IS NOT NULL"
)

# Premises inside the perimeter of an operation with an adopted scenario: only their rent
# offered may be capped (foncier.scenarios.caps), so only they pay for the cap's look-up.
_CAPPED = """capped AS MATERIALIZED (
    SELECT l.id
    FROM operations o
    JOIN scenarios s ON s.operation_id = o.id AND s.retenu
    JOIN locaux l ON ST_Intersects(o.perimetre, l.geom)
)"""
_RENT = """CASE WHEN l.loyer_m2_an IS NOT NULL AND l.id IN (SELECT id FROM capped)
            THEN LEAST(l.loyer_m2_an, foncier_loyer_plafond(
                l.type_local, l.loyer_m2_an, l.loyer_marche_m2_an, l.geom))
            ELSE l.loyer_m2_an END"""

# A need's wished zone: its drawn area and the union of its communes (NULL: none).
_ZONE = """ST_Union(ARRAY_REMOVE(ARRAY[
               b.zone_souhaitee,
               CASE WHEN cardinality(b.communes_souhaitees) > 0 THEN
                   (SELECT ST_Multi(ST_Union(c.geom)) FROM communes c
                    WHERE c.code_insee = ANY(b.communes_souhaitees)) END
           ], NULL))"""

# Everything a need brings, once per need. The wished zone is built in its own CTE so that
# the union of communes is computed once, not once per reference to it.
_NEEDS_CTE = f"""
wished AS MATERIALIZED (
    SELECT b.id AS need_id, b.types_acceptes, b.surface_min_m2, b.surface_max_m2,
           b.budget_loyer_m2_an AS budget,
           -- money at the cent, rounded as matching.constraints.cents rounds it
           round(b.budget_loyer_m2_an * (1 + CAST(%(tolerance)s AS double precision)) * 100)
               AS ceiling_cents,
           b.budget_achat_m2 AS purchase_budget,
           round(b.budget_achat_m2 * (1 + CAST(%(tolerance)s AS double precision)) * 100)
               AS purchase_ceiling_cents,
           COALESCE(b.emmenagement_au_plus_tard,
                    b.emmenagement_au_plus_tot + CAST(%(horizon)s AS integer)) AS deadline,
           b.emmenagement_au_plus_tot AS earliest, b.distance_max_m,
           'location' = ANY(b.modes_occupation) AS rents,
           'achat' = ANY(b.modes_occupation) AS buys,
           'occupation_temporaire' = ANY(b.modes_occupation) AS temporary,
           {_NEED_FEATURES},
           b.geom AS centre,
           {_ZONE} AS zone
    FROM besoins b
    JOIN acteurs a ON a.id = b.acteur_id
    WHERE b.statut IN ({_literals(OPEN_NEEDS)})
      AND b.id = ANY(CAST(%(need_ids)s AS integer[]))
),
needs AS MATERIALIZED (
    SELECT w.*, COALESCE(w.zone, w.centre) AS probe,
           COALESCE(w.distance_max_m, 0) + CAST(%(margin)s AS double precision) AS reach
    FROM wished w
),
kinds AS MATERIALIZED (
    -- one probe per need and kind accepted: the kind leads the (kind, geometry) index
    SELECT n.*, k.kind
    FROM needs n CROSS JOIN LATERAL (SELECT DISTINCT unnest(n.types_acceptes) AS kind) k
),
{_CAPPED}"""

_MASK = _premises_mask()
_TENURE = """((l.loyer_m2_an IS NOT NULL AND n.rents)
       OR (l.prix_vente_m2 IS NOT NULL AND n.buys)
       OR (l.loyer_m2_an IS NULL AND l.prix_vente_m2 IS NULL))
      AND (l.disponible_jusqu_au IS NULL OR n.temporary)"""

# On some price the need can take (matching.constraints.price_routes), or none to take.
_BUDGET = f"""(NOT ((n.rents AND l.loyer_m2_an IS NOT NULL)
            OR (n.buys AND l.prix_vente_m2 IS NOT NULL))
       OR (n.rents AND l.loyer_m2_an IS NOT NULL AND (n.budget IS NULL
           OR round((({_RENT}) + COALESCE(l.charges_m2_an, 0)) * 100) <= n.ceiling_cents))
       OR (n.buys AND l.prix_vente_m2 IS NOT NULL AND (n.purchase_budget IS NULL
           OR round(l.prix_vente_m2 * 100) <= n.purchase_ceiling_cents)))"""

_HARD_CONSTRAINTS = f"""
  AND l.type_local = ANY(n.types_acceptes)
  AND {_TENURE}
  AND (COALESCE(ST_Intersects(n.zone, l.geom), false)
       OR ST_Distance(n.probe, l.geom) <= COALESCE(n.distance_max_m, 0))
  AND l.surface_m2 >= n.surface_min_m2
  AND (l.surface_m2 <= n.surface_max_m2 OR l.partageable
       OR (l.divisible AND COALESCE(l.surface_lot_min_m2, 0) <= n.surface_max_m2))
  AND l.disponible_le <= n.deadline
  AND (l.disponible_jusqu_au IS NULL OR l.disponible_jusqu_au >= n.earliest)
  AND (n.must_mask = 0 OR (n.must_mask & ~({_MASK})) = 0) AND n.must_unknown = 0
  AND {_BUDGET}"""

# SQL types of the pair fields, in order (see foncier.db.packed_rows).
PAIR_FIELDS = {
    "need_id": "int4",
    "premises_id": "int4",
    "distance_m": "float8",
    "in_zone": "bool",
    "kind_accepted": "bool",
    "tenure_accepted": "bool",
}


def pairs_query(*, strict: bool, one_premises: bool, accepted: bool = False) -> str:
    """The pairs of a batch of needs: every hard constraint when ``strict``, else only the
    spatial pre-selection (with its margin) and the statuses, and with ``accepted`` the kind
    and tenure the need accepts (what a near miss never lacks).

    Strict or accepted, each need probes the (kind, geometry) GiST index once per kind it
    accepts; relaxed, once for every kind.
    """
    probes = "kinds n" if strict or accepted else "needs n"
    kind = "l.type_local = n.kind AND " if strict or accepted else ""
    return f"""WITH {_NEEDS_CTE}
SELECT n.need_id, l.id AS premises_id,
       ST_Distance(n.probe, l.geom) AS distance_m,
       COALESCE(ST_Intersects(n.zone, l.geom), false) AS in_zone,
       COALESCE(l.type_local = ANY(n.types_acceptes), false) AS kind_accepted,
       COALESCE({_TENURE}, false) AS tenure_accepted
FROM {probes}
JOIN locaux l ON {kind}ST_DWithin(l.geom, n.probe, n.reach)
WHERE {MATCHABLE}
  {"AND l.id = %(premises_id)s" if one_premises else ""}
  {_HARD_CONSTRAINTS if strict else ""}
  {f"AND {_TENURE}" if accepted and not strict else ""}"""


def needs_query(*, one_need: bool, listed: bool = False, search: bool = False) -> str:
    """One row per open need of the scope, by id: the columns of the pairs frame that are the
    need's, and its feature masks; with ``listed``, only the needs ``:need_ids`` lists; with
    ``search``, also what the in-memory search reads (``matching.candidates.NEED_COLUMNS``:
    kinds, temporary use, zone and centre as WKB)."""
    searched = f""",
       b.types_acceptes AS kinds,
       'occupation_temporaire' = ANY(b.modes_occupation) AS need_temporary,
       ST_AsBinary({_ZONE}) AS zone, ST_AsBinary(b.geom) AS centre"""
    return f"""
SELECT b.id AS need_id, b.distance_max_m AS max_distance_m,
       b.surface_min_m2 AS need_min_m2, b.surface_max_m2 AS need_max_m2,
       b.budget_loyer_m2_an AS budget_m2_year, b.budget_achat_m2 AS budget_purchase_m2,
       'location' = ANY(b.modes_occupation) AS need_rents,
       'achat' = ANY(b.modes_occupation) AS need_buys,
       b.emmenagement_au_plus_tot AS move_in_earliest,
       b.emmenagement_au_plus_tard AS move_in_latest,
       cardinality(b.criteres_souhaites) AS features_wanted,
       COALESCE(f.prioritaire, false) AS priority_sector, a.stade AS stage,
       {_NEED_FEATURES}{searched if search else ""}
FROM besoins b
JOIN acteurs a ON a.id = b.acteur_id
LEFT JOIN filieres f ON f.code = a.filiere
WHERE b.statut IN ({_literals(OPEN_NEEDS)}) {"AND b.id = :need_id" if one_need else ""}
  {"AND b.id = ANY(CAST(:need_ids AS integer[]))" if listed else ""}
ORDER BY b.id"""


# The columns of the pairs frame that are the premises', for the premises listed (the rent is
# the one offered), and its features mask.
_PREMISES_COLUMNS = f"""l.id AS premises_id, l.surface_m2 AS area_m2, l.divisible,
       l.surface_lot_min_m2 AS lot_min_m2, l.partageable AS shared,
       {_RENT} AS rent_m2_year, l.charges_m2_an AS charges_m2_year,
       l.prix_vente_m2 AS sale_price_m2,
       l.disponible_le AS available_from, l.disponible_jusqu_au AS available_until,
       l.acces_pmr AS step_free, l.rez_de_chaussee AS ground_floor, l.en_qpv AS premises_in_qpv,
       {_MASK} AS features_mask"""
PREMISES = f"""
WITH {_CAPPED}
SELECT {_PREMISES_COLUMNS}
FROM locaux l
WHERE l.id = ANY(CAST(:ids AS integer[]))
ORDER BY l.id"""

# Every matchable premises, with what the in-memory search reads besides (its kind, and its
# point's Lambert-93 coordinates): ``matching.candidates.PREMISES_COLUMNS``.
MATCHABLE_TABLE = f"""
WITH {_CAPPED}
SELECT {_PREMISES_COLUMNS}, l.type_local AS kind, ST_X(l.geom) AS x, ST_Y(l.geom) AS y
FROM locaux l
WHERE {MATCHABLE}
ORDER BY l.id"""


def unmatched_query() -> str:
    """The needs of a batch that no premises fits: each (need, kind) probe stops at its first
    candidate (``LIMIT 1``), so that a need with many candidates costs no more than one."""
    return f"""WITH {_NEEDS_CTE}
SELECT need_id FROM needs
EXCEPT
SELECT n.need_id
FROM kinds n
CROSS JOIN LATERAL (
    SELECT 1 FROM locaux l
    WHERE l.type_local = n.kind AND ST_DWithin(l.geom, n.probe, n.reach) AND {MATCHABLE}
      {_HARD_CONSTRAINTS}
    LIMIT 1
) AS found"""
