"""Benchmark of the demand observatory at 100,000 needs (not a test: it prints a table).

    .venv/bin/python -m benchmarks.bench_observatory                      # 100,000 needs
    .venv/bin/python -m benchmarks.bench_observatory --needs 20000 --premises 2000

Synthetic needs and premises (``benchmarks.synthetic``) in a throwaway database of the
embedded PostGIS, then made to look like a register that has lived: actors spread over the
ten sectors and three stages, registrations spread over two years, and one need in twenty
served. Those updates go through the history triggers, so that the history the "served per
month" figure reads holds a row per need and one per service. Each figure of the page is
timed on its own (after one warm-up of the whole page), then the page itself through the
Flask test client, HTML, charts and map included: the first view (nothing kept), then a second
one, which finds the figures and drawings kept while the data has not changed.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from benchmarks.bench_matching import bench_database, timed
from foncier.db import make_sessionmaker
from foncier.db.kept import forget
from foncier.observatory import observatory
from foncier.observatory.crossing import sector_by_commune
from foncier.observatory.demand import DIMENSIONS, demand_by, demand_summary, demand_tables
from foncier.observatory.geography import demand_map
from foncier.observatory.granted import time_to_favourable
from foncier.observatory.priced_out import priced_out
from foncier.observatory.served import served_per_month
from foncier.vocabulary import FILIERES_DEFAUT

_LIVED = """
UPDATE acteurs SET filiere = (CAST(:sectors AS text[]))[1 + id % :n_sectors],
                   stade = (ARRAY['emergence', 'developpement', 'changement_echelle'])[1 + id % 3]
WHERE source = 'bench';
UPDATE besoins SET created_at = now() - (id % 730) * interval '1 day' WHERE source = 'bench';
UPDATE besoins SET statut = 'satisfait' WHERE source = 'bench' AND id % 20 = 0;
ANALYZE;
"""


def lived(session: Session) -> None:
    sectors = [code for code, _, _ in FILIERES_DEFAUT]
    for statement in filter(str.strip, _LIVED.split(";")):
        session.execute(text(statement), {"sectors": sectors, "n_sectors": len(sectors)})


def figures(session: Session) -> dict[str, Callable[[], Any]]:
    steps: dict[str, Callable[[], Any]] = {"summary": lambda: demand_summary(session)}
    for dimension in DIMENSIONS:
        steps[f"by {dimension}"] = partial(demand_by, session, dimension)
    steps |= {
        "summary and every dimension (as the page reads them)": partial(demand_tables, session),
        "served per month": lambda: served_per_month(session),
        "registration to favourable decision": lambda: time_to_favourable(session),
        "sector × commune": lambda: sector_by_commune(session),
        "map layers": lambda: demand_map(session),
        "priced out": lambda: priced_out(session),
    }
    return steps


def page_seconds(url: str, session: Session, path: str = "/observatoire/") -> tuple[float, float]:
    """The page as a planner opens it (signed in, as Flask-Login keeps the account): the
    first view, figures computed and drawn, then a second one, the data unchanged."""
    from foncier.accounts.service import add_account
    from web import create_app

    email = f"bench-{len(path)}@bench.invalid"  # one account per page timed
    account = add_account(session, email, ["planificateur"], "banc d'essai", "bench")
    app = create_app({"DATABASE_URL": url, "TESTING": True, "GEOCODER_URL": "aucun"})
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = f"{account.id}:{account.jeton_session}"
        cookie["_fresh"] = True
    forget()
    answer, cold = timed(lambda: client.get(path))
    assert answer.status_code == 200, answer.status_code
    answer, kept = timed(lambda: client.get(path))
    assert answer.status_code == 200, answer.status_code
    engine = app.extensions["foncier.store"].engine
    if engine is not None:
        engine.dispose()
    return cold, kept


def run(n_needs: int, n_premises: int, seed: int) -> None:
    """Print a row per figure as soon as it is timed."""
    with (
        bench_database(n_premises, n_needs, seed, 1) as engine,
        make_sessionmaker(engine)() as session,
    ):
        lived(session)
        session.commit()
        observatory(session)  # warm the caches: we time a running server
        for name, step in figures(session).items():
            result, seconds = timed(step)
            print(f"| {name} | {seconds:.3f} | {_size(result)} |", flush=True)
        url = engine.url.render_as_string(hide_password=False)
        for name, path in (
            ("page", "/observatoire/"),
            ("priced-out page", "/observatoire/trop-chers"),
        ):
            cold, kept = page_seconds(url, session, path)
            print(f"| {name} (HTTP, signed in), first view | {cold:.3f} | |", flush=True)
            print(f"| {name}, again (data unchanged) | {kept:.3f} | |", flush=True)


def _size(result: Any) -> str:
    if isinstance(result, tuple):
        return f"{result[0].needs:,} needs, {len(result[1])} tables"
    rows = getattr(result, "rows", None)
    if rows is not None:
        return f"{len(rows):,} rows"
    communes = getattr(result, "communes", None)
    if communes is not None:
        return f"{len(communes)} communes, {len(result.premises):,} premises"
    return f"{result.needs:,} needs" if hasattr(result, "needs") else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--premises", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=33)
    args = parser.parse_args()
    start = time.perf_counter()
    print(f"{args.needs:,} needs, {args.premises:,} premises", flush=True)
    print("| figure | seconds | size |")
    print("|---|---|---|", flush=True)
    run(args.needs, args.premises, args.seed)
    print(f"({time.perf_counter() - start:.0f} s in all, load included)")
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
