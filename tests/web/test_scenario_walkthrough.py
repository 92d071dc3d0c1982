"""The planners' path in Chromium, as the walkthrough met it: start from the example, come
back to a computed page (read back, not computed again), save a new version (computed
again), compare two scenarios clause by clause, and a refused file that keeps the input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from selenium import webdriver
from selenium.webdriver.common.by import By

from tests.web.browser import new_page, submit, wait_for_script, wait_until
from tests.web.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
EXAMPLE = Path(__file__).parents[2] / "data" / "scenario-exemple.yaml"
# Visible text of a page's element (what a reader sees, not the markup).
TEXT = "return document.querySelector(arguments[0]).innerText;"
OVERFLOW = "return document.documentElement.scrollWidth - window.innerWidth;"


def from_example(browser: webdriver.Chrome, base_url: str) -> str:
    """Click "Partir de l'exemple" on the list; the new scenario's ref."""
    browser.get(base_url + "/scenarios/")
    submit(browser, "#partir-exemple", 90)
    wait_until(browser, lambda d: re.search(r"/scenarios/SC-\d+$", d.current_url))
    return browser.current_url.rsplit("/", 1)[1]


def test_a_computed_page_is_read_back_until_a_new_version(
    browser: webdriver.Chrome,
    base_url: str,
    computations: list[str],
    tmp_path: Path,
) -> None:
    sign_in(browser, base_url, "planificateur")
    ref = from_example(browser, base_url)
    assert computations == [ref]
    computed = browser.find_element(By.CSS_SELECTOR, "p.calcul").text
    lots = browser.execute_script(TEXT, "table.lots")
    assert "activités/artisanat" in lots and "activites" not in browser.page_source
    figures = browser.execute_script(TEXT, "section.chiffres")
    for text in (lots, figures):
        assert not re.search(r"\d{4}", text), text  # thousands are grouped: 1 350 m²
        assert not re.search(r"\d\.\d", text), text  # decimal comma
    assert "\u202f" in figures

    with new_page(browser):
        browser.refresh()
    assert computations == [ref]  # the second view computed nothing
    assert browser.find_element(By.CSS_SELECTOR, "p.calcul").text == computed

    share = browser.find_element(By.NAME, "lots-0-ess_share")
    share.clear()
    share.send_keys("20 %")
    submit(browser, "form.clause button", 90)
    assert browser.find_element(By.NAME, "version").get_attribute("value") == "2"
    assert computations == [ref, ref]  # the new version is computed
    with new_page(browser):
        browser.refresh()
    assert computations == [ref, ref]
    wait_for_script(browser, "!!window.carteFonciere")
    for width, height in ((1366, 768), (390, 844)):
        browser.set_window_size(width, height)
        browser.save_screenshot(str(tmp_path / f"scenario-{width}.png"))
        assert browser.execute_script(OVERFLOW) <= 0, width
    browser.set_window_size(1280, 900)
    assert browser.execute_script("return window.__erreurs") == []


def test_the_comparison_shows_the_clauses_and_their_differences(
    browser: webdriver.Chrome, base_url: str, computations: list[str], tmp_path: Path
) -> None:
    sign_in(browser, base_url, "planificateur")
    first = from_example(browser, base_url)
    second = from_example(browser, base_url)
    duration = browser.find_element(By.NAME, "duration_years")
    duration.clear()
    duration.send_keys("12")
    submit(browser, "form.clause button", 90)
    browser.get(base_url + "/scenarios/")
    for ref in (first, second):
        browser.find_element(By.CSS_SELECTOR, f"input[name=refs][value='{ref}']").click()
    done = len(computations)
    submit(browser, "form[action$='/comparer'] button[type=submit]", 90)
    assert len(computations) == done  # both pages were computed: read back
    table = browser.execute_script(TEXT, "table.comparaison")
    assert "Paramètres de la clause" in table and "Lot B1" in table
    row = browser.find_element(By.XPATH, "//tr[th='Durée de la clause']").text
    assert "9 ans" in row and "12 ans" in row and "Δ +3 ans (+33,3 %)" in row
    assert "marge du promoteur conservée" in table
    assert browser.find_elements(By.CSS_SELECTOR, "td.different")
    assert not re.search(r"\d\.\d", table)
    for width, height in ((1366, 768), (390, 844)):
        browser.set_window_size(width, height)
        browser.save_screenshot(str(tmp_path / f"comparaison-{width}.png"))
        assert browser.execute_script(OVERFLOW) <= 0, width
    browser.set_window_size(1280, 900)


def test_a_refused_file_keeps_the_input_and_leads_back_to_the_form(
    browser: webdriver.Chrome, base_url: str, tmp_path: Path
) -> None:
    sign_in(browser, base_url, "planificateur")
    text = EXAMPLE.read_text(encoding="utf-8")
    bad = tmp_path / "mon-scenario.yaml"
    bad.write_text(text.replace("use: activites", "use: usine"), encoding="utf-8")
    browser.get(base_url + "/scenarios/")
    browser.find_element(By.ID, "nom-scenario").send_keys("Essai de la rive droite")
    browser.find_element(By.ID, "scenario").send_keys(str(bad))
    submit(browser, "form.depot button[type=submit]", 90)
    alert = browser.find_element(By.ID, "refus").text
    assert "« mon-scenario.yaml »" in alert
    assert "lot A1, usage : « usine » : Usage inconnu" in alert
    assert "activités/artisanat" in alert  # what is allowed
    field = browser.find_element(By.ID, "nom-scenario")
    assert field.get_attribute("value") == "Essai de la rive droite"
    kept = browser.find_element(By.ID, "texte").get_attribute("value") or ""
    assert "use: usine" in kept
    back = browser.find_element(By.LINK_TEXT, "Revenir au formulaire")
    assert (back.get_attribute("href") or "").endswith("#formulaire-scenario")
    assert browser.find_elements(By.ID, "formulaire-scenario")
    browser.save_screenshot(str(tmp_path / "refus.png"))

    box = browser.find_element(By.ID, "texte")  # corrected in place, sent again
    browser.execute_script(
        "arguments[0].value = arguments[0].value.replace('use: usine', 'use: Activités')", box
    )
    submit(browser, "form.depot button[type=submit]", 90)
    wait_until(browser, lambda d: re.search(r"/scenarios/SC-\d+$", d.current_url))
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Essai de la rive droite")


def test_only_planners_see_the_buttons_that_create(app: Flask) -> None:
    agent = app.test_client(role="agent")
    listing = agent.get("/scenarios/").get_data(as_text=True)
    assert "Partir de l'exemple" not in listing and "formulaire-scenario" not in listing
    assert agent.post("/scenarios/exemple").status_code == 403
    planner = app.test_client(role="planificateur")
    assert "Partir de l'exemple" in planner.get("/scenarios/").get_data(as_text=True)
