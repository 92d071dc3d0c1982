"""Load test of a running server: N concurrent users on a mix of pages and API calls.

Not a test: it prints a table (median, p95, max and errors per kind of request). Start the
server first (``foncier serve --workers 2 --port 5077`` on the demo data), create an agent's
account (``foncier users add charge@foncier.invalid --role agent --password-stdin``), then::

    FONCIER_LOAD_PASSWORD=… python benchmarks/load.py http://127.0.0.1:5077 \
        --email charge@foncier.invalid --users 50 --seconds 60
    … --users 8 --seconds 30 --only api_top10

Every user signs in first (its own session cookie; signing in hashes a password, which is
not what is measured), then the clock starts. Each user requests, in a loop and without pause,
one kind of page at a time drawn with the weights of ``MIX``: the home map, lists, details,
candidates, an API list and the API's top 10. The first ``--warmup`` seconds are not counted
(cold caches, connection pools filling). An error is a failed connection, a timeout, an HTTP
status of 400 or more, or a page that sends the user back to sign in.

``--writes N`` adds an agent who renames a premises N times a minute (``PATCH`` through the
API, then the name back), as agents do during the day: every write moves the data's version,
so the pages read after it are computed again. Writes are timed apart ("écriture").
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable

# kind → (weight, path builder from the ids found on the server)
Ids = dict[str, list[int]]
MIX: dict[str, tuple[int, Callable[[Ids, random.Random], str]]] = {
    "home": (2, lambda ids, r: "/"),
    "list": (3, lambda ids, r: r.choice(["/locaux/", "/acteurs/", "/besoins/"])),
    "detail": (
        3,
        lambda ids, r: r.choice(
            [f"/locaux/{r.choice(ids['premises'])}", f"/besoins/{r.choice(ids['needs'])}"]
        ),
    ),
    "candidates": (2, lambda ids, r: f"/besoins/{r.choice(ids['needs'])}/candidats"),
    "api_list": (2, lambda ids, r: "/api/v1/premises?page_size=20"),
    "api_top10": (3, lambda ids, r: f"/api/v1/needs/{r.choice(ids['needs'])}/candidates?top=10"),
}


def signed_in(base: str, email: str, password: str) -> urllib.request.OpenerDirector:
    """An opener holding a signed-in session (the sign-in form, with its CSRF token)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(f"{base}/connexion", timeout=60) as reply:
        token = re.search(r'name="csrf_token" value="([^"]+)"', reply.read().decode())
    if token is None:
        raise SystemExit("Page de connexion sans jeton CSRF.")
    form = {"csrf_token": token[1], "email": email, "password": password, "suivant": ""}
    data = urllib.parse.urlencode(form).encode()
    with opener.open(f"{base}/connexion", data=data, timeout=60) as reply:
        if "/connexion" in reply.geturl():
            raise SystemExit(f"Connexion refusée pour {email}.")
    return opener


def _ids(opener: urllib.request.OpenerDirector, base: str, kind: str) -> list[int]:
    with opener.open(f"{base}/api/v1/{kind}?page_size=100", timeout=60) as reply:
        return [item["id"] for item in json.load(reply)]


def _user(
    base: str,
    opener: urllib.request.OpenerDirector,
    ids: Ids,
    kinds: list[str],
    window: tuple[float, float],
    seed: int,
    out: dict[str, list[float]],
) -> None:
    counted_from, stop = window
    chooser = random.Random(seed)
    weights = [MIX[k][0] for k in kinds]
    while time.monotonic() < stop:
        kind = chooser.choices(kinds, weights)[0]
        url = base + MIX[kind][1](ids, chooser)
        start = time.perf_counter()
        try:
            with opener.open(url, timeout=120) as reply:
                reply.read()
                ok = "/connexion" not in reply.geturl()  # a lost session is an error
        except (urllib.error.URLError, OSError):
            ok = False
        if time.monotonic() >= counted_from:
            out[kind if ok else f"{kind} (erreur)"].append(time.perf_counter() - start)


def _writer(
    base: str,
    opener: urllib.request.OpenerDirector,
    premises: int,
    every_s: float,
    window: tuple[float, float],
    out: dict[str, list[float]],
) -> None:
    """Renames a premises and back, every ``every_s`` seconds, with the session's CSRF token."""
    with opener.open(f"{base}/locaux/{premises}", timeout=60) as reply:
        found = re.search(r'name="csrf_token" value="([^"]+)"', reply.read().decode())
    headers = {"Content-Type": "application/json", "X-CSRFToken": found[1] if found else ""}
    url = f"{base}/api/v1/premises/{premises}"
    counted_from, stop = window
    suffix = " (essai de charge)"
    while time.monotonic() < stop:
        start = time.perf_counter()
        try:
            with opener.open(url, timeout=60) as reply:
                record = json.load(reply)
            name = (
                record["nom"].removesuffix(suffix)
                if record["nom"].endswith(suffix)
                else (record["nom"] + suffix)
            )
            body = json.dumps({"nom": name, "version": record["version"]}).encode()
            patch = urllib.request.Request(url, body, headers, method="PATCH")
            with opener.open(patch, timeout=60) as reply:
                reply.read()
            ok = True
        except (urllib.error.URLError, OSError):
            ok = False
        if time.monotonic() >= counted_from:
            out["écriture" if ok else "écriture (erreur)"].append(time.perf_counter() - start)
        time.sleep(max(0.0, every_s - (time.perf_counter() - start)))


def _p(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="http://127.0.0.1:5077")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60, help="measured, after warm-up")
    parser.add_argument("--warmup", type=float, default=5, help="seconds not counted")
    parser.add_argument("--only", choices=sorted(MIX), default=None)
    parser.add_argument("--email", required=True, help="an agent's account")
    parser.add_argument("--writes", type=float, default=0, help="writes per minute (0: none)")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    login = (args.email, os.environ.get("FONCIER_LOAD_PASSWORD", ""))
    first = signed_in(base, *login)
    ids = {"premises": _ids(first, base, "premises"), "needs": _ids(first, base, "needs")}
    kinds = [args.only] if args.only else list(MIX)
    results: dict[str, list[float]] = defaultdict(list)
    openers = [signed_in(base, *login) for _ in range(args.users)]
    counted_from = time.monotonic() + args.warmup
    window = (counted_from, counted_from + args.seconds)
    threads = [
        threading.Thread(target=_user, args=(base, opener, ids, kinds, window, seed, results))
        for seed, opener in enumerate(openers)
    ]
    if args.writes > 0:
        writer = signed_in(base, *login)
        threads.append(
            threading.Thread(
                target=_writer,
                args=(base, writer, ids["premises"][0], 60 / args.writes, window, results),
            )
        )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    read = [(kind, times) for kind, times in results.items() if not kind.startswith("écriture")]
    everything = [t for kind, times in read if "erreur" not in kind for t in times]
    errors = sum(len(t) for kind, t in results.items() if "erreur" in kind)
    print(f"{args.users} utilisateurs, {args.seconds:g} s (après {args.warmup:g} s), {base}")
    print(f"{'requête':<22}{'n':>7}{'médiane':>10}{'p95':>10}{'max':>10}")
    for kind, times in [*sorted(results.items()), ("tout (lectures)", everything)]:
        if times:
            print(
                f"{kind:<22}{len(times):>7}{statistics.median(times) * 1000:>8.0f}ms"
                f"{_p(times, 95) * 1000:>8.0f}ms{max(times) * 1000:>8.0f}ms"
            )
    print(f"débit : {len(everything) / args.seconds:.1f} requêtes/s ; erreurs : {errors}")


if __name__ == "__main__":
    main()
