"""Headless Chromium for the browser tests, and waits that survive a page being replaced.

A form that posts replaces the whole document: an element found on the old page raises
``StaleElementReferenceException`` as soon as the new one arrives. So an action that navigates
goes through ``new_page``, which returns once the old ``<html>`` is gone and the new document
is loaded; and ``wait_until`` counts a stale or missing element as "not yet" and polls again.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import WebDriverWait

T = TypeVar("T")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# Recorded before any page script runs, so that no error escapes the test.
CATCH_ERRORS = """
window.__erreurs = [];
window.addEventListener('error', e => window.__erreurs.push(String(e.message)));
window.addEventListener('unhandledrejection', e => window.__erreurs.push(String(e.reason)));
"""
# Counts the vector layers drawn on the page's map by their "couche" property (an SVG path in
# the page, or a marker on a canvas), and gives the id "cible" to the path of the feature
# named arguments[0]. The communes' outlines every map carries have no "couche".
DRAWN_LAYERS = """
const counts = {};
const drawn = layer => layer._path ? document.body.contains(layer._path)
  : !!(layer._renderer && layer._renderer instanceof L.Canvas && layer._map);
window.carteFonciere.eachLayer(layer => {
  if (layer.feature && layer.feature.properties.couche && drawn(layer)) {
    const name = layer.feature.properties.couche;
    counts[name] = (counts[name] || 0) + 1;
    if (layer._path && layer.feature.properties.nom === arguments[0]) layer._path.id = 'cible';
  }
});
return counts;
"""
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
    # No name resolves but localhost's: the page has no internet, as required.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
)
# What a wait treats as "not yet": the element belongs to a page being replaced, or the new
# page has not drawn it yet.
NOT_YET = (NoSuchElementException, StaleElementReferenceException)


def start_chromium(profile: Path) -> webdriver.Chrome:
    """Headless Chromium with its own profile folder, recording page script errors."""
    if not Path(CHROMIUM).exists() or not Path(CHROMEDRIVER).exists():
        pytest.fail(
            "Chromium et ChromeDriver sont requis : apt-get install chromium chromium-driver"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_ERRORS})
    return driver


def wait_until(
    browser: webdriver.Chrome,
    condition: Callable[[webdriver.Chrome], T | None],
    timeout: float = 30,
) -> T:
    """``condition``'s first truthy value; a stale or missing element means "poll again"."""
    value = WebDriverWait(browser, timeout, ignored_exceptions=NOT_YET).until(condition)
    assert value is not None  # until() returns only a truthy value
    return value


def wait_for_script(browser: webdriver.Chrome, expression: str, timeout: float = 30) -> object:
    """Wait until a JavaScript expression is truthy on the current page (``!!window.carte``)."""
    return wait_until(browser, lambda d: d.execute_script(f"return {expression}"), timeout)


@contextmanager
def new_page(browser: webdriver.Chrome, timeout: float = 60) -> Iterator[None]:
    """Around an action that loads another page (a form posted, a link followed): on exit the
    old document is gone and the new one is loaded, so nothing is looked up on the old one."""
    old = browser.find_element(By.TAG_NAME, "html")
    yield
    WebDriverWait(browser, timeout).until(staleness_of(old))
    wait_until(browser, lambda d: d.execute_script("return document.readyState") == "complete")


def submit(browser: webdriver.Chrome, button: str, timeout: float = 60) -> None:
    """Click the button the CSS selector names, and wait for the page the form leads to."""
    with new_page(browser, timeout):
        browser.find_element(By.CSS_SELECTOR, button).click()
