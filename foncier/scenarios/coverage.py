"""Coverage: which real open needs the ESS premises of a scenario would host.

The ESS part of each lot becomes virtual premises (split by ``matching.pricecap.units``), at
the capped rent, inside the operation's perimeter. A capped sale price is offered to the needs
that buy, and also becomes the rent the Foncière solidaire would ask after buying at that
price (price × ``fonciere_yield``) for the needs that rent: the Foncière acquires and lets,
as the ESS plan intends. The virtual premises never enter the
registry: the pairs are built here and the pure core checks, scores and allocates them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely import wkb
from sqlalchemy import text
from sqlalchemy.orm import Session

from foncier.errors import InvalidInput
from foncier.geo import to_store, to_wgs84
from foncier.matching.stored_settings import current_settings
from foncier.scenarios.document import lot_position
from foncier.vocabulary import OPEN_NEEDS
from matching.allocation import allocate_optimal
from matching.constraints import check_constraints, take_m2
from matching.pairs import PAIR_COLUMNS
from matching.pricecap.operation import rent_from_price
from matching.pricecap.units import split_area
from matching.scoring import score_pairs
from matching.settings import Settings

KIND_OF_USE = {"bureaux": "bureau", "activites": "activite", "commerce": "commerce"}
# New buildings are accessible (building code); shops and workshops open on the street.
STREET_LEVEL_USES = ("activites", "commerce")

_NEEDS = """
SELECT b.id AS need_id, b.ref, b.intitule AS title, a.filiere AS sector,
       COALESCE(f.libelle, a.filiere) AS sector_label,
       COALESCE(b.emplois_accueillis, a.effectif, 0) AS jobs,
       b.types_acceptes, b.modes_occupation, b.surface_min_m2 AS need_min_m2,
       b.surface_max_m2 AS need_max_m2, b.budget_loyer_m2_an AS budget_m2_year,
       b.budget_achat_m2 AS budget_purchase_m2,
       b.emmenagement_au_plus_tot AS move_in_earliest,
       b.emmenagement_au_plus_tard AS move_in_latest, b.distance_max_m AS max_distance_m,
       b.criteres_obligatoires, b.criteres_souhaites,
       ST_AsBinary(ST_Union(ARRAY_REMOVE(ARRAY[
           b.zone_souhaitee,
           (SELECT ST_Multi(ST_Union(c.geom)) FROM communes c
            WHERE c.code_insee = ANY(b.communes_souhaitees))
       ], NULL))) AS zone,
       ST_AsBinary(b.geom) AS centre,
       COALESCE(f.prioritaire, false) AS priority_sector, a.stade AS stage
