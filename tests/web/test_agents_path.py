"""The agents' daily path in Chromium (issue 10): a need through its form, filtered lists whose
exports and pages keep their filters, a decimal comma in a filter, the clause form."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from openpyxl import load_workbook
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from foncier.matching.runs import MatchRequest, top_candidates
from foncier.models import Acteur, Besoin, Local
from tests.web.browser import new_page, submit, wait_for_script, wait_until
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser


def _submit(driver: webdriver.Chrome, expected: str) -> None:
    """Send the form; a refused one fails the test with the page's own messages."""
    submit(driver, "form.saisie button[type=submit]")
    wait_until(
        driver,
        lambda d: re.search(expected, d.current_url) or d.find_elements(By.CSS_SELECTOR, ".alerte"),
        15,
    )
    errors = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".alerte, .en-erreur")]
    assert re.search(expected, driver.current_url), errors


def test_a_need_is_created_and_edited_through_its_form(
    browser: webdriver.Chrome,
    base_url: str,
    app: Flask,
    loaded: Engine,
) -> None:
    sign_in(browser, base_url)
    # An actor of its own: a need typed by hand on a demo actor would keep `demo clear` from
    # emptying the demo in later tests.
    actor = app.test_client().post(
        "/api/v1/actors",
        json={
            "nom": "Vélos solidaires (test)",
            "siren": "732829320",
            "forme_juridique": "association",
            "filiere": "mobilite",
            "stade": "emergence",
            "ref": "FORM-A1",
        },
    )
    assert actor.status_code == 201, actor.json
    actor_id = actor.json["id"]  # type: ignore[index]
    browser.get(base_url + "/besoins/nouveau")
    wait_until(browser, lambda d: d.find_elements(By.ID, "intitule"), 15)
    Select(browser.find_element(By.ID, "acteur_id")).select_by_value(str(actor_id))
    browser.find_element(By.ID, "intitule").send_keys("Atelier de réparation de vélos")
    browser.find_element(By.CSS_SELECTOR, "input[name=types_acceptes][value=activite]").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=communes_souhaitees][value='33063']").click()
    browser.find_element(By.ID, "surface_min_m2").send_keys("80")
    browser.find_element(By.ID, "surface_max_m2").send_keys("120,5")
    date_box = browser.find_element(By.ID, "emmenagement_au_plus_tot")
    browser.execute_script("arguments[0].value = '2027-02-01'", date_box)
    browser.find_element(By.ID, "ref").send_keys("FORM-B1")
    _submit(browser, r"/besoins/\d+$")
    need_id = int(browser.current_url.rsplit("/", 1)[1])
    assert "Atelier de réparation de vélos" in browser.find_element(By.TAG_NAME, "main").text

    browser.get(f"{base_url}/besoins/{need_id}/modifier")
    title = browser.find_element(By.ID, "intitule")
    assert title.get_attribute("value") == "Atelier de réparation de vélos"
    title.clear()
    title.send_keys("Atelier vélo solidaire")
    _submit(browser, f"/besoins/{need_id}$")
    with loaded.connect() as conn:
        stored = conn.execute(select(Besoin).where(Besoin.id == need_id)).one()
    assert stored.intitule == "Atelier vélo solidaire" and stored.version == 2
    assert stored.types_acceptes == ["activite"] and stored.surface_max_m2 == 120.5


def _rows_of(app: Flask, href: str) -> list[dict[str, object]]:
    """The records of an export link, whatever its format."""
    parts = urlsplit(href)
    response = app.test_client().get(f"{parts.path}?{parts.query}")
    assert response.status_code == 200, href
    if parts.path.endswith(".csv"):
        text = response.get_data(as_text=True).lstrip("\ufeff")
        return list(csv.DictReader(io.StringIO(text), delimiter=";"))
    if parts.path.endswith(".xlsx"):
        sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
        assert sheet is not None
        header, *lines = list(sheet.iter_rows(values_only=True))
        return [dict(zip(header, line, strict=True)) for line in lines]  # type: ignore[arg-type]
    return [f["properties"] for f in json.loads(response.data)["features"]]


