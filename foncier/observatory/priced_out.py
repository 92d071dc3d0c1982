"""Needs priced out: no premises fits them, and every near miss they have fails on the rent
alone. The gap (the smallest excess of rent + charges over the budget's tolerance, €/m²/year)
says how far a price cap would have to go to serve them.

The near misses are the matcher's own (``matching.explain.near_misses`` on the relaxed
candidate pairs, need batch by need batch, so that memory stays bounded at any size); this
module only reads which constraints they fail.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from foncier.matching.candidates import Scope, candidate_batches, needs_without_candidates
from foncier.matching.stored_settings import current_settings
from foncier.observatory.demand import NOT_LOCATED
from foncier.observatory.table import Column, Table, rows_of
from matching.constraints import check_constraints
from matching.explain import near_misses
from matching.settings import Settings

# The constraints a rent cap cannot help with, besides the budget itself.
_OTHERS = ("ok_area", "ok_timing", "ok_location")

_NEEDS = f"""
SELECT b.id AS need_id, b.ref, COALESCE(f.libelle, a.filiere) AS sector,
       COALESCE(c.nom, '{NOT_LOCATED}') AS commune, b.surface_min_m2 AS area_m2,
       b.budget_loyer_m2_an AS budget_m2_year
FROM besoins b
JOIN acteurs a ON a.id = b.acteur_id
LEFT JOIN filieres f ON f.code = a.filiere
LEFT JOIN communes c ON c.code_insee = b.commune_insee
WHERE b.id = ANY(CAST(:ids AS integer[]))
ORDER BY b.id"""

COLUMNS = (
    Column("ref", "Besoin"),
    Column("sector", "Filière"),
    Column("commune", "Commune"),
    Column("area_m2", "Surface minimale (m²)"),
    Column("budget_m2_year", "Budget (€/m²/an)"),
    Column("gap_m2_year", "Il manque (€/m²/an)"),
    Column("near_misses", "Locaux presque compatibles"),
)


def priced_out(session: Session, settings: Settings | None = None) -> Table:
    """One row per priced-out need, the smallest gaps first."""
    settings = settings or current_settings(session)
    unmatched = needs_without_candidates(session, settings)
    gaps = pd.concat(
        [_batch_gaps(pairs, settings) for pairs in _relaxed(session, settings, unmatched)],
        ignore_index=True,
    )
    ids = gaps["need_id"].astype(int).tolist()
    needs = pd.DataFrame(list(rows_of(session.execute(text(_NEEDS), {"ids": ids}))))
    if needs.empty:
        needs = pd.DataFrame(columns=["need_id", *(c.key for c in COLUMNS[:5])])
    frame = needs.merge(gaps, on="need_id").sort_values(["gap_m2_year", "ref"])
    frame["gap_m2_year"] = frame["gap_m2_year"].round(2)
    rows = tuple(
        {c.key: _plain(row[c.key]) for c in COLUMNS} for row in frame.to_dict(orient="records")
    )
    return Table(
        "trop_chers",
        "Besoins écartés par le seul loyer",
        COLUMNS,
        rows,
        "Aucun local ne leur convient, et tous les locaux presque compatibles ne pèchent que "
        "par le loyer et les charges : un plafond de loyer les servirait. « Il manque » est le "
        "plus petit dépassement du budget, tolérance comprise.",
    )


def _relaxed(
    session: Session, settings: Settings, need_ids: tuple[int, ...]
) -> Iterator[pd.DataFrame]:
    """The relaxed pairs (what near misses are drawn from) of those needs only."""
    # A near miss is of a kind and tenure the need accepts: the other pairs stay in PostGIS.
    scope = Scope(
        strict=False, margin_m=settings.near_miss_distance_m, need_ids=need_ids, accepted=True
    )
    return candidate_batches(session, settings, scope)


def _batch_gaps(pairs: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """need_id, gap_m2_year and near_misses for the priced-out needs of one batch."""
    empty = pd.DataFrame({"need_id": [], "gap_m2_year": [], "near_misses": []})
    if pairs.empty:
        return empty
    checks = check_constraints(pairs, settings)
    misses = checks.loc[near_misses(pairs, settings).index]
    if misses.empty:
        return empty
    budget_only = ~misses["ok_budget"] & misses[list(_OTHERS)].all(axis=1)
    grouped = misses.assign(budget_only=budget_only).groupby("need_id")
    summary = grouped.agg(
        all_budget=("budget_only", "all"),
        gap_m2_year=("gap_budget_m2_year", "min"),
        near_misses=("budget_only", "size"),
    )
    kept = summary[summary["all_budget"]].reset_index()
    return kept[["need_id", "gap_m2_year", "near_misses"]]


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    return value
