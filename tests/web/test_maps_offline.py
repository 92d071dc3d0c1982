"""Every map of the product with a tile server that accepts and never answers: the page's
load event still fires, its vector layers (communes' outlines, markers) are drawn, and it
carries a legend and a metric scale. Plus the list's points endpoint and its ETag."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from selenium import webdriver
from shapely import Point, box
from sqlalchemy import Engine, func, select

from foncier.accounts.roles import Role
from foncier.models import Besoin, Local
from tests.web.browser import wait_until
from tests.web.conftest import built_app, dispose, sign_in
from web.labels import value_label
from web.maps import candidates_drawing

pytestmark = pytest.mark.browser

LOADED = "const n = performance.getEntriesByType('navigation')[0]; return n && n.loadEventEnd > 0;"
# What the map of the page draws: outlines of communes, markers (SVG paths, canvas markers
# or the marker of a form), legend lines and the scale's text.
DRAWN = """
const box = document.querySelector('.leaflet-container');
const all = s => box.querySelectorAll(s).length;
const map = window.carteFonciere || window.carteSaisie || window.cartePerimetre;
const points = map && map.pointsCarte ? map.pointsCarte.getLayers().length : 0;
return {
  limites: all('.leaflet-limites-communes-pane path'),
  chemins: all('.leaflet-overlay-pane path'),
  canevas: points,
  marqueurs: all('.leaflet-marker-icon'),
  legende: all('.legende-carte li'),
  echelles: Array.from(box.querySelectorAll('.leaflet-control-scale-line')).map(e => e.textContent),
};
"""
SIZES = ((1366, 768), (390, 844))
METRIC = re.compile(r"\d+ (m|km)")


class SilentTiles:
    """A local port that accepts every connection and never answers a byte."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # shut down at the end of the module
                return
            self.held.append(connection)

    def close(self) -> None:
        self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self.thread.join(10)
        self.listener.close()
        for connection in self.held:
            connection.close()


@pytest.fixture(scope="module")
def silent_tiles() -> Iterator[SilentTiles]:
    tiles = SilentTiles()
    yield tiles
    tiles.close()


@pytest.fixture(scope="module")
def app(
    shared_db: str,
    loaded: Engine,
    tmp_path_factory: pytest.TempPathFactory,
    silent_tiles: SilentTiles,
) -> Iterator[Flask]:
    """The application with its base tiles on the silent port."""
    tiles = f"http://127.0.0.1:{silent_tiles.port}/{{z}}/{{x}}/{{y}}.png"
    app = built_app(
        shared_db, loaded, tmp_path_factory, TILES=tiles, TILES_ATTRIBUTION="Tuiles muettes du test"
    )
    yield app
    dispose(app)


def map_pages(loaded: Engine) -> dict[str, str]:
    with loaded.connect() as connection:
        premises = connection.scalar(select(Local.id).where(Local.geom.isnot(None)).limit(1))
        need = connection.scalar(
            select(Besoin.id).where(Besoin.statut == "ouvert", Besoin.geom.isnot(None)).limit(1)
        )
    return {
        "accueil": "/",
        "liste": "/locaux/",
        "fiche": f"/locaux/{premises}",
        "formulaire": f"/locaux/{premises}/modifier",
        "candidats": f"/besoins/{need}/candidats",
        "scenarios": "/scenarios/",
        "observatoire": "/observatoire/",
    }


def test_every_map_page_loads_and_draws_with_tiles_that_never_answer(
    browser: webdriver.Chrome,
    base_url: str,
    loaded: Engine,
    app: Flask,
    silent_tiles: SilentTiles,
    tmp_path: Path,
) -> None:
    browser.set_page_load_timeout(60)  # get() returns at the load event: it must come
    browser.set_window_size(*SIZES[0])
    for name, path in map_pages(loaded).items():
        # The agents' pages, and the perimeter drawn by planners.
        sign_in(browser, base_url, Role.PLANIFICATEUR if name == "scenarios" else Role.AGENT)
        browser.get(base_url + path)
        assert browser.execute_script(LOADED), name
        drawn = wait_until(browser, partial(_drawn, name=name), 20)
        assert drawn["legende"] >= 1, (name, drawn)
        assert len(drawn["echelles"]) == 1 and METRIC.fullmatch(drawn["echelles"][0]), drawn
        for width, height in SIZES:  # to look at: a desk and a phone
            browser.set_window_size(width, height)
            browser.execute_script(
                "document.querySelector('.leaflet-container').scrollIntoView({block: 'end'})"
            )
            browser.save_screenshot(str(tmp_path / f"{name}-{width}.png"))
        browser.set_window_size(*SIZES[0])
    assert silent_tiles.held, "the pages asked the silent server for tiles"
    assert browser.execute_script("return window.__erreurs") == []


