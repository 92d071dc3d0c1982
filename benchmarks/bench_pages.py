"""What each page of the load mix costs, computed and kept, in one process.

    .venv/bin/python -m benchmarks.bench_pages [--needs 100] [--premises 100]

A throwaway database of the embedded PostGIS gets the reference layers and the demo dataset;
an agent's session asks, through Flask's test client (no HTTP, no other process), every page
of ``benchmarks/load.py``'s mix: the home page, the three lists, the records' pages, the
needs' candidates, an API list and the API's top 10. First every page once after the kept
values are dropped, in the order of the mix ("calculé": what a worker pays after a write),
then every page again ("gardé"). It prints, per kind, the pages, the mean wall time and CPU
time per page, and the total: the CPU a worker spends to compute the whole mix again.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import text

from benchmarks.bench_api import demo_database
from foncier.accounts.service import add_account
from foncier.db import make_engine, make_sessionmaker
from foncier.db.kept import forget
from web import create_app


def _ids(url: str, table: str, limit: int) -> list[int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            query = text(f"SELECT id FROM {table} ORDER BY id LIMIT :n")
            return [int(i) for i in connection.scalars(query, {"n": limit})]
    finally:
        engine.dispose()


def _signed_in(url: str) -> FlaskClient:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            account = add_account(session, "banc-pages@foncier.invalid", ["agent"], "x" * 16, "b")
            user_id = f"{account.id}:{account.jeton_session}"
    finally:
        engine.dispose()
    client = create_app({"DATABASE_URL": url, "GEOCODER_URL": "aucun"}).test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user_id, True
    return client


def _mix(needs: list[int], premises: list[int]) -> dict[str, list[str]]:
    return {
        "home": ["/"],
        "list": ["/locaux/", "/acteurs/", "/besoins/"],
        "detail": [f"/locaux/{i}" for i in premises] + [f"/besoins/{i}" for i in needs],
        "candidates": [f"/besoins/{i}/candidats" for i in needs],
        "api_list": ["/api/v1/premises?page_size=20"],
        "api_top10": [f"/api/v1/needs/{i}/candidates?top=10" for i in needs],
    }


def _timed(ask: Callable[[str], int], paths: list[str]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        status = ask(path)
        if status != 200:
            raise SystemExit(f"{path} : réponse {status}")
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=100)
    parser.add_argument("--premises", type=int, default=100)
    args = parser.parse_args()
    with demo_database() as url:
        client = _signed_in(url)
        mix = _mix(_ids(url, "besoins", args.needs), _ids(url, "locaux", args.premises))

        def ask(path: str) -> int:
            return client.get(path).status_code

        print(f"{'page':<12}{'n':>5}{'cache':>8}{'ms/page':>10}{'CPU ms':>9}{'CPU total s':>13}")
        forget()
        for cache in ("calculé", "gardé"):
            total = 0.0
            for kind, paths in mix.items():
                wall, cpu = _timed(ask, paths)
                total += cpu
                n = len(paths)
                print(
                    f"{kind:<12}{n:>5}{cache:>8}{wall / n * 1000:>10.1f}"
                    f"{cpu / n * 1000:>9.1f}{cpu:>13.2f}"
                )
            print(f"{'total':<12}{'':>5}{cache:>8}{'':>10}{'':>9}{total:>13.2f}")


if __name__ == "__main__":
    main()
