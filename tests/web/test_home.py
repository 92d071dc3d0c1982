"""The home page: French, counts, a Folium map whose scripts all come from the app itself."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from sqlalchemy import Engine, func, select

from foncier.models import Acteur, Local
from tests.web.conftest import RoleClient, dispose
from web import create_app


def test_create_app_connects_to_nothing() -> None:
    app = create_app({"DATABASE_URL": "postgresql+psycopg://personne@127.0.0.1:1/aucune"})
    assert app.config["DATABASE_URL"].endswith("/aucune")
    response = app.test_client().get("/vendor/leaflet/leaflet.js")
    assert response.status_code == 200 and b"Leaflet" in response.data
    response.close()


def test_home_page_shows_counts_and_map(app: Flask, loaded: Engine) -> None:
    response = app.test_client().get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="fr">' in page
    with loaded.connect() as conn:  # other tests may have added records through the API
        locaux = conn.scalar(select(func.count()).select_from(Local))
        acteurs = conn.scalar(select(func.count()).select_from(Acteur))
    assert f"{locaux}</strong> locaux" in page and f"{acteurs}</strong> acteurs ESS" in page
    assert "28</strong> communes" in page and "23 quartiers prioritaires" in page
    for layer in ("Communes", "Quartiers prioritaires (QPV)"):
        assert f'"couche": "{layer}"' in page
    assert "Grand-Parc" in page  # QPV names travel with the features for their tooltips
    assert '"Feature"' not in page.split("Quartiers prioritaires (QPV)")[-1]  # no point inline


def test_the_home_points_are_served_apart_with_labels(app: Flask, loaded: Engine) -> None:
    client = app.test_client()
    answer = client.get("/carte/accueil.geojson")
    assert answer.status_code == 200
    features = answer.get_json()["features"]
    by_layer: dict[str, list[dict[str, Any]]] = {}
    for feature in features:
        by_layer.setdefault(feature["properties"]["couche"], []).append(feature["properties"])
    with loaded.connect() as conn:
        located = conn.scalar(select(func.count()).select_from(Local).where(Local.geom.isnot(None)))
    assert len(by_layer["Locaux"]) == located and len(by_layer["Friches (Cartofriches)"]) == 138
    shown = {p["statut"] for p in by_layer["Locaux"]}
    assert "sous_option" not in shown and "sous option" in shown
    rents = [p["loyer_m2_an"] for p in by_layer["Locaux"] if p["loyer_m2_an"]]
    assert all("." not in rent for rent in rents) and any("," in rent for rent in rents)
    again = client.get("/carte/accueil.geojson", headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304


def test_scripts_and_styles_are_served_locally(app: Flask) -> None:
    page = app.test_client().get("/").get_data(as_text=True)
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert assets, "the page links Leaflet"
    assert all(url.startswith("/") for url in assets), assets
    client = app.test_client()
    for url in assets:
        response = client.get(url)
        assert response.status_code == 200, url
        response.close()


def test_tiles_are_a_setting(app: Flask) -> None:
    ign_app = create_app({**app.config, "TILES": "ign-plan"})
    assert "data.geopf.fr" in RoleClient(ign_app).get("/").get_data(as_text=True)
    none_app = create_app({**app.config, "TILES": "aucun"})
    none = RoleClient(none_app).get("/")
    assert "tile.openstreetmap" not in none.get_data(as_text=True)
    dispose(ign_app)
    dispose(none_app)
    assert "tile.openstreetmap.fr" in app.test_client().get("/").get_data(as_text=True)


def test_unknown_page_is_a_french_404(app: Flask) -> None:
    response = app.test_client().get("/nulle-part")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)
    api = app.test_client().get("/api/v1/nulle-part")
    assert api.status_code == 404 and api.mimetype == "application/problem+json"
    assert api.get_json()["status"] == 404


def test_about_page_credits_every_source(app: Flask) -> None:
    page = app.test_client().get("/a-propos").get_data(as_text=True)
    for credit in (
        "IGN – ADMIN EXPRESS COG 2018",
        "ANCT – périmètres des QPV 2024",
        "Cerema – Cartofriches",
        "Licence Ouverte",
    ):
        assert credit in page


def test_home_and_observatory_count_the_same_open_needs(app: Flask) -> None:
    """Open means open or being proposed, on the home page as in the observatory."""
    client = app.test_client()
    home = client.get("/").get_data(as_text=True)
    observatory = client.get("/observatoire/").get_data(as_text=True)
    shown = re.search(r"dont ([\d\u202f]+) ouverts", home)
    counted = re.search(r'id="besoins-ouverts">([\d\u202f]+)<', observatory)
    assert shown and counted
    assert shown.group(1) == counted.group(1)


def test_the_favicon_is_served_to_anyone(app: Flask) -> None:
    client = app.test_client(role=None)
    answer = client.get("/favicon.ico", follow_redirects=True)
    assert answer.status_code == 200
    assert answer.mimetype == "image/svg+xml" and b"<svg" in answer.data
    answer.close()
    page = client.get("/a-propos").get_data(as_text=True)
    assert 'rel="icon" href="/static/favicon.svg"' in page