FROM besoins b
JOIN acteurs a ON a.id = b.acteur_id
LEFT JOIN filieres f ON f.code = a.filiere
WHERE b.statut = ANY(:open_needs)
ORDER BY b.id
"""


def open_needs(session: Session) -> pd.DataFrame:
    """Every open need with what the constraints read, its zone and centre in Lambert-93."""
    result = session.execute(text(_NEEDS), {"open_needs": list(OPEN_NEEDS)})
    needs = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    for column in ("zone", "centre"):
        shapes = [wkb.loads(bytes(v)) if v is not None else None for v in needs[column]]
        needs[column] = pd.Series(shapes, index=needs.index, dtype=object)
    return needs


def virtual_premises(
    session: Session, document: dict[str, Any], per_lot: pd.DataFrame
) -> pd.DataFrame:
    """One row per virtual premises: lot ref, kind, area, rent, point (Lambert-93), QPV."""
    rows = []
    figures = per_lot[["ess_su_m2", "ess_rent_eur_m2_year", "ess_price_eur_m2"]]
    rows_of = zip(document["lots"], figures.to_numpy(float), strict=True)
    for index, (lot, (su, rent, price)) in enumerate(rows_of):
        if not su > 0:
            continue
        point = to_store(lot_position(lot, document["perimeter"]))
        sale = price  # a need that buys may buy at the capped price
        if np.isnan(rent):
            rent = rent_from_price(price, document["fonciere_yield"])
        sizes = lot.get("unit_sizes_m2") or document["unit_sizes_m2"]
        for k, area in enumerate(_split(su, sizes, index), start=1):
            rows.append(
                {
                    "unit_ref": f"{lot['ref']}-ESS-{k}",
                    "lot_ref": lot["ref"],
                    "use": lot["use"],
                    "area_m2": area,
                    "rent_m2_year": float(rent),
                    "sale_price_m2": float(sale),
                    "geometry": point,
                }
            )
    columns = ["unit_ref", "lot_ref", "use", "area_m2", "rent_m2_year", "sale_price_m2"]
    units = pd.DataFrame(rows, columns=[*columns, "geometry"])
    units.insert(0, "premises_id", np.arange(1, len(units) + 1, dtype=np.int64))
    units["in_qpv"] = _in_qpv(session, units["geometry"].tolist())
    return units


def _split(area: float, sizes: list[float], index: int) -> list[float]:
    try:
        return split_area(area, sizes)
    except ValueError as exc:
        raise InvalidInput.from_errors({f"lots[{index}][unit_sizes_m2]": [str(exc)]}) from None


def _in_qpv(session: Session, points: list[Any]) -> list[bool]:
    if not points:
        return []
    found = session.execute(
        text(
            "SELECT foncier_qpv_de(ST_SetSRID(ST_GeomFromWKB(g), 2154)) IS NOT NULL "
            "FROM unnest(CAST(:points AS bytea[])) WITH ORDINALITY AS t(g, k) ORDER BY k"
        ),
        {"points": [shapely.to_wkb(p) for p in points]},
    ).scalars()
    return [bool(v) for v in found]


def coverage_pairs(needs: pd.DataFrame, units: pd.DataFrame, available_from: date) -> pd.DataFrame:
    """The pairs frame (``matching.pairs``) of every open need with every virtual premises."""
    left = needs.reset_index(drop=True)
    right = units.reset_index(drop=True)
    n, u = np.meshgrid(np.arange(len(left)), np.arange(len(right)), indexing="ij")
    need = left.iloc[n.ravel()].reset_index(drop=True)
    unit = right.iloc[u.ravel()].reset_index(drop=True)
    reference = [
        z if z is not None else c for z, c in zip(need["zone"], need["centre"], strict=True)
    ]
    points = unit["geometry"].to_numpy()
    kinds = unit["use"].map(KIND_OF_USE)
    pairs = pd.DataFrame(
        {
            "need_id": need["need_id"].astype(np.int64),
            "premises_id": unit["premises_id"].astype(np.int64),
            "distance_m": shapely.distance(np.array(reference, dtype=object), points),
            "in_zone": [
                z is not None and z.intersects(p) for z, p in zip(need["zone"], points, strict=True)
            ],
            "max_distance_m": pd.to_numeric(need["max_distance_m"]).astype(float),
            "area_m2": unit["area_m2"].astype(float),
            "divisible": False,
            "lot_min_m2": np.nan,
            "shared": False,
            "need_min_m2": need["need_min_m2"].astype(float),
            "need_max_m2": need["need_max_m2"].astype(float),
            "rent_m2_year": unit["rent_m2_year"].astype(float),
            "charges_m2_year": np.nan,
            "budget_m2_year": pd.to_numeric(need["budget_m2_year"]).astype(float),
            "available_from": pd.Timestamp(available_from),
            "available_until": pd.NaT,
            "move_in_earliest": pd.to_datetime(need["move_in_earliest"]),
            "move_in_latest": pd.to_datetime(need["move_in_latest"]),
            **_feature_counts(need, unit),
            "step_free": True,
            "ground_floor": unit["use"].isin(STREET_LEVEL_USES),
            "priority_sector": need["priority_sector"].astype(bool),
            "stage": need["stage"].astype(object),
            "premises_in_qpv": unit["in_qpv"].astype(bool),
            **_terms(need, unit),
            "kind_accepted": [
                k in accepted for k, accepted in zip(kinds, need["types_acceptes"], strict=True)
            ],
        }
    )
    return pairs[list(PAIR_COLUMNS)]


def _feature_counts(need: pd.DataFrame, unit: pd.DataFrame) -> dict[str, list[int]]:
    """Nice-to-haves wished and met, must-haves missing, from the features of each use."""
    features = [_features(use) for use in unit["use"]]
    wished = zip(need["criteres_souhaites"], features, strict=True)
    required = zip(need["criteres_obligatoires"], features, strict=True)
    return {
        "features_wanted": [len(w) for w in need["criteres_souhaites"]],
        "features_met": [len(set(w) & f) for w, f in wished],
        "must_have_missing": [len(set(m) - f) for m, f in required],
    }


def _terms(need: pd.DataFrame, unit: pd.DataFrame) -> dict[str, pd.Series]:
    """The prices each pair offers and takes: rent for a need that rents, the capped sale
    price for one that buys."""
    rents = need["modes_occupation"].map(lambda modes: "location" in modes).astype(bool)
    buys = need["modes_occupation"].map(lambda modes: "achat" in modes).astype(bool)
    return {
        "sale_price_m2": unit["sale_price_m2"].astype(float),
        "budget_purchase_m2": pd.to_numeric(need["budget_purchase_m2"]).astype(float),
        "need_rents": rents,
        "need_buys": buys,
        "tenure_accepted": (rents & unit["rent_m2_year"].notna())
        | (buys & unit["sale_price_m2"].notna()),
    }


def _features(use: str) -> set[str]:
    return {"acces_pmr", "rez_de_chaussee"} if use in STREET_LEVEL_USES else {"acces_pmr"}


def coverage(
    session: Session,
    document: dict[str, Any],
    per_lot: pd.DataFrame,
    needs: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Needs served (optimal allocation), m² and jobs by sector, and the needs priced out.
    A caller that covers several variants passes the open needs it read once."""
    settings = current_settings(session)
    needs = open_needs(session) if needs is None else needs
    units = virtual_premises(session, document, per_lot)
    start = document.get("available_from") or date.today()
    pairs = coverage_pairs(needs, units, start)
    return summarise(pairs, needs, units, settings)


