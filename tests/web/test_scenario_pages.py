"""The planners' pages: in Chromium (charts, map, a refused then accepted clause), and through
the test client (upload with a perimeter file, copy, adopt, comparison, bad files)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from shapely.geometry import shape
from sqlalchemy import Engine

from tests.web.browser import DRAWN_LAYERS, submit, wait_for_script, wait_until
from tests.web.conftest import sign_in

LOADED_IMAGES = """
return Array.from(document.querySelectorAll('img.graphique'))
  .filter(img => img.complete && img.naturalWidth > 0).map(img => img.id);
"""


@pytest.mark.browser
@pytest.mark.slow
def test_a_planner_reads_the_charts_and_edits_the_clause(
    browser: webdriver.Chrome,
    base_url: str,
    loaded: Engine,
) -> None:
    sign_in(browser, base_url, "planificateur")
    browser.get(base_url + "/scenarios/")
    wait_for_script(browser, "!!window.cartePerimetre")
    drawing = browser.find_element(By.ID, "carte-perimetre")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", drawing)
    for dx, dy in ((-60, -40), (60, -40), (60, 40), (-60, 40)):  # a rectangle of four clicks
        ActionChains(browser).move_to_element_with_offset(drawing, dx, dy).click().perform()
    assert browser.find_element(By.ID, "sommets").text == "4"
    sketch = json.loads(
        browser.find_element(By.ID, "perimetre_geojson").get_attribute("value") or ""
    )
    assert sketch["type"] == "Polygon" and len(sketch["coordinates"][0]) == 5
    submit(browser, "form.depot button[type=submit]")
    wait_until(browser, lambda d: re.search(r"/scenarios/SC-\d+$", d.current_url), 60)
    wait_for_script(browser, "!!window.carteFonciere")
    drawn = browser.execute_script(DRAWN_LAYERS, "")
    assert drawn["Périmètre"] == 1
    assert drawn["Lots"] == 4
    served = int(browser.find_element(By.ID, "besoins-servis").text)
    assert served > 0 and drawn["Besoins servis"] == served
    wait_until(browser, lambda d: len(d.execute_script(LOADED_IMAGES)) == 3, 10)
    ref = browser.current_url.rsplit("/", 1)[1]
    stored = json.loads(
        browser.execute_script(f"return fetch('/api/v1/scenarios/{ref}').then(r => r.text())")
    )
    assert shape(stored["scenario"]["perimeter"]).equals(shape(sketch))  # the drawn perimeter
    assert browser.execute_script("return window.__erreurs") == []

    share = browser.find_element(By.NAME, "lots-0-ess_share")
    share.clear()
    share.send_keys("beaucoup")
    submit(browser, "form.clause button")  # refused: the same page again, with the errors
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".erreurs"), 60)
    assert "« beaucoup » : Attendu : un nombre." in browser.page_source
    assert browser.find_element(By.NAME, "lots-0-ess_share").get_attribute("value") == "beaucoup"
    assert browser.find_element(By.NAME, "version").get_attribute("value") == "1"

    share = browser.find_element(By.NAME, "lots-0-ess_share")
    share.clear()
    share.send_keys("30 %")
    submit(browser, "form.clause button")  # accepted: the scenario's page, at version 2
    wait_until(
        browser, lambda d: d.find_element(By.NAME, "version").get_attribute("value") == "2", 60
    )
    first_lot = browser.find_element(By.CSS_SELECTOR, "table.lots tbody tr").text
    assert "1\u202f800 m²" in first_lot  # 30 % of 6,000 m²
    assert browser.execute_script("return window.__erreurs") == []


@pytest.fixture
def client(app: Flask, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)  # restored after the test
    return app.test_client(role="planificateur")  # scenarios are the planners'


def test_upload_with_a_perimeter_file_then_copy_adopt_and_compare(
    client: FlaskClient, tmp_path: Path
) -> None:
    ring = [[-0.56, 44.85], [-0.55, 44.85], [-0.55, 44.86], [-0.56, 44.86], [-0.56, 44.85]]
    perimeter = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    path = tmp_path / "perimetre.geojson"
    path.write_text(json.dumps(perimeter), encoding="utf-8")
    with path.open("rb") as handle:
        response = client.post(
            "/scenarios/",
            data={"perimetre": (handle, "perimetre.geojson")},
            content_type="multipart/form-data",
        )
    assert response.status_code == 302
    ref = response.location.rsplit("/", 1)[1]
    stored = client.get(f"/api/v1/scenarios/{ref}").json
    assert stored is not None
    bounds = shape(stored["scenario"]["perimeter"]).bounds
    assert bounds == pytest.approx((-0.56, 44.85, -0.55, 44.86))
    copied = client.post(f"/scenarios/{ref}/copie", data={"name": "Variante"})
    other = copied.location.rsplit("/", 1)[1]
    assert client.post(f"/scenarios/{other}/retenir").status_code == 302
    listing = client.get("/scenarios/").get_data(as_text=True)
    assert "Variante" in listing and "retenu" in listing
    table = client.get(f"/scenarios/comparer?refs={ref}&refs={other}").get_data(as_text=True)
    assert f"<small>{ref}</small>" in table and f">Variante</a> <small>{other}</small>" in table
    assert "Besoins ESS servis" in table and "Durée de la clause" in table


def test_bad_files_get_a_french_message(client: FlaskClient, tmp_path: Path) -> None:
    broken = client.post(
        "/scenarios/",
        data={"scenario": (tmp_path.joinpath("x").open("wb+"), "vide.yaml")},
        content_type="multipart/form-data",
    )
    assert broken.status_code == 422
    assert "perimeter" in broken.get_data(as_text=True)
    (tmp_path / "p.txt").write_text("x", encoding="utf-8")
    with (tmp_path / "p.txt").open("rb") as handle:
        refused = client.post(
            "/scenarios/",
            data={"perimetre": (handle, "p.txt")},
            content_type="multipart/form-data",
        )
    assert refused.status_code == 422
    assert ".geojson" in refused.get_data(as_text=True)
    assert client.get("/scenarios/SC-9999").status_code == 404
    assert client.get("/scenarios/comparer").status_code == 422
