"""Security headers on every answer, and every map page drawing in Chromium under the
Content-Security-Policy with no violation reported."""

from __future__ import annotations

import pytest
from flask import Flask
from selenium import webdriver
from sqlalchemy import Engine, select

from foncier.models import Besoin
from tests.factories import example_scenario
from tests.web.browser import wait_until
from tests.web.conftest import sign_in

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""
LEAFLET_DREW = "return document.querySelectorAll('.leaflet-container .leaflet-pane').length > 0"


def test_headers_on_pages_and_api(app: Flask) -> None:
    client = app.test_client()
    for url in ("/", "/locaux/", "/connexion", "/api/v1/premises?page_size=1", "/nulle-part"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self' 'nonce-" in csp and "frame-ancestors 'none'" in csp, url
        assert "object-src 'none'" in csp and "'unsafe-inline'" not in csp.split(";")[1]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_each_page_gets_its_own_nonce(app: Flask) -> None:
    client = app.test_client()
    first, second = client.get("/"), client.get("/")
    nonce = first.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert nonce not in second.headers["Content-Security-Policy"]
    page = first.get_data(as_text=True)
    assert page.count("<script") == page.count(f'nonce="{nonce}"') + page.count("<script src=")


def _saved_scenario(app: Flask) -> str:
    document = example_scenario()
    document["name"] = "Scénario de la CSP"
    saved = app.test_client(role="planificateur").post("/api/v1/scenarios", json=document)
    assert saved.status_code == 201, saved.get_data(as_text=True)
    return str(saved.get_json()["ref"])


def _draws_without_violation(driver: webdriver.Chrome, url: str) -> None:
    driver.get(url)
    wait_until(driver, lambda d: d.execute_script(LEAFLET_DREW))
    assert driver.execute_script("return window.__violations") == [], url
    assert driver.execute_script("return window.__erreurs") == [], url
    console = [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"]
        or (entry["level"] == "SEVERE" and entry.get("source") != "network")
    ]
    assert console == [], url


@pytest.mark.browser
def test_every_map_page_draws_under_the_policy(
    app: Flask,
    browser: webdriver.Chrome,
    base_url: str,
    loaded: Engine,
) -> None:
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})
    with loaded.connect() as conn:
        need = conn.scalar(select(Besoin.id).order_by(Besoin.id).limit(1))
    sign_in(browser, base_url, "agent")
    browser.get_log("browser")  # start from a clean console
    for path in (
        "/",
        "/locaux/",
        "/locaux/1",
        "/locaux/nouveau",
        "/locaux/1/candidats",
        "/acteurs/",
        "/acteurs/1",
        "/besoins/",
        f"/besoins/{need}",
        f"/besoins/{need}/candidats",
    ):
        _draws_without_violation(browser, base_url + path)
    ref = _saved_scenario(app)
    sign_in(browser, base_url, "planificateur")  # only planners get the perimeter's map
    for path in ("/scenarios/", f"/scenarios/{ref}"):
        _draws_without_violation(browser, base_url + path)