def test_a_filtered_list_keeps_its_filters_in_exports_and_pages(
    browser: webdriver.Chrome,
    base_url: str,
    app: Flask,
    loaded: Engine,
) -> None:
    sign_in(browser, base_url)
    with loaded.connect() as conn:
        expected = conn.scalar(
            select(func.count()).select_from(Local).where(Local.type_local == "bureau")
        )
    assert expected is not None and expected > 50  # two pages at least
    browser.get(base_url + "/locaux/?type_local=bureau")
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "p.exports a"), 15)
    links = {
        a.text: a.get_attribute("href")
        for a in browser.find_elements(By.CSS_SELECTOR, "p.exports a")
    }
    for name in ("CSV", "XLSX", "GEOJSON"):
        rows = _rows_of(app, links[name] or "")
        assert len(rows) == expected, name
    with new_page(browser, 15):
        browser.find_element(By.LINK_TEXT, "suivante →").click()
    wait_until(browser, lambda d: "page=2" in d.current_url, 15)
    kinds = {
        row.find_elements(By.TAG_NAME, "td")[2].text
        for row in browser.find_elements(By.CSS_SELECTOR, "table.liste tbody tr")
    }
    assert kinds == {"bureaux"}
    assert f"({expected})" in browser.find_element(By.TAG_NAME, "h1").text


def test_a_decimal_comma_in_a_filter_filters(
    browser: webdriver.Chrome,
    base_url: str,
    loaded: Engine,
) -> None:
    sign_in(browser, base_url)
    with loaded.connect() as conn:
        expected = conn.scalar(
            select(func.count())
            .select_from(Local)
            .where(Local.type_local == "bureau", Local.loyer_m2_an <= 150.5)
        )
    browser.get(base_url + "/locaux/?type_local=bureau&loyer_max=150,5")
    wait_until(browser, lambda d: d.find_elements(By.TAG_NAME, "h1"), 15)
    assert "Filtre invalide" not in browser.page_source
    assert f"({expected})" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_element(By.NAME, "loyer_max").get_attribute("value") == "150,5"

    browser.get(base_url + "/locaux/?type_local=bureau&loyer_max=1 000")
    assert "Filtre invalide" not in browser.page_source
    # A bad box is named, and no list shows that the user would believe filtered by it.
    browser.get(base_url + "/locaux/?type_local=bureau&loyer_max=cher")
    alert = browser.find_element(By.CSS_SELECTOR, ".alerte").text
    assert "Loyer max" in alert and "« cher »" in alert
    rows = browser.find_elements(By.CSS_SELECTOR, "table.liste tbody tr")
    assert [row.text for row in rows if "DEMO-L-" in row.text] == []


COLUMN_OF_INPUT = """
const table = document.querySelector('form.clause table');
const heads = Array.from(table.querySelectorAll('thead th'));
return Array.from(table.querySelectorAll('tbody tr:first-child input')).map(input => {
  const x = input.getBoundingClientRect().left + 2;
  return heads.findIndex(th => {
    const box = th.getBoundingClientRect();
    return box.left <= x && x < box.right;
  });
});
"""


def test_the_clause_form_has_its_inputs_in_their_columns_and_takes_percents(
    browser: webdriver.Chrome,
    base_url: str,
    app: Flask,
) -> None:
    sign_in(browser, base_url, "planificateur")
    browser.get(base_url + "/scenarios/")
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "form.depot"))
    submit(browser, "form.depot button[type=submit]")
    wait_until(browser, lambda d: re.search(r"/scenarios/SC-\d+$", d.current_url), 60)
    ref = browser.current_url.rsplit("/", 1)[1]
    columns = browser.execute_script(COLUMN_OF_INPUT)
    assert columns == list(range(1, len(columns) + 1)), columns  # column 0 names the lot
    share = browser.find_element(By.NAME, "lots-0-ess_share")
    assert (share.get_attribute("value") or "").endswith("%")
    share.clear()
    share.send_keys("50 %")
    submit(browser, "form.clause button")
    wait_until(
        browser, lambda d: d.find_element(By.NAME, "version").get_attribute("value") == "2", 60
    )
    assert browser.find_element(By.NAME, "lots-0-ess_share").get_attribute("value") == "50 %"
    stored = app.test_client(role="planificateur").get(f"/api/v1/scenarios/{ref}").json
    assert stored is not None and stored["scenario"]["lots"][0]["ess_share"] == 0.5


