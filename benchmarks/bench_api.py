"""Latency of one need's top 10 through the API, over HTTP, from another process.

    .venv/bin/python -m benchmarks.bench_api [--clients 1 8] [--top 10]

A throwaway database of the embedded PostGIS gets the reference layers and the demo dataset;
``foncier serve`` answers on a free port in its own process (the production server, as
``make demo`` runs it). Every open demo need's ``GET /api/v1/needs/<id>/candidates?top=10`` is
asked twice per round: first by one client, then by N clients at once (each on its own
keep-alive connection, the needs shared out between them). Before each round the data's
version moves (a sector's label is changed and restored), so the first pass computes every
answer ("froid") and the second reads what the server kept for this version ("gardé"): the
two figures an agent meets, after a change and after none. Latencies are wall-clock per
request as the client sees them; the table gives p50, p95 and max, and the throughput.

When the API asks for an account (401), an agent account and its API token are made with the
``foncier users`` commands, in that throwaway database.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from sqlalchemy import text

from foncier import config
from foncier.db import make_engine, make_sessionmaker, migrate, unit_of_work
from foncier.demo import DEFAULT_SEED, load_demo
from foncier.reference import load_reference
from foncier.vocabulary import OPEN_NEEDS
from tests.conftest import create_database, drop_database

FONCIER = Path(sys.executable).with_name("foncier")


@contextmanager
def demo_database() -> Iterator[str]:
    url = create_database(config.embedded_cluster().up().url(), prefix="foncier_bench_api")
    engine = make_engine(url)
    try:
        migrate.upgrade(url)
        with unit_of_work(make_sessionmaker(engine), "bench") as session:
            load_reference(session, config.reference_data_dir())
            load_demo(session, DEFAULT_SEED)
        yield url
    finally:
        engine.dispose()
        drop_database(url)


def open_needs(url: str) -> list[int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            query = text("SELECT id FROM besoins WHERE statut = ANY(:open) ORDER BY id")
            return [int(i) for i in connection.scalars(query, {"open": list(OPEN_NEEDS)})]
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(env: dict[str, str], port: int) -> Iterator[None]:
    command = [str(FONCIER), "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def api_token(env: dict[str, str], port: int) -> str | None:
    """None when the API answers without an account; else a new agent's token."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/api/v1/needs")
    status = connection.getresponse().status
    connection.close()
    if status != 401:
        return None
    email = "banc-essai@foncier.invalid"
    add = [str(FONCIER), "users", "add", email, "--role", "agent", "--password-stdin"]
    subprocess.run(add, env=env, input=secrets.token_urlsafe(16), text=True, check=True)
    made = subprocess.run(
        [str(FONCIER), "users", "token", email, "--name", "banc-essai"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return made.stdout.strip().split()[-1]


def move_version(url: str) -> None:
    """A sector's label changed and restored: the same data under a new version."""
    engine = make_engine(url)
    try:
        with unit_of_work(make_sessionmaker(engine), "bench") as session:
            for suffix in (" ", ""):
                session.execute(
                    text(
                        "UPDATE filieres SET libelle = rtrim(libelle) || :s "
                        "WHERE code = (SELECT min(code) FROM filieres)"
                    ),
                    {"s": suffix},
                )
    finally:
        engine.dispose()


def timed_requests(port: int, paths: list[str], token: str | None) -> list[list[float]]:
    """One keep-alive connection (so one worker) asking each path in turn, twice; seconds
    per answer, per pass."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    connection = http.client.HTTPConnection("127.0.0.1", port)
    passes = []
    for _ in range(2):
        seconds = []
        for path in paths:
            start = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            seconds.append(time.perf_counter() - start)
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
        passes.append(seconds)
    connection.close()
    return passes


def round_of(
    port: int, paths: list[str], clients: int, token: str | None
) -> list[dict[str, float]]:
    shares = [paths[i::clients] for i in range(clients)]
    with ThreadPoolExecutor(clients) as pool:
        found = list(pool.map(lambda share: timed_requests(port, share, token), shares))
    figures = []
    for number in range(2):
        ms = np.array([s for share in found for s in share[number]]) * 1000
        figures.append(
            {
                "clients": clients,
                "requests": len(ms),
                "p50": float(np.percentile(ms, 50)),
                "p95": float(np.percentile(ms, 95)),
                "max": float(ms.max()),
                "per_second": clients * 1000 / ms.mean(),  # each client waits for its answer
            }
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    with demo_database() as url:
        needs = open_needs(url)
        paths = [f"/api/v1/needs/{i}/candidates?top={args.top}" for i in needs]
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16)}
        port = free_port()
        with server(env, port):
            token = api_token(env, port)
            timed_requests(port, paths[:20], token)  # warm the caches and the connections
            print(f"{len(needs)} besoins ouverts de la démo, top {args.top}, par HTTP")
            print("clients  cache  requêtes   p50 ms   p95 ms   max ms   requêtes/s")
            for clients in args.clients:
                move_version(url)
                for cache, r in zip(
                    ("froid", "gardé"), round_of(port, paths, clients, token), strict=True
                ):
                    print(
                        f"{r['clients']:>7}  {cache:<5}  {r['requests']:>8}  {r['p50']:>7.1f}"
                        f"  {r['p95']:>7.1f}  {r['max']:>7.1f}  {r['per_second']:>11.1f}"
                    )


if __name__ == "__main__":
    main()
