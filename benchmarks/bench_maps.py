"""Weight and time of a registry's list page, the home page and their map points, at 5,000
premises.

    .venv/bin/python -m benchmarks.bench_maps [--premises 5000] [--rounds 30]

A throwaway database of the embedded PostGIS gets the reference layers and synthetic premises
(``benchmarks.synthetic``); ``foncier serve`` answers on a free port in its own process. An
agent account signs in through the sign-in form, then each URL is asked ``rounds`` times on a
keep-alive connection: the table gives its weight and its time as the client sees it (p50,
p95, max). The map points are asked once cold (computed), then warm (the server's cache), then
with the ETag the browser holds (304, nothing sent again).
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import time
import urllib.request
from collections.abc import Callable

import numpy as np

from benchmarks.bench_api import FONCIER, free_port, server
from benchmarks.bench_matching import bench_database
from benchmarks.load import signed_in

Fetch = Callable[[str, dict[str, str]], tuple[int, bytes, dict[str, str]]]


def fetcher(opener: urllib.request.OpenerDirector, base: str) -> Fetch:
    def fetch(path: str, headers: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        request = urllib.request.Request(base + path, headers=headers)
        try:
            with opener.open(request, timeout=120) as reply:
                return reply.status, reply.read(), dict(reply.headers)
        except urllib.error.HTTPError as error:  # 304 arrives as an "error"
            return error.code, b"", dict(error.headers)

    return fetch


def timed(fetch: Fetch, path: str, rounds: int, headers: dict[str, str]) -> tuple[list[float], int]:
    seconds, size = [], 0
    for _ in range(rounds):
        start = time.perf_counter()
        _, body, _ = fetch(path, headers)
        seconds.append(time.perf_counter() - start)
        size = len(body)
    return seconds, size


def row(name: str, seconds: list[float], size: int) -> str:
    ms = np.array(seconds) * 1000
    return (
        f"| {name} | {size / 1024:,.0f} Kio | {np.percentile(ms, 50):,.0f} "
        f"| {np.percentile(ms, 95):,.0f} | {ms.max():,.0f} |"
    ).replace(",", "\u202f")


def account(env: dict[str, str]) -> tuple[str, str]:
    email, password = "banc-cartes@foncier.invalid", secrets.token_urlsafe(16)
    add = [str(FONCIER), "users", "add", email, "--role", "agent", "--password-stdin"]
    subprocess.run(add, env=env, input=password, text=True, check=True, capture_output=True)
    return email, password


def measure(base: str, env: dict[str, str], rounds: int) -> None:
    fetch = fetcher(signed_in(base, *account(env)), base)
    print("| demande | poids | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|")
    cold, size = timed(fetch, "/locaux/carte.geojson", 1, {})
    print(row("points de /locaux/ (1re fois : calculés)", cold, size), flush=True)
    for name, path in (
        ("page /locaux/", "/locaux/"),
        ("points de /locaux/ (cache du serveur)", "/locaux/carte.geojson"),
        ("page /locaux/?type_local=bureau", "/locaux/?type_local=bureau"),
        ("limites des communes", "/carte/communes.geojson"),
        ("accueil /", "/"),
        ("points de l'accueil (cache du serveur)", "/carte/accueil.geojson"),
    ):
        timed(fetch, path, 2, {})  # warm
        seconds, size = timed(fetch, path, rounds, {})
        print(row(name, seconds, size), flush=True)
    _, _, headers = fetch("/locaux/carte.geojson", {})
    etag = headers.get("ETag", "")
    seconds, size = timed(fetch, "/locaux/carte.geojson", rounds, {"If-None-Match": etag})
    print(row("points de /locaux/ avec l'ETag du navigateur (304)", seconds, size), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--premises", type=int, default=5000)
    parser.add_argument("--needs", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--seed", type=int, default=33)
    args = parser.parse_args()
    with bench_database(args.premises, args.needs, args.seed, 1) as engine:
        url = engine.url.render_as_string(hide_password=False)
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16)}
        port = free_port()
        with server(env, port):
            print(f"{args.premises:,} locaux, {args.needs:,} besoins ; par HTTP, un client")
            measure(f"http://127.0.0.1:{port}", env, args.rounds)


if __name__ == "__main__":
    main()
