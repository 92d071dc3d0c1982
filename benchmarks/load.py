"""Load test of a running server: N concurrent users on a mix of pages and API calls.

Not a test: it prints a table (median, p95, max and errors per kind of request). Start the
server first (``foncier serve --workers 2 --port 5077`` on the demo data), then::

    python benchmarks/load.py http://127.0.0.1:5077 --users 50 --seconds 60
    python benchmarks/load.py http://127.0.0.1:5077 --users 8 --seconds 30 --only api_top10

Each user requests, in a loop and without pause, one kind of page at a time drawn with the
weights of ``MIX``: the home map, lists, details, candidates and the API's top 10.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable

# kind → (weight, path builder from the ids found on the server)
Ids = dict[str, list[int]]
MIX: dict[str, tuple[int, Callable[[Ids, random.Random], str]]] = {
    "home": (2, lambda ids, r: "/"),
    "list": (3, lambda ids, r: r.choice(["/locaux/", "/acteurs/", "/besoins/"])),
    "detail": (3, lambda ids, r: f"/locaux/{r.choice(ids['premises'])}"),
    "candidates": (2, lambda ids, r: f"/besoins/{r.choice(ids['needs'])}/candidats"),
    "api_list": (2, lambda ids, r: "/api/v1/premises?page_size=20"),
    "api_top10": (3, lambda ids, r: f"/api/v1/needs/{r.choice(ids['needs'])}/candidates?top=10"),
}


def _ids(base: str, kind: str) -> list[int]:
    with urllib.request.urlopen(f"{base}/api/v1/{kind}?page_size=100", timeout=60) as reply:
        return [item["id"] for item in json.load(reply)]


def _user(
    base: str, ids: Ids, kinds: list[str], stop: float, seed: int, out: dict[str, list[float]]
) -> None:
    chooser = random.Random(seed)
    weights = [MIX[k][0] for k in kinds]
    while time.monotonic() < stop:
        kind = chooser.choices(kinds, weights)[0]
        url = base + MIX[kind][1](ids, chooser)
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=120) as reply:
                reply.read()
            out[kind].append(time.perf_counter() - start)
        except (urllib.error.URLError, OSError):
            out[f"{kind} (erreur)"].append(time.perf_counter() - start)


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="http://127.0.0.1:5077")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--only", choices=sorted(MIX), default=None)
    args = parser.parse_args()
    base = args.base.rstrip("/")
    ids = {"premises": _ids(base, "premises"), "needs": _ids(base, "needs")}
    kinds = [args.only] if args.only else list(MIX)
    results: dict[str, list[float]] = defaultdict(list)
    stop = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=_user, args=(base, ids, kinds, stop, seed, results))
        for seed in range(args.users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [t for kind, times in results.items() if "erreur" not in kind for t in times]
    errors = sum(len(t) for kind, t in results.items() if "erreur" in kind)
    print(f"{args.users} utilisateurs, {args.seconds:g} s, {base}")
    print(f"{'requête':<22}{'n':>7}{'médiane':>10}{'p95':>10}{'max':>10}")
    for kind, times in [*sorted(results.items()), ("tout", everything)]:
        if times:
            print(
                f"{kind:<22}{len(times):>7}{statistics.median(times) * 1000:>8.0f}ms"
                f"{_p(times, 95) * 1000:>8.0f}ms{max(times) * 1000:>8.0f}ms"
            )
    print(f"débit : {len(everything) / args.seconds:.1f} requêtes/s ; erreurs : {errors}")


if __name__ == "__main__":
    main()
