"""A competent in-memory competitor to the product's matcher, for the benchmark.

Written apart from the product, the straightforward way a data scientist would: read both
tables once with geopandas, find the pairs with one spatial index per kind (geopandas'
``sindex.query`` with ``dwithin``), filter them with plain pandas, then call the product's own
scoring and allocation. It must find exactly the product's pairs (the benchmark asserts it).
It knows what the synthetic data hold: no adopted price cap (the rent asked is the rent
offered), wished zones drawn or by communes, no unknown must-have.
"""

from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy.orm import Session

from matching.allocation import Allocation, allocate_optimal
from matching.constraints import take_m2
from matching.pairs import PAIR_COLUMNS
from matching.scoring import score_pairs
from matching.settings import Settings

NEEDS = """
SELECT b.id AS need_id, b.types_acceptes, b.modes_occupation, b.surface_min_m2,
       b.surface_max_m2, b.budget_loyer_m2_an, b.budget_achat_m2, b.distance_max_m,
       b.emmenagement_au_plus_tot, b.emmenagement_au_plus_tard, b.criteres_obligatoires,
       b.criteres_souhaites, COALESCE(f.prioritaire, false) AS prioritaire, a.stade,
       ST_AsBinary(b.zone_souhaitee) AS zone_wkb, b.communes_souhaitees, b.geom
FROM besoins b JOIN acteurs a ON a.id = b.acteur_id LEFT JOIN filieres f ON f.code = a.filiere
WHERE b.statut IN ('ouvert', 'en_proposition')
ORDER BY b.id"""
PREMISES = """
SELECT id AS premises_id, type_local, surface_m2, divisible, surface_lot_min_m2, partageable,
       loyer_m2_an, charges_m2_an, prix_vente_m2, disponible_le, disponible_jusqu_au,
       acces_pmr, rez_de_chaussee, acces_livraison, stationnement,
       categorie_erp IS NOT NULL AS erp, en_qpv, geom
FROM locaux
WHERE statut = 'disponible' AND nature IN ('local', 'lot') AND geom IS NOT NULL
ORDER BY id"""
_NEED_FILTERS = [
    "surface_min_m2", "surface_max_m2", "budget_loyer_m2_an", "budget_achat_m2", "rents",
    "buys", "temp", "emmenagement_au_plus_tot", "emmenagement_au_plus_tard", "must",
]  # fmt: skip
_PREMISES_FILTERS = [
    "surface_m2", "partageable", "divisible", "surface_lot_min_m2", "loyer_m2_an",
    "charges_m2_an", "prix_vente_m2", "disponible_le", "disponible_jusqu_au", "features",
]  # fmt: skip
FEATURES = ["acces_pmr", "rez_de_chaussee", "acces_livraison", "stationnement", "erp"]


def _mask(lists: pd.Series) -> np.ndarray:
    bits = {name: 1 << i for i, name in enumerate(FEATURES)}
    return np.array([sum(bits[f] for f in set(items or [])) for items in lists], dtype=np.int64)


def read(session: Session) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    connection = session.connection()
    needs = gpd.read_postgis(NEEDS, connection, geom_col="geom")
    premises = gpd.read_postgis(PREMISES, connection, geom_col="geom")
    # All-NULL columns come as objects: money and areas are floats.
    for frame, names in (
        (needs, ["surface_min_m2", "surface_max_m2", "budget_loyer_m2_an", "budget_achat_m2"]),
        (premises, ["surface_lot_min_m2", "loyer_m2_an", "charges_m2_an", "prix_vente_m2"]),
    ):
        frame[names] = frame[names].astype(float)
    needs["distance_max_m"] = needs["distance_max_m"].astype(float)
    communes = gpd.read_postgis("SELECT code_insee, geom FROM communes", connection, "geom")
    by_code = dict(zip(communes["code_insee"], communes.geometry, strict=True))
    zones = []
    for wkb, codes in zip(needs["zone_wkb"], needs["communes_souhaitees"], strict=True):
        parts = [shapely.from_wkb(bytes(wkb))] if wkb is not None else []
        parts += [by_code[c] for c in codes or []]
        zones.append(shapely.union_all(parts) if parts else None)
    needs["zone"] = gpd.GeoSeries(zones, crs=needs.crs)
    needs["probe"] = needs["zone"].where(needs["zone"].notna(), needs.geometry)
    for mode, name in (("location", "rents"), ("achat", "buys"), ("occupation_temporaire", "temp")):
        needs[name] = needs["modes_occupation"].map(lambda m, mode=mode: mode in m)
    for frame, names in (
        (needs, ["emmenagement_au_plus_tot", "emmenagement_au_plus_tard"]),
        (premises, ["disponible_le", "disponible_jusqu_au"]),
    ):
        frame[names] = frame[names].apply(pd.to_datetime)
    needs["wanted"] = needs["criteres_souhaites"].map(len)
    needs["must"] = _mask(needs["criteres_obligatoires"])
    needs["wish"] = _mask(needs["criteres_souhaites"])
    offered = premises[FEATURES].to_numpy(dtype=bool)
    premises["features"] = (offered * (1 << np.arange(len(FEATURES)))).sum(axis=1)
    return needs, premises


