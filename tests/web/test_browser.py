"""A real headless Chromium opens the home page with no network beyond localhost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from sqlalchemy import Engine, func, select

from foncier.accounts.roles import Role
from foncier.models import Besoin, Local
from tests.web.browser import DRAWN_LAYERS, submit, wait_for_script, wait_until
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser

# The opening fitBounds animates: zoom again until the map has settled on Grand-Parc.
ZOOM_ON_GRAND_PARC = """
const map = window.carteFonciere;
if (map._animatingZoom) return false;
if (map.getZoom() !== 16) { map.setView([44.8587, -0.5823], 16, {animate: false}); return false; }
return true;
"""
# A pixel where the QPV's own path is on top (no premises or need marker over it).
UNCOVERED_PIXEL = """
const target = document.getElementById('cible');
const box = target.getBoundingClientRect();
for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
  const x = box.left + box.width * i / 20, y = box.top + box.height * j / 20;
  if (document.elementFromPoint(x, y) === target) return [x, y];
}
return null;
"""


def hover_qpv(browser: webdriver.Chrome) -> bool:
    """Move the mouse over the Grand-Parc QPV, once the map has redrawn it on screen."""
    pixel = browser.execute_script(UNCOVERED_PIXEL)
    if pixel is None:
        return False
    hover = ActionBuilder(browser)
    hover.pointer_action.move_to_location(int(pixel[0]), int(pixel[1]))
    hover.perform()
    return True


def tooltip_texts(browser: webdriver.Chrome) -> list[str]:
    """The texts of the tooltips open on the map (read at once: Leaflet replaces them)."""
    return [t.text for t in browser.find_elements(By.CSS_SELECTOR, ".leaflet-tooltip")]


def qpv_tooltips(browser: webdriver.Chrome) -> list[str] | None:
    """The open tooltips once hovering the QPV has opened Grand-Parc's, else None."""
    if not hover_qpv(browser):
        return None
    texts = tooltip_texts(browser)
    return texts if any("Grand-Parc" in t for t in texts) else None


def test_map_layers_draw_without_internet_and_without_script_errors(
    browser: webdriver.Chrome, base_url: str, loaded: Engine, tmp_path: Path
) -> None:
    sign_in(browser, base_url)
    browser.get(base_url + "/")
    wait_for_script(browser, "!!window.carteFonciere && !!window.carteFonciere.pointsCarte")
    drawn = browser.execute_script(DRAWN_LAYERS, "Grand-Parc")
    with loaded.connect() as conn:
        locaux = conn.scalar(select(func.count()).select_from(Local).where(Local.geom.isnot(None)))
        besoins = conn.scalar(
            select(func.count()).select_from(Besoin).where(Besoin.geom.isnot(None))
        )
    assert drawn == {
        "Communes": 28,
        "Quartiers prioritaires (QPV)": 23,
        "Locaux": locaux,
        "Besoins des acteurs": besoins,
    }
    browser.save_screenshot(str(tmp_path / "accueil.png"))
    assert browser.execute_script("return window.__erreurs") == []
    script_errors = [
        entry
        for entry in browser.get_log("browser")
        if entry["level"] == "SEVERE" and entry.get("source") != "network"
    ]
    assert script_errors == []


def test_a_qpv_tooltip_names_it(browser: webdriver.Chrome, base_url: str) -> None:
    sign_in(browser, base_url)
    browser.get(base_url + "/")
    wait_for_script(browser, "!!window.carteFonciere")
    wait_until(browser, lambda d: d.execute_script(ZOOM_ON_GRAND_PARC), 15)
    browser.execute_script(DRAWN_LAYERS, "Grand-Parc")
    texts = wait_until(browser, qpv_tooltips, 15)
    assert any("QPV" in t and "QN03310M" in t for t in texts), texts