def _a_need_with_only_near_misses(session: Session) -> tuple[int, list[dict[str, Any]]]:
    for need_id, ref in session.execute(
        select(Besoin.id, Besoin.ref).where(Besoin.statut == "ouvert").order_by(Besoin.id)
    ):
        found = top_candidates(session, MatchRequest(need_ref=ref, top=10))
        if not found["pairs"] and found["near_misses"]:
            return int(need_id), found["near_misses"]
    raise AssertionError("la démo n'a aucun besoin sans candidat mais avec des « presque »")


def test_a_need_without_candidates_shows_its_near_misses_and_why_not(
    browser: webdriver.Chrome,
    base_url: str,
    app: Flask,
    session: Session,
) -> None:
    sign_in(browser, base_url)
    need_id, misses = _a_need_with_only_near_misses(session)
    browser.get(f"{base_url}/besoins/{need_id}/candidats")
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "ul.presque"), 15)
    shown = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "ul.presque li")]
    assert len(shown) == len(misses)
    for text, miss in zip(shown, misses, strict=True):
        assert text.startswith(miss["premises_ref"]) and miss["hints"][0] in text
    assert re.search(r"m²|€/m²/an|plus tôt|distance", " ".join(shown))
    api = app.test_client().get(f"/api/v1/needs/{need_id}/candidates").json
    assert api is not None and api["pairs"] == [] and api["near_misses"] == misses

    box = browser.find_element(By.NAME, "pourquoi")
    box.send_keys(misses[0]["premises_ref"])
    submit(browser, "form.pourquoi button", 15)
    wait_until(browser, lambda d: d.find_elements(By.ID, "pourquoi-pas"), 15)
    reasons = browser.find_elements(By.CSS_SELECTOR, "#pourquoi-pas li")
    assert reasons and all(r.text.endswith(".") for r in reasons)
    browser.get(f"{base_url}/besoins/{need_id}/candidats?pourquoi=L-INCONNU")
    assert "« L-INCONNU »" in browser.find_element(By.ID, "pourquoi-pas").text


SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
INSEE = re.compile(r"\d{5}")
TOOLTIP_VALUES = """
const found = [];
window.carteFonciere.eachLayer(layer => {
  if (layer.feature) for (const [k, v] of Object.entries(layer.feature.properties))
    if (!['couche', 'code_statut', 'id'].includes(k)) found.push(String(v));
});
return found;
"""


@pytest.mark.parametrize("segment", ["locaux", "acteurs", "besoins"])
def test_no_code_is_shown_as_text_on_the_list_pages(
    browser: webdriver.Chrome,
    base_url: str,
    segment: str,
) -> None:
    sign_in(browser, base_url)
    browser.get(f"{base_url}/{segment}/")
    wait_for_script(browser, "!!window.carteFonciere")
    cells = [
        td.text
        for row in browser.find_elements(By.CSS_SELECTOR, "table.liste tbody tr")
        for td in row.find_elements(By.TAG_NAME, "td")[1:]  # the first column is the reference
    ]
    assert len(cells) > 100
    options = [o.text for o in browser.find_elements(By.CSS_SELECTOR, "form.filtres option")]
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "table.liste th")]
    shown = cells + options + headers + browser.execute_script(TOOLTIP_VALUES)
    assert [t for t in shown if SNAKE_CASE.search(t)] == []
    assert [t for t in cells if INSEE.fullmatch(t)] == []  # a commune, never its code


PHONE_PAGES = [
    "/",
    "/locaux/",
    "/acteurs/",
    "/besoins/",
    "/locaux/{premises}",
    "/besoins/{need}",
    "/acteurs/{actor}",
    "/besoins/{need}/candidats",
    "/locaux/{premises}/candidats",
    "/locaux/nouveau",
    "/besoins/nouveau",
    "/acteurs/nouveau",
    "/import/",
    "/scenarios/",
    "/a-propos",
]
OVERFLOW = """
const width = document.documentElement.clientWidth;
const wider = Array.from(document.querySelectorAll('body *')).filter(e => {
  const box = e.getBoundingClientRect();
  return box.width > 0 && box.right > width + 1 && !e.closest('.leaflet-container, table.liste');
}).slice(0, 5).map(e => e.tagName + '.' + e.className);
return [document.documentElement.scrollWidth - width, wider];
"""


