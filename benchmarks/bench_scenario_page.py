"""Time of a scenario's page over HTTP: first view, then ten more, then a save and its view.

    .venv/bin/python -m benchmarks.bench_scenario_page [--views 10]

A throwaway database of the embedded PostGIS gets the reference layers and the demo dataset;
``foncier serve`` answers on a free port in its own process. A planner account signs in
(cookie session, as a browser), saves the documented example (``data/scenario-exemple.yaml``)
from the scenarios' page, then asks its page: the first view computes it, the next ones are
what a planner sees when coming back. A save of the clause (a new version) is timed with the
view it leads to. Wall-clock per request as the client sees it.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import secrets
import subprocess
import time

import numpy as np
import requests

from benchmarks.bench_api import FONCIER, demo_database, free_port, server

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


def signed_in(env: dict[str, str], base: str) -> requests.Session:
    """A planner's browser session (the account is made in the throwaway database)."""
    email, password = "banc-scenarios@foncier.invalid", secrets.token_urlsafe(16)
    add = [str(FONCIER), "users", "add", email, "--role", "planificateur", "--password-stdin"]
    subprocess.run(add, env=env, input=password, text=True, check=True)
    browser = requests.Session()
    token = _csrf(browser.get(f"{base}/connexion").text)
    form = {"csrf_token": token, "email": email, "password": password}
    browser.post(f"{base}/connexion", data=form).raise_for_status()
    return browser


def _csrf(page: str) -> str:
    found = CSRF.search(page)
    if found is None:
        raise RuntimeError("pas de jeton CSRF dans la page")
    return found.group(1)


def timed(call: object, *args: object, **kwargs: object) -> tuple[float, requests.Response]:
    start = time.perf_counter()
    response = call(*args, **kwargs)  # type: ignore[operator]
    seconds = time.perf_counter() - start
    response.raise_for_status()
    return seconds * 1000, response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=10)
    args = parser.parse_args()
    with demo_database() as url:
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(16)}
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with server(env, port):
            browser = signed_in(env, base)
            token = _csrf(browser.get(f"{base}/scenarios/").text)
            upload, page = timed(browser.post, f"{base}/scenarios/", data={"csrf_token": token})
            ref = page.url.rsplit("/", 1)[1]
            views = [timed(browser.get, f"{base}/scenarios/{ref}")[0] for _ in range(args.views)]
            form = _clause_form(page.text)
            saved, after = timed(browser.post, f"{base}/scenarios/{ref}", data=form)
            again = timed(browser.get, f"{base}/scenarios/{ref}")[0]
    print(f"Page du scénario {ref} (exemple documenté, besoins de la démo), par HTTP, en ms")
    print(f"enregistrement du fichier + première vue (calcul) : {upload:8.0f}")
    print(
        f"{args.views} vues suivantes : p50 {np.percentile(views, 50):6.0f}, max {max(views):6.0f}"
    )
    print(f"enregistrement de la clause + vue (nouvelle version) : {saved:8.0f}")
    print(f"vue suivante : {again:8.0f}")
    if 'name="version" value="2"' not in after.text:
        alert = after.text[after.text.find('role="alert"') :][:2000]
        raise RuntimeError(f"l'enregistrement de la clause a été refusé : {alert}")


def _clause_form(page: str) -> dict[str, str]:
    """The clause form as the page fills it, with the first lot's ESS share changed (a form
    saved unchanged writes nothing: no new version)."""
    form = page[page.index('class="saisie clause"') :]
    form = form[: form.index("</form>")]
    boxes = re.findall(r'<input name="([^"]+)"[^>]*?value="([^"]*)"', form, re.S)
    fields = {name: html.unescape(value) for name, value in boxes}
    fields["lots-0-ess_share"] = "20 %"
    fields["csrf_token"] = _csrf(page)
    fields["version"] = VERSION.search(page).group(1)  # type: ignore[union-attr]
    return fields


if __name__ == "__main__":
    main()