def _drawn(browser: webdriver.Chrome, name: str) -> dict[str, Any] | None:
    """The map's drawing once its outlines and markers are there, else None."""
    drawn = browser.execute_script(DRAWN)
    own_communes = name in ("accueil", "observatoire")  # drawn as layers of their own
    outlines = drawn["chemins"] >= 28 if own_communes else drawn["limites"] == 28
    markers = {
        "liste": drawn["canevas"] > 0,
        "fiche": drawn["canevas"] > 0,
        "formulaire": drawn["marqueurs"] == 1,
        "scenarios": True,  # a blank sheet to draw on: outlines only
    }.get(name, drawn["chemins"] > (28 if own_communes else 0))
    return drawn if outlines and markers else None


def test_the_list_points_are_served_apart_and_revalidated(app: Flask, loaded: Engine) -> None:
    client = app.test_client(role="agent")
    page = client.get("/locaux/?type_local=bureau")
    assert page.status_code == 200
    assert b"/locaux/carte.geojson?type_local=bureau" in page.data
    assert b'"Feature"' not in page.data  # no point inline: the page stays light
    first = client.get("/locaux/carte.geojson?type_local=bureau")
    features = first.get_json()["features"]
    with loaded.connect() as connection:
        offices = connection.scalar(
            select(Local.id).where(Local.type_local == "bureau", Local.geom.isnot(None)).limit(1)
        )
    assert offices is not None and offices in {f["properties"]["id"] for f in features}
    assert {f["properties"]["type_local"] for f in features} == {value_label("bureau")}
    etag = first.headers["ETag"].strip('"')
    again = client.get("/locaux/carte.geojson?type_local=bureau", headers={"If-None-Match": etag})
    assert again.status_code == 304
    changed = client.patch(
        f"/api/v1/premises/{offices}",
        json={"nom": "Bureau renommé pour la carte", "version": _version(client, offices)},
    )
    assert changed.status_code == 200, changed.get_json()
    after = client.get("/locaux/carte.geojson?type_local=bureau", headers={"If-None-Match": etag})
    assert after.status_code == 200
    names = {f["properties"]["nom"] for f in after.get_json()["features"]}
    assert "Bureau renommé pour la carte" in names


def _version(client: object, premises_id: int) -> int:
    answer = client.get(f"/api/v1/premises/{premises_id}")  # type: ignore[attr-defined]
    return int(answer.get_json()["version"])


def test_a_premises_in_the_wished_zone_reads_dans_la_zone(app: Flask, loaded: Engine) -> None:
    with loaded.connect() as connection:
        wishing = connection.scalars(
            select(Besoin.id)
            .where(Besoin.statut == "ouvert", func.cardinality(Besoin.communes_souhaitees) > 0)
            .order_by(Besoin.id)
            .limit(30)
        ).all()
    client = app.test_client(role="agent")
    pages = [client.get(f"/besoins/{i}/candidats").get_data(as_text=True) for i in wishing]
    inside = [page for page in pages if "dans la zone" in page]
    assert inside, "a demo need with wished communes has a candidate inside them"
    assert all("<td>0 m</td>" not in page for page in inside)


def test_the_candidates_map_frames_the_reach_and_the_wished_communes() -> None:
    centre = {"intitule": "Atelier", "geometry": Point(-0.57, 44.84), "distance_max_m": 3000}
    (south, west), (north, east) = candidates_drawing(centre, [])["cadre"]
    assert north - 44.84 == pytest.approx(3000 / 111_320, rel=0.01)  # the whole circle
    assert west < -0.57 - 0.03 and east > -0.57 + 0.03
    communes = box(-0.70, 44.80, -0.60, 44.90)  # wished communes west of the point
    far = {"nom": "Local", "rank": 1, "score": 0.7, "geometry": Point(-0.50, 44.86)}
    drawing = candidates_drawing(centre, [far], communes)
    (south, west), (north, east) = drawing["cadre"]
    assert (south, west, north, east) == pytest.approx((44.80, -0.70, 44.90, -0.50))
    assert drawing["portee"] is None and drawing["zone"] is not None  # the zone, not a circle
    (shown,) = drawing["candidats"]["features"]
    assert shown["properties"] | {"couleur": "—"} == {
        "couche": "Candidats",
        "rang": 1,
        "nom": "Local",
        "score": "0,7",  # as a French reader writes it
        "couleur": "—",
    }
