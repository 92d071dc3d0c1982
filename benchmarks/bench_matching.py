"""Benchmark of the matcher on synthetic Bordeaux-like data (not a test: it prints a table).

    .venv/bin/python -m benchmarks.bench_matching --sizes 1000 2000
    .venv/bin/python -m benchmarks.bench_matching --sizes 2000 --needs 1500  # Métropole scale

For each size n: n premises and n/2 needs placed in the 28 communes, in a throwaway
database of the embedded PostGIS. Candidates (PostGIS), scores and the optimal allocation are
timed separately, then compared with a naive baseline run in the same process: a geopandas
cross join of every need with every premises (no filter, not even spatial), each pair checked
and scored on its own. The baseline is timed on a random sample of the cross join and scaled
to its full size (stated in the table).
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
from geoalchemy2.shape import from_shape
from shapely import Point
from shapely.prepared import prep
from sqlalchemy import insert, text

from foncier import migrate, settings
from foncier.candidates import Scope, candidate_pairs
from foncier.db import make_engine, make_sessionmaker, unit_of_work
from foncier.geo import STORE_SRID
from foncier.models.base import table_of
from foncier.models.registry import Acteur, Besoin, Local
from foncier.reference import load_reference
from matching.allocation import allocate_optimal
from matching.constraints import check_constraints, take_m2
from matching.scoring import score_pairs
from matching.settings import Settings
from tests.conftest import create_database, drop_database

T = TypeVar("T")
KINDS = np.array(["bureau", "activite", "commerce", "stockage", "tiers_lieu"])
ANCHOR = date(2026, 9, 1)


def timed(action: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def points(rng: np.random.Generator, communes: gpd.GeoDataFrame, count: int) -> list[Point]:
    """Uniform points inside the Métropole (Lambert-93), by rejection."""
    area = communes.geometry.union_all()
    inside = prep(area)
    minx, miny, maxx, maxy = area.bounds
    found: list[Point] = []
    while len(found) < count:
        xs = rng.uniform(minx, maxx, count)
        ys = rng.uniform(miny, maxy, count)
        found.extend(p for p in map(Point, xs, ys) if inside.contains(p))
    return found[:count]


def premises_rows(rng: np.random.Generator, where: list[Point]) -> list[dict[str, Any]]:
    n = len(where)
    area = np.clip(rng.lognormal(np.log(150), 0.8, n), 15, 3000).round()
    divisible = (area > 300) & (rng.random(n) < 0.3)
    return [
        {
            "source": "bench",
            "ref": f"BL-{i}",
            "nom": f"Local {i}",
            "type_local": str(k),
            "origine": "partenaire",
            "surface_m2": float(a),
            "divisible": bool(d),
            "surface_lot_min_m2": float(a / 4) if d else None,
            "partageable": bool(k == "tiers_lieu"),
            "loyer_m2_an": float(r),
            "charges_m2_an": 20.0,
            "statut": "disponible",
            "disponible_le": ANCHOR + timedelta(days=int(t)),
            "acces_pmr": bool(p),
            "geom": from_shape(pt, srid=STORE_SRID),
        }
        for i, (k, a, d, r, t, p, pt) in enumerate(
            zip(
                rng.choice(KINDS, n),
                area,
                divisible,
                rng.uniform(50, 250, n),
                rng.integers(-90, 200, n),
                rng.random(n) < 0.5,
                where,
                strict=True,
            )
        )
    ]


def needs_rows(
    rng: np.random.Generator, where: list[Point], actor_ids: list[int]
) -> list[dict[str, Any]]:
    n = len(where)
    low = np.clip(rng.lognormal(np.log(100), 0.7, n), 15, 1500).round()
    return [
        {
            "source": "bench",
            "ref": f"BB-{i}",
            "acteur_id": a,
            "intitule": f"Besoin {i}",
            "types_acceptes": list(rng.choice(KINDS, 2, replace=False)),
            "modes_occupation": ["location"],
            "surface_min_m2": float(lo),
            "surface_max_m2": float(lo * 1.6),
            "budget_loyer_m2_an": float(b),
            "distance_max_m": float(d),
            "emmenagement_au_plus_tot": ANCHOR,
            "emmenagement_au_plus_tard": ANCHOR + timedelta(days=240),
            "statut": "ouvert",
            "communes_souhaitees": [],
            "criteres_obligatoires": [],
            "criteres_souhaites": [],
            "geom": from_shape(pt, srid=STORE_SRID),
        }
        for i, (a, lo, b, d, pt) in enumerate(
            zip(
                actor_ids,
                low,
                rng.uniform(80, 300, n),
                rng.choice([2000, 3000, 5000], n),
                where,
                strict=True,
            )
        )
    ]


@contextmanager
def bench_database(size: int, n_needs: int, seed: int) -> Iterator[Any]:
    url = create_database(settings.embedded_cluster().up().url(), prefix=f"foncier_bench{size}")
    engine = make_engine(url)
    try:
        migrate.upgrade(url)
        with unit_of_work(make_sessionmaker(engine), "bench") as session:
            load_reference(session, settings.reference_data_dir())
            communes = gpd.read_postgis(
                text("SELECT geom FROM communes"), session.connection(), geom_col="geom"
            )
            rng = np.random.default_rng(seed)
            session.execute(
                insert(table_of(Local)), premises_rows(rng, points(rng, communes, size))
            )
            actors = [
                {
                    "source": "bench",
                    "ref": f"BA-{i}",
                    "nom": f"Acteur {i}",
                    "siren": "732829320",
                    "forme_juridique": "association",
                    "filiere": "reemploi",
                    "stade": "developpement",
                }
                for i in range(n_needs)
            ]
            ids = list(session.scalars(insert(table_of(Acteur)).returning(Acteur.id), actors))
            session.execute(
                insert(table_of(Besoin)), needs_rows(rng, points(rng, communes, n_needs), ids)
            )
        yield engine
    finally:
        engine.dispose()
        drop_database(url)


def cross_join_sample(session: Any, config: Settings, sample: int, seed: int) -> pd.DataFrame:
    """Rows of the full cross join (every premises for a few needs, no filter at all)."""
    need_ids = list(session.scalars(text("SELECT id FROM besoins ORDER BY id LIMIT 3")))
    frames = [
        candidate_pairs(session, config, Scope(i, strict=False, margin_m=1e7)) for i in need_ids
    ]
    rows = pd.concat(frames, ignore_index=True)
    return rows.sample(min(sample, len(rows)), random_state=seed)


def naive_baseline(pairs_sample: pd.DataFrame, config: Settings) -> float:
    """Seconds per pair of the naive way: each pair checked and scored on its own."""
    start = time.perf_counter()
    for index in range(len(pairs_sample)):
        row = pairs_sample.iloc[[index]]
        if check_constraints(row, config)["passes"].iloc[0]:
            score_pairs(row, config)
    return (time.perf_counter() - start) / max(len(pairs_sample), 1)


def run(size: int, n_needs: int, seed: int, sample: int) -> dict[str, Any]:
    config = Settings()
    with bench_database(size, n_needs, seed) as engine, make_sessionmaker(engine)() as session:
        candidate_pairs(session, config)  # warm the caches: we time a running process
        pairs, t_candidates = timed(lambda: candidate_pairs(session, config))
        scores, t_scores = timed(lambda: score_pairs(pairs, config))
        inputs = pd.DataFrame(
            {
                "need_id": pairs["need_id"],
                "premises_id": pairs["premises_id"],
                "score": scores["score"],
                "take_m2": take_m2(pairs),
            }
        )
        capacity = pairs.drop_duplicates("premises_id").assign(
            capacity_m2=lambda f: f["area_m2"], places=1, multi=False
        )[["premises_id", "capacity_m2", "places", "multi"]]
        allocation, t_allocation = timed(lambda: allocate_optimal(inputs, capacity))
        per_pair = naive_baseline(cross_join_sample(session, config, sample, seed), config)
    cross = size * n_needs
    return {
        "premises": size,
        "needs": n_needs,
        "pairs": len(pairs),
        "candidates_s": t_candidates,
        "scores_s": t_scores,
        "allocation_s": t_allocation,
        "method": allocation.method,
        "gap": allocation.gap,
        "total_s": t_candidates + t_scores + t_allocation,
        "baseline_s": per_pair * cross,
        "baseline_rows": cross,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument("--seed", type=int, default=33)
    parser.add_argument("--sample", type=int, default=2000, help="pairs timed for the baseline")
    parser.add_argument("--needs", type=int, help="needs per size (default: half the premises)")
    args = parser.parse_args()
    print(
        "| premises | needs | pairs | candidates | scores | allocation | total | "
        "naive baseline (est.) | ratio | max RSS |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        r = run(size, args.needs or size // 2, args.seed, args.sample)
        print(
            f"| {r['premises']} | {r['needs']} | {r['pairs']} | {r['candidates_s']:.3f} s "
            f"| {r['scores_s']:.3f} s | {r['allocation_s']:.3f} s ({r['method']}, gap "
            f"{r['gap']:.1e}) | {r['total_s']:.3f} s | {r['baseline_s']:.0f} s over "
            f"{r['baseline_rows']:,} rows | ×{r['baseline_s'] / r['total_s']:.0f} "
            f"| {r['max_rss_mb']:.0f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
