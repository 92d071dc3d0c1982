"""Synthetic Bordeaux-like premises and needs for the benchmark, loaded by COPY.

Points are uniform inside the 28 communes (Lambert-93). With ``territories`` K > 1 the
Métropole is repeated K times side by side (each copy 10 km east of the previous one) and the
records are dealt round-robin between the copies: the density of each copy is that of a
Métropole holding size / K premises, instead of growing with the size.

The draws are those of the first version of the benchmark (same seed, same data), and the
rows go in by COPY with the history triggers off (a throwaway database: its synthetic rows
need no audit trail), the trigger that places each record in its commune still on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

KINDS = np.array(["bureau", "activite", "commerce", "stockage", "tiers_lieu"])
ANCHOR = date(2026, 9, 1)
GAP_M = 10_000.0  # between two copies of the Métropole


def points(
    rng: np.random.Generator, communes: gpd.GeoDataFrame, count: int, territories: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points inside the Métropole (Lambert-93), by rejection; x, y arrays."""
    area = communes.geometry.union_all()
    shapely.prepare(area)
    minx, miny, maxx, maxy = area.bounds
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    found = 0
    while found < count:
        x = rng.uniform(minx, maxx, count)
        y = rng.uniform(miny, maxy, count)
        inside = shapely.contains_xy(area, x, y)
        xs.append(x[inside])
        ys.append(y[inside])
        found += int(inside.sum())
    x, y = np.concatenate(xs)[:count], np.concatenate(ys)[:count]
    copy = np.arange(count) % territories
    return x + copy * (maxx - minx + GAP_M), y


def _ewkt(x: np.ndarray, y: np.ndarray) -> list[str]:
    return [f"SRID=2154;POINT({a!r} {b!r})" for a, b in zip(x.tolist(), y.tolist(), strict=True)]


def premises_columns(rng: np.random.Generator, x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    n = len(x)
    area = np.clip(rng.lognormal(np.log(150), 0.8, n), 15, 3000).round()
    divisible = (area > 300) & (rng.random(n) < 0.3)
    kinds = rng.choice(KINDS, n)
    rents = rng.uniform(50, 250, n)
    delays = rng.integers(-90, 200, n)
    step_free = rng.random(n) < 0.5
    return {
        "source": ["bench"] * n,
        "ref": [f"BL-{i}" for i in range(n)],
        "nom": [f"Local {i}" for i in range(n)],
        "type_local": kinds.tolist(),
        "origine": ["partenaire"] * n,
        "surface_m2": area.tolist(),
        "divisible": divisible.tolist(),
        "surface_lot_min_m2": [a / 4 if d else None for a, d in zip(area, divisible, strict=True)],
        "partageable": (kinds == "tiers_lieu").tolist(),
        "loyer_m2_an": rents.tolist(),
        "charges_m2_an": [20.0] * n,
        "statut": ["disponible"] * n,
        "disponible_le": [ANCHOR + timedelta(days=int(t)) for t in delays],
        "acces_pmr": step_free.tolist(),
        "rez_de_chaussee": [False] * n,
        "acces_livraison": [False] * n,
        "stationnement": [False] * n,
        "version": [1] * n,
        "geom": _ewkt(x, y),
    }


def needs_columns(
    rng: np.random.Generator, x: np.ndarray, y: np.ndarray, actor_ids: Sequence[int]
) -> dict[str, Any]:
    n = len(x)
    low = np.clip(rng.lognormal(np.log(100), 0.7, n), 15, 1500).round()
    budgets = rng.uniform(80, 300, n)
    distances = rng.choice([2000, 3000, 5000], n)
    return {
        "source": ["bench"] * n,
        "ref": [f"BB-{i}" for i in range(n)],
        "acteur_id": list(actor_ids),
        "intitule": [f"Besoin {i}" for i in range(n)],
        "types_acceptes": [rng.choice(KINDS, 2, replace=False).tolist() for _ in range(n)],
        "modes_occupation": [["location"]] * n,
        "surface_min_m2": low.tolist(),
        "surface_max_m2": (low * 1.6).tolist(),
        "budget_loyer_m2_an": budgets.tolist(),
        "distance_max_m": distances.astype(float).tolist(),
        "emmenagement_au_plus_tot": [ANCHOR] * n,
        "emmenagement_au_plus_tard": [ANCHOR + timedelta(days=240)] * n,
        "statut": ["ouvert"] * n,
        "communes_souhaitees": [[]] * n,
        "criteres_obligatoires": [[]] * n,
        "criteres_souhaites": [[]] * n,
        "partage_accepte": [False] * n,
        "version": [1] * n,
        "geom": _ewkt(x, y),
    }


def actors_columns(n: int) -> dict[str, Any]:
    return {
        "source": ["bench"] * n,
        "ref": [f"BA-{i}" for i in range(n)],
        "nom": [f"Acteur {i}" for i in range(n)],
        "siren": ["732829320"] * n,
        "forme_juridique": ["association"] * n,
        "filiere": ["reemploi"] * n,
        "stade": ["developpement"] * n,
        "agrement_esus": [False] * n,
        "archive": [False] * n,
        "version": [1] * n,
    }


def copy_into(session: Session, table: str, columns: dict[str, Any]) -> None:
    """COPY the columns into ``table``, its history trigger off for the load."""
    names = list(columns)
    rows: Iterable[tuple[Any, ...]] = zip(*columns.values(), strict=True)
    session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_historique"))
    connection = session.connection().connection.driver_connection
    assert connection is not None
    with connection.cursor() as cursor:
        statement = f"COPY {table} ({', '.join(names)}) FROM STDIN"
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    session.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {table}_historique"))


def load(session: Session, size: int, n_needs: int, seed: int, territories: int = 1) -> None:
    """``size`` premises and ``n_needs`` needs (one actor each), then ANALYZE."""
    communes = gpd.read_postgis(
        text("SELECT geom FROM communes"), session.connection(), geom_col="geom"
    )
    rng = np.random.default_rng(seed)
    copy_into(session, "locaux", premises_columns(rng, *points(rng, communes, size, territories)))
    copy_into(session, "acteurs", actors_columns(n_needs))
    actor_ids = list(
        session.scalars(text("SELECT id FROM acteurs WHERE source = 'bench' ORDER BY id"))
    )
    where = points(rng, communes, n_needs, territories)
    copy_into(session, "besoins", needs_columns(rng, *where, actor_ids))
    session.execute(text("ANALYZE"))