def summarise(
    pairs: pd.DataFrame, needs: pd.DataFrame, units: pd.DataFrame, settings: Settings
) -> dict[str, Any]:
    checks = check_constraints(pairs, settings)
    ok = pairs[checks["passes"]]
    scored = score_pairs(ok, settings).assign(take_m2=take_m2(ok).to_numpy())
    capacity = pd.DataFrame(
        {
            "premises_id": units["premises_id"],
            "capacity_m2": units["area_m2"],
            "places": 1,
            "multi": False,
        }
    )
    allocation = allocate_optimal(scored, capacity, needs=needs["need_id"].tolist())
    served = allocation.assignments.merge(needs, on="need_id").merge(
        units[["premises_id", "unit_ref", "lot_ref"]], on="premises_id"
    )
    served["need_lon"], served["need_lat"] = _positions(served)
    return {
        "needs_served": len(served),
        "area_served_m2": float(served["area_m2"].sum()),
        "jobs_hosted": int(served["jobs"].sum()),
        "premises_offered": len(units),
        "by_sector": _by_sector(served),
        "served": _records(
            served[
                [
                    "ref",
                    "unit_ref",
                    "lot_ref",
                    "area_m2",
                    "score",
                    "sector_label",
                    "need_lon",
                    "need_lat",
                ]
            ].rename(
                columns={"ref": "need_ref", "unit_ref": "premises_ref", "sector_label": "sector"}
            )
        ),
        "unaffordable": _unaffordable(checks, needs, served),
    }


def _positions(served: pd.DataFrame) -> tuple[list[float], list[float]]:
    """Where each served need is drawn (WGS84): its point, else a point of its zone."""
    points = [
        to_wgs84(c if c is not None else z.representative_point())
        for c, z in zip(served["centre"], served["zone"], strict=True)
    ]
    return [p.x for p in points], [p.y for p in points]


def _by_sector(served: pd.DataFrame) -> list[dict[str, Any]]:
    grouped = served.groupby("sector_label", sort=True).agg(
        needs=("need_id", "size"), area_m2=("area_m2", "sum"), jobs=("jobs", "sum")
    )
    return [
        {
            "sector": str(name),
            "needs": int(row.needs),
            "area_m2": float(row.area_m2),
            "jobs": int(row.jobs),
        }
        for name, row in grouped.iterrows()
    ]


def _unaffordable(
    checks: pd.DataFrame, needs: pd.DataFrame, served: pd.DataFrame
) -> list[dict[str, Any]]:
    """Needs left out only by the rent: every other constraint holds on some premises. The gap
    is the smallest excess over the budget's tolerance, in €/m²/year."""
    others = [c for c in checks.columns if c.startswith("ok_") and c != "ok_budget"]
    rent_too_high = checks["gap_budget_m2_year"] > 0
    priced_out = checks[checks[others].all(axis=1) & ~checks["ok_budget"] & rent_too_high]
    priced_out = priced_out[~priced_out["need_id"].isin(served["need_id"])]
    gaps = priced_out.groupby("need_id")["gap_budget_m2_year"].min()
    table = needs.set_index("need_id").loc[gaps.index, ["ref", "sector_label", "budget_m2_year"]]
    table = table.assign(gap_m2_year=gaps.round(2)).sort_values(["gap_m2_year", "ref"])
    return _records(table.rename(columns={"ref": "need_ref", "sector_label": "sector"}))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows: numpy scalars as Python's."""
    return [
        {str(k): v.item() if hasattr(v, "item") else v for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]