def test_no_page_scrolls_sideways_on_a_phone_or_a_desk(
    browser: webdriver.Chrome,
    base_url: str,
    loaded: Engine,
) -> None:
    sign_in(browser, base_url)
    with loaded.connect() as conn:
        ids = {
            "premises": conn.scalar(select(func.min(Local.id))),
            "need": conn.scalar(select(func.min(Besoin.id))),
            "actor": conn.scalar(select(func.min(Acteur.id))),
        }
    overflowing = {}
    try:
        for size in ((390, 844), (1366, 768)):  # the candidates' 14 columns overflowed a desk
            browser.set_window_size(*size)
            for page in PHONE_PAGES:
                browser.get(base_url + page.format(**ids))
                wait_for_script(browser, "document.readyState === 'complete'")
                extra, wider = browser.execute_script(OVERFLOW)
                if extra > 0:
                    overflowing[(size, page)] = (extra, wider)
    finally:
        browser.set_window_size(1280, 900)
    assert overflowing == {}


def test_records_link_up_and_a_withdrawal_is_confirmed(
    browser: webdriver.Chrome,
    base_url: str,
    app: Flask,
    loaded: Engine,
) -> None:
    sign_in(browser, base_url)
    with loaded.connect() as conn:
        actor_id, actor_name = conn.execute(
            select(Acteur.id, Acteur.nom).join(Besoin, Besoin.acteur_id == Acteur.id).limit(1)
        ).one()
        refs = set(conn.scalars(select(Besoin.ref).where(Besoin.acteur_id == actor_id)))
        need_id = conn.scalar(select(func.min(Besoin.id)).where(Besoin.acteur_id == actor_id))
    browser.get(f"{base_url}/acteurs/{actor_id}")
    listed = {a.text for a in browser.find_elements(By.CSS_SELECTOR, "section.besoins-acteur a")}
    assert refs <= listed
    browser.find_element(By.LINK_TEXT, "Ajouter un besoin").click()
    wait_until(browser, lambda d: "/besoins/nouveau" in d.current_url, 15)
    chosen = Select(browser.find_element(By.ID, "acteur_id")).first_selected_option
    assert chosen.get_attribute("value") == str(actor_id)

    browser.get(f"{base_url}/besoins/{need_id}")
    link = browser.find_element(By.CSS_SELECTOR, f"a[href='/acteurs/{actor_id}']")
    assert link.text == actor_name

    created = app.test_client().post(
        "/api/v1/premises",
        json={
            "nom": "Local à retirer",
            "type_local": "bureau",
            "origine": "partenaire",
            "surface_m2": 50,
            "disponible_le": "2027-01-01",
            "ref": "RETRAIT-1",
            "adresse": "1 rue Sans Point, Bordeaux",
        },
    )
    assert created.status_code == 201, created.json
    premises_id = created.json["id"]  # type: ignore[index]
    browser.get(f"{base_url}/locaux/{premises_id}")
    browser.find_element(By.LINK_TEXT, "Retirer").click()
    wait_until(browser, lambda d: d.current_url.endswith("/retirer"), 15)
    assert "Retirer la fiche" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.LINK_TEXT, "Annuler").click()
    with loaded.connect() as conn:
        assert conn.scalar(select(Local.statut).where(Local.id == premises_id)) == "disponible"
    browser.get(f"{base_url}/locaux/{premises_id}/retirer")
    browser.find_element(By.CSS_SELECTOR, "form.retrait button[type=submit]").click()
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".succes"), 15)
    assert "retiré" in browser.find_element(By.CSS_SELECTOR, ".succes").text
    with loaded.connect() as conn:
        assert conn.scalar(select(Local.statut).where(Local.id == premises_id)) == "retire"
