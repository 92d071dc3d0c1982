"""The page where an administrator sees the weights learned from the committee's decisions
and adopts them: refused with too few decisions, a new settings version once enough."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from selenium import webdriver
from selenium.webdriver.common.by import By
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from foncier.accounts.roles import Role
from foncier.db import make_sessionmaker
from foncier.models import ReglagesAppariement
from tests.factories import csrf_token
from tests.foncier.committee.sittings import members, sit
from tests.web.browser import new_page
from tests.web.conftest import sign_in

PAGE = "/reglages/apprentissage"


def versions(engine: Engine) -> int:
    with engine.connect() as connection:
        found = connection.scalar(select(func.count()).select_from(ReglagesAppariement))
    return int(found or 0)


def test_only_administrators_open_it(app: Flask) -> None:
    assert app.test_client(role=Role.PLANIFICATEUR).get(PAGE).status_code == 403
    assert app.test_client(role=Role.AGENT).post(PAGE).status_code == 403


def test_too_few_decisions_warn_and_adoption_is_refused(admin: FlaskClient, loaded: Engine) -> None:
    shown = admin.get(PAGE)
    body = " ".join(shown.get_data(as_text=True).split())
    assert shown.status_code == 200 and "0 décision(s), 0 séance(s)" in body
    assert "Attention : Trop peu de décisions pour conclure" in body
    assert 'id="adopter" disabled' in body
    before = versions(loaded)
    refused = admin.post(PAGE, data={"csrf_token": csrf_token(admin, PAGE)})
    assert refused.status_code == 422
    assert "Poids appris non adoptés : Trop peu de décisions" in " ".join(
        refused.get_data(as_text=True).split()
    )
    assert versions(loaded) == before


def test_an_administrator_adopts_the_learned_weights(
    browser: webdriver.Chrome, base_url: str, loaded: Engine
) -> None:
    taken: set[int] = set()
    with make_sessionmaker(loaded)() as session:
        members(session)
        decided = sum(sit(session, number, 4, taken) for number in range(1, 8))
    assert decided >= 100
    before = versions(loaded)
    sign_in(browser, base_url, Role.ADMINISTRATEUR)
    browser.get(base_url + "/comptes/")
    with new_page(browser):
        browser.find_element(By.ID, "lien-apprentissage").click()
    summary = browser.find_element(By.ID, "effectifs").text
    assert f"{decided} décision(s), 7 séance(s)" in summary.replace("\u202f", "")
    assert not browser.find_elements(By.CSS_SELECTOR, ".avertissement")
    weights = browser.find_element(By.ID, "poids").text
    assert "Localisation" in weights and "0," in weights  # labels, decimal comma
    with new_page(browser):
        browser.find_element(By.ID, "adopter").click()
    assert "nouvelle version des réglages" in browser.find_element(By.ID, "adoptes").text
    assert versions(loaded) == before + 1
