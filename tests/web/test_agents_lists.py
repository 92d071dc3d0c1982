"""Lists agents work with, in Chromium (issue 10): a search box that ignores accents, columns
sorted by a click, and pages and exports that keep the search and the order."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

import pytest
from flask import Flask
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from sqlalchemy import Engine, select

from foncier.french import plain
from foncier.models import Local
from tests.web.browser import new_page, submit, wait_until
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser

RENT_COLUMN = 5  # ref, nom, type, statut, surface, loyer…


def _cells(browser: webdriver.Chrome, column: int) -> list[str]:
    return [
        row.find_elements(By.TAG_NAME, "td")[column].text
        for row in browser.find_elements(By.CSS_SELECTOR, "table.liste tbody tr")
    ]


def _number(text: str) -> float | None:
    return None if text == "—" else float(text.replace("\u202f", "").replace(",", "."))


def _expected_refs(loaded: Engine, word: str) -> list[str]:
    """The premises whose name holds ``word``, by rent descending (none last), then id."""
    with loaded.connect() as conn:
        rows = conn.execute(select(Local.id, Local.ref, Local.nom, Local.loyer_m2_an)).all()
    kept = [r for r in rows if plain(word) in plain(r.nom)]
    kept.sort(key=lambda r: (r.loyer_m2_an is None, -(r.loyer_m2_an or 0), r.id))
    return [r.ref for r in kept]


def test_the_search_box_finds_a_record_without_its_accents(
    browser: webdriver.Chrome, base_url: str
) -> None:
    sign_in(browser, base_url)
    browser.get(base_url + "/locaux/")
    box = wait_until(browser, lambda d: d.find_element(By.CSS_SELECTOR, "input[name=q]"), 15)
    box.send_keys("ENTREPOT")
    submit(browser, "form.filtres button[type=submit]")
    names = _cells(browser, 1)
    assert names and all("Entrepôt" in name for name in names)
    count = browser.find_element(By.CSS_SELECTOR, "p.compte").text
    assert count == f"{len(names)} locaux"
    assert browser.find_element(By.CSS_SELECTOR, "input[name=q]").get_attribute("value") == (
        "ENTREPOT"
    )


def test_a_click_on_the_rent_header_sorts_the_rows_both_ways(
    browser: webdriver.Chrome, base_url: str
) -> None:
    sign_in(browser, base_url)
    browser.get(base_url + "/locaux/?type_local=commerce")
    header = wait_until(browser, lambda d: d.find_element(By.PARTIAL_LINK_TEXT, "Loyer"), 15)
    with new_page(browser, 15):
        header.click()
    rents = [r for r in map(_number, _cells(browser, RENT_COLUMN)) if r is not None]
    assert len(rents) > 5 and rents == sorted(rents) and rents[0] < rents[-1]
    sorted_header = browser.find_element(By.CSS_SELECTOR, "th[aria-sort=ascending]")
    assert "▲" in sorted_header.text and "type_local=commerce" in browser.current_url
    with new_page(browser, 15):
        browser.find_element(By.PARTIAL_LINK_TEXT, "Loyer").click()
    again = [r for r in map(_number, _cells(browser, RENT_COLUMN)) if r is not None]
    assert again == sorted(rents, reverse=True)
    assert "▼" in browser.find_element(By.CSS_SELECTOR, "th[aria-sort=descending]").text
    assert set(_cells(browser, 2)) == {"commerce"}


def test_page_two_and_the_export_keep_the_search_and_the_order(
    browser: webdriver.Chrome, base_url: str, app: Flask, loaded: Engine
) -> None:
    expected = _expected_refs(loaded, "bureaux")
    assert len(expected) > 50  # two pages at least
    sign_in(browser, base_url)
    browser.get(base_url + "/locaux/?q=bureaux&tri=-loyer_m2_an")
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "p.exports a"), 15)
    assert browser.find_element(By.CSS_SELECTOR, "p.compte").text == f"{len(expected)} locaux"
    assert _cells(browser, 0) == expected[:50]
    href = browser.find_element(By.LINK_TEXT, "CSV").get_attribute("href") or ""
    with new_page(browser, 15):
        browser.find_element(By.LINK_TEXT, "suivante →").click()
    assert "page=2" in browser.current_url
    assert _cells(browser, 0) == expected[50:100]
    parts = urlsplit(href)
    response = app.test_client().get(f"{parts.path}?{parts.query}")
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    ref_column = rows[0].index(next(h for h in rows[0] if h.casefold().startswith("réf")))
    assert [row[ref_column] for row in rows[1:]] == expected


def test_filters_typed_in_any_case_select_their_option(
    browser: webdriver.Chrome, base_url: str
) -> None:
    sign_in(browser, base_url)
    browser.get(base_url + "/locaux/?commune_insee=BORDEAUX&type_local=Bureau&ref=demo-l-0007")
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "p.compte"), 15)
    assert Select(browser.find_element(By.NAME, "commune_insee")).first_selected_option.text == (
        "Bordeaux"
    )
    assert Select(browser.find_element(By.NAME, "type_local")).first_selected_option.text == (
        "bureaux"
    )
    assert _cells(browser, 0) == ["DEMO-L-0007"]
    assert browser.find_element(By.CSS_SELECTOR, "p.compte").text == "1 local"


def test_the_api_searches_and_sorts_like_the_pages(app: Flask, loaded: Engine) -> None:
    response = app.test_client().get("/api/v1/premises?q=bureaux&tri=-loyer_m2_an&page_size=500")
    assert response.status_code == 200, response.json
    items = response.json
    assert isinstance(items, list)
    assert [item["ref"] for item in items] == _expected_refs(loaded, "bureaux")
    refused = app.test_client().get("/api/v1/premises?tri=mot_de_passe")
    assert refused.status_code == 422 and "Valeurs permises" in refused.get_data(as_text=True)


def test_a_bad_kind_in_a_filter_is_answered_with_the_labels_a_user_may_type(app: Flask) -> None:
    page = app.test_client().get("/locaux/?type_local=chateau")
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "« chateau » : Valeurs permises : bureaux, activité / atelier, commerce," in text
    assert "tiers-lieu, terrain." in text
    accepted = app.test_client().get("/locaux/?type_local=Tiers-lieu")  # a label named there
    assert accepted.status_code == 200