def test_create_premises_by_placing_its_point_on_the_map(
    browser: webdriver.Chrome, base_url: str
) -> None:
    sign_in(browser, base_url)
    browser.get(base_url + "/locaux/nouveau")
    wait_for_script(browser, "!!window.carteSaisie", 15)
    browser.find_element(By.ID, "nom").send_keys("Local posé sur la carte")
    browser.find_element(By.ID, "ref").send_keys("NAV-1")
    Select(browser.find_element(By.ID, "type_local")).select_by_value("bureau")
    Select(browser.find_element(By.ID, "origine")).select_by_value("partenaire")
    browser.find_element(By.ID, "surface_m2").send_keys("95")
    date_box = browser.find_element(By.ID, "disponible_le")
    browser.execute_script("arguments[0].value = '2027-03-01'", date_box)
    ActionChains(browser).move_to_element(
        browser.find_element(By.ID, "carte-saisie")
    ).click().perform()
    lon = browser.find_element(By.ID, "lon").get_attribute("value")
    lat = browser.find_element(By.ID, "lat").get_attribute("value")
    assert lon and lat and abs(float(lon) + 0.579) < 0.02 and abs(float(lat) - 44.838) < 0.02
    submit(browser, "form.saisie button[type=submit]")
    wait_until(browser, lambda d: re.search(r"/locaux/\d+$", d.current_url), 15)
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "Local posé sur la carte" in page and "Bordeaux" in page

    browser.get(base_url + "/locaux/?ref=NAV-1")
    wait_for_script(browser, "!!window.carteFonciere", 15)
    assert browser.execute_script(DRAWN_LAYERS, "Local posé sur la carte") == {"Locaux": 1}
    assert browser.execute_script("return window.__erreurs") == []


def test_names_in_map_tooltips_are_text_not_html(
    browser: webdriver.Chrome, base_url: str, app: Flask
) -> None:
    created = app.test_client().post(
        "/api/v1/premises",
        json={
            "nom": '<img src=x onerror="window.__xss = 1">',
            "type_local": "bureau",
            "origine": "partenaire",
            "surface_m2": 40,
            "disponible_le": "2027-01-01",
            "ref": "XSS-1",
            "geometry": {"type": "Point", "coordinates": [-0.5755, 44.8427]},
        },
    )
    assert created.status_code == 201
    sign_in(browser, base_url)
    browser.get(base_url + "/locaux/?ref=XSS-1")
    wait_for_script(browser, "!!window.carteFonciere", 15)
    browser.execute_script("""
        window.carteFonciere.eachLayer(l => { if (l.feature && l.getTooltip && l.openTooltip)
            { l.fire('mouseover', {latlng: l.getLatLng ? l.getLatLng() : null}, true); } });
    """)
    tips = wait_until(browser, tooltip_texts, 10)
    assert "<img" in tips[0]
    assert browser.execute_script("return window.__xss") is None


def test_the_observatory_draws_its_map_and_charts(
    browser: webdriver.Chrome, base_url: str, loaded: Engine, tmp_path: Path
) -> None:
    sign_in(browser, base_url, Role.PLANIFICATEUR)
    browser.get(base_url + "/observatoire/")
    wait_for_script(browser, "!!window.carteFonciere")
    drawn = browser.execute_script(DRAWN_LAYERS, "Bordeaux")
    with loaded.connect() as conn:
        available = conn.scalar(
            select(func.count())
            .select_from(Local)
            .where(
                Local.statut == "disponible",
                Local.nature.in_(["local", "lot"]),
                Local.geom.isnot(None),
            )
        )
    assert drawn == {
        "Surface demandée non servie": 28,
        "Quartiers prioritaires (QPV)": 23,
        "Locaux disponibles": available,
    }
    # Bordeaux has the most open needs of the demo: the darkest class of the choropleth.
    fill = browser.execute_script("return document.getElementById('cible').getAttribute('fill')")
    assert fill == "#08519c"
    charts = browser.find_elements(By.CSS_SELECTOR, "img.graphique")
    assert len(charts) == 6
    assert all(browser.execute_script("return arguments[0].naturalWidth", c) > 0 for c in charts)
    browser.save_screenshot(str(tmp_path / "observatoire.png"))
    assert browser.execute_script("return window.__erreurs") == []


def test_the_home_layer_control_is_folded_on_a_phone(
    browser: webdriver.Chrome, base_url: str
) -> None:
    sign_in(browser, base_url)
    control = "document.querySelector('.leaflet-control-layers').className"
    try:
        for (width, height), folded in (((390, 844), True), ((1366, 768), False)):
            browser.set_window_size(width, height)
            browser.get(base_url + "/")
            wait_for_script(browser, "!!window.carteFonciere && !!window.carteFonciere.pointsCarte")
            expanded = "expanded" in browser.execute_script(f"return {control}")
            assert expanded is not folded, (width, expanded)
    finally:
        browser.set_window_size(1280, 900)