def _spatial(needs: gpd.GeoDataFrame, premises: gpd.GeoDataFrame) -> pd.DataFrame:
    """Need and premises positions within reach, kind by kind."""
    found = []
    for kind, group in premises.groupby("type_local"):
        asking = needs[needs["types_acceptes"].map(lambda kinds, k=kind: k in kinds)]
        asking = asking[asking["probe"].notna()]
        reach = asking["distance_max_m"].fillna(0.0).to_numpy()
        hits = group.sindex.query(
            gpd.GeoSeries(asking["probe"]), predicate="dwithin", distance=reach
        )
        found.append(pd.DataFrame({"n": asking.index[hits[0]], "p": group.index[hits[1]]}))
    return pd.concat(found, ignore_index=True)


def _cents(values: pd.Series) -> pd.Series:
    return np.rint(values * 100)


def pairs_frame(
    needs: gpd.GeoDataFrame, premises: gpd.GeoDataFrame, settings: Settings
) -> pd.DataFrame:
    """The pairs that pass every hard constraint, as the product's pairs frame."""
    hits = _spatial(needs, premises)
    # Plain columns only while filtering; geometries and texts once the pairs are known.
    n = pd.DataFrame(needs[_NEED_FILTERS]).loc[hits["n"]].reset_index()
    p = pd.DataFrame(premises[_PREMISES_FILTERS]).loc[hits["p"]].reset_index()
    rents, buys, temporary = n["rents"], n["buys"], n["temp"]
    has_rent, has_sale = p["loyer_m2_an"].notna(), p["prix_vente_m2"].notna()
    until = p["disponible_jusqu_au"]
    earliest = n["emmenagement_au_plus_tot"]
    latest = n["emmenagement_au_plus_tard"]
    deadline = latest.fillna(earliest + pd.Timedelta(days=settings.wait_horizon_days))
    widen = 1 + settings.budget_tolerance
    cost = _cents(p["loyer_m2_an"] + p["charges_m2_an"].fillna(0.0))
    rent_ok = n["budget_loyer_m2_an"].isna() | (cost <= _cents(n["budget_loyer_m2_an"] * widen))
    sale_ok = n["budget_achat_m2"].isna() | (
        _cents(p["prix_vente_m2"]) <= _cents(n["budget_achat_m2"] * widen)
    )
    renting, buying = rents & has_rent, buys & has_sale
    keep = (
        (p["surface_m2"] >= n["surface_min_m2"])
        & (
            (p["surface_m2"] <= n["surface_max_m2"])
            | p["partageable"]
            | (p["divisible"] & (p["surface_lot_min_m2"].fillna(0.0) <= n["surface_max_m2"]))
        )
        & (p["disponible_le"] <= deadline)
        & (until.isna() | (until >= earliest))
        & (until.isna() | temporary)
        & ((has_rent & rents) | (has_sale & buys) | ~(has_rent | has_sale))
        & (~(renting | buying) | (renting & rent_ok) | (buying & sale_ok))
        & ((n["must"] & ~p["features"]) == 0)
    )
    n = needs.drop(columns=["geom"]).loc[n.loc[keep, "index"]].reset_index(drop=True)
    p = premises.loc[p.loc[keep, "index"]].reset_index(drop=True)
    points = gpd.GeoSeries(p.geometry.to_numpy())
    distance = gpd.GeoSeries(n["probe"].to_numpy()).distance(points, align=False)
    zoned = n["zone"].notna().to_numpy()
    in_zone = np.zeros(len(n), dtype=bool)
    if zoned.any():
        in_zone[zoned] = shapely.intersects(n["zone"].to_numpy()[zoned], points.to_numpy()[zoned])
    close = in_zone | (distance.to_numpy() <= n["distance_max_m"].to_numpy())
    n, p, distance, in_zone = n[close], p[close], distance[close], in_zone[close]
    frame = pd.DataFrame(
        {
            "need_id": n["need_id"].to_numpy(),
            "premises_id": p["premises_id"].to_numpy(),
            "distance_m": distance.to_numpy(),
            "in_zone": in_zone,
            "max_distance_m": n["distance_max_m"].to_numpy(),
            "area_m2": p["surface_m2"].to_numpy(),
            "divisible": p["divisible"].to_numpy(),
            "lot_min_m2": p["surface_lot_min_m2"].to_numpy(),
            "shared": p["partageable"].to_numpy(),
            "need_min_m2": n["surface_min_m2"].to_numpy(),
            "need_max_m2": n["surface_max_m2"].to_numpy(),
            "rent_m2_year": p["loyer_m2_an"].to_numpy(),
            "charges_m2_year": p["charges_m2_an"].to_numpy(),
            "budget_m2_year": n["budget_loyer_m2_an"].to_numpy(),
            "sale_price_m2": p["prix_vente_m2"].to_numpy(),
            "budget_purchase_m2": n["budget_achat_m2"].to_numpy(),
            "need_rents": n["rents"].to_numpy(),
            "need_buys": n["buys"].to_numpy(),
            "available_from": p["disponible_le"].to_numpy(),
            "available_until": p["disponible_jusqu_au"].to_numpy(),
            "move_in_earliest": n["emmenagement_au_plus_tot"].to_numpy(),
            "move_in_latest": n["emmenagement_au_plus_tard"].to_numpy(),
            "features_wanted": n["wanted"].to_numpy(),
            "features_met": np.bitwise_count(n["wish"].to_numpy() & p["features"].to_numpy()),
            "must_have_missing": np.zeros(len(n), dtype=np.int64),
            "step_free": p["acces_pmr"].to_numpy(),
            "ground_floor": p["rez_de_chaussee"].to_numpy(),
            "priority_sector": n["prioritaire"].to_numpy(),
            "stage": n["stade"].to_numpy(),
            "premises_in_qpv": p["en_qpv"].to_numpy(),
            "kind_accepted": np.ones(len(n), dtype=bool),
            "tenure_accepted": np.ones(len(n), dtype=bool),
        }
    )
    frame = frame.astype({k: v for k, v in PAIR_COLUMNS.items() if v != "object"})
    return frame.sort_values(["need_id", "premises_id"], ignore_index=True)


def run(session: Session, settings: Settings) -> tuple[dict[str, float], Allocation, pd.DataFrame]:
    """Seconds per step, the allocation, and the pairs (need_id, premises_id) found."""
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    needs, premises = read(session)
    pairs = pairs_frame(needs, premises, settings)
    seconds["candidates"] = time.perf_counter() - start
    start = time.perf_counter()
    scores = score_pairs(pairs, settings)["score"]
    seconds["scores"] = time.perf_counter() - start
    start = time.perf_counter()
    inputs = pd.DataFrame(
        {
            "need_id": pairs["need_id"].to_numpy(),
            "premises_id": pairs["premises_id"].to_numpy(),
            "score": scores.to_numpy(),
            "take_m2": take_m2(pairs).to_numpy(),
        }
    )
    first = pairs.drop_duplicates("premises_id")
    capacity = pd.DataFrame(
        {
            "premises_id": first["premises_id"].to_numpy(),
            "capacity_m2": first["area_m2"].to_numpy(),
            "places": 1,
            "multi": False,
        }
    )
    allocation = allocate_optimal(inputs, capacity)
    seconds["allocation"] = time.perf_counter() - start
    return seconds, allocation, inputs[["need_id", "premises_id"]]
