"""The committee's pages on a database of their own: an agent proposes and prepares, members
vote in their own session only, the secretary decides; a hostile actor name shows as text in
pages, the offline dossier (opened in headless Chromium with no network) and the minutes."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from sqlalchemy import text

from foncier.accounts.service import add_account
from foncier.db import make_engine, make_sessionmaker
from tests.databases import create_database, drop_database
from tests.foncier.committee.conftest import premises_with_candidates
from tests.web.browser import wait_until
from web import create_app

HOSTILE = "<img src=x onerror=alert(1)>"
PASSWORD = "mot de passe du comité"
AGENT, ADMIN = "agent@comite.test", "admin@comite.test"
MEMBERS = ("m1@comite.test", "m2@comite.test", "m3@comite.test")
OUTSIDER, PLANNER = "m4@comite.test", "plan@comite.test"


@pytest.fixture(scope="module")
def committee_app(server_url: str, seeded_db: str) -> Iterator[Flask]:
    url = create_database(server_url, prefix="foncier_comite", template=seeded_db)
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    accounts: dict[str, str] = {}
    with factory() as session:
        for email, role in [
            (AGENT, "agent"),
            (ADMIN, "administrateur"),
            (PLANNER, "planificateur"),
            *((m, "comite") for m in (*MEMBERS, OUTSIDER)),
        ]:
            account = add_account(session, email, [role], PASSWORD, "tests")
            accounts[email] = f"{account.id}:{account.jeton_session}"
        ref = premises_with_candidates(session)
        session.execute(text("UPDATE acteurs SET nom = :n"), {"n": HOSTILE})
        session.commit()
    engine.dispose()
    config = {"DATABASE_URL": url, "TESTING": True, "GEOCODER_URL": "aucun"}
    app = create_app({**config, "WTF_CSRF_ENABLED": False})
    app.config["COMITE"] = {"accounts": accounts, "premises": ref}
    yield app
    store_engine = app.extensions["foncier.store"].engine
    if store_engine is not None:
        store_engine.dispose()
    drop_database(url)


def client(app: Flask, email: str) -> FlaskClient:
    found = app.test_client()
    with found.session_transaction() as session:
        session["_user_id"] = app.config["COMITE"]["accounts"][email]
        session["_fresh"] = True
    return found


@pytest.fixture(scope="module")
def sitting(committee_app: Flask) -> dict[str, Any]:
    """Propose, prepare and hold a session through the pages, as the users do."""
    agent = client(committee_app, AGENT)
    premises = committee_app.config["COMITE"]["premises"]
    assert agent.post("/propositions/", data={"local": premises}).status_code == 302
    listing = agent.get("/propositions/").get_data(as_text=True)
    proposal = re.search(r'id="(PROP-\d+)"', listing)
    assert proposal is not None
    form = {"ref": "CE-1", "titre": "Séance de décembre", "date": "2026-12-03"}
    created = agent.post("/comite/", data={**form, "membres": "\n".join(MEMBERS)})
    assert created.status_code == 302, created.get_data(as_text=True)
    assert (
        agent.post("/comite/CE-1/ordre-du-jour", data={"proposition": proposal[1]}).status_code
        == 302
    )
    assert agent.post("/comite/CE-1/etat", data={"action": "ouvrir"}).status_code == 302
    presence = {"present": [MEMBERS[0], MEMBERS[1]], f"pouvoir:{MEMBERS[2]}": MEMBERS[0]}
    assert agent.post("/comite/CE-1/presences", data=presence).status_code == 302
    page = agent.get("/comite/CE-1").get_data(as_text=True)
    line = re.search(r'id="ligne-(\d+)"', page)
    assert line is not None
    first = client(committee_app, MEMBERS[0])
    ballot = {"ligne": line[1], "voix": "favorable"}
    assert first.post("/comite/CE-1/votes", data=ballot).status_code == 302
    assert first.post("/comite/CE-1/votes", data={**ballot, "pour": MEMBERS[2]}).status_code == 302
    decided = agent.post(
        "/comite/CE-1/decisions", data={"ligne": line[1], "motifs": f"Vu {HOSTILE}"}
    )
    assert decided.status_code == 302, decided.get_data(as_text=True)
    return {"proposal": proposal[1], "line": line[1]}


def test_members_vote_in_their_own_sessions_only(
    committee_app: Flask, sitting: dict[str, Any]
) -> None:
    line = sitting["line"]
    outsider = client(committee_app, OUTSIDER)
    assert outsider.get("/comite/CE-1").status_code == 403
    refused = outsider.post("/comite/CE-1/votes", data={"ligne": line, "voix": "defavorable"})
    assert refused.status_code == 403
    assert "CE-1" not in outsider.get("/comite/").get_data(as_text=True)
    assert client(committee_app, PLANNER).get("/comite/").status_code == 403
    # An agent is the secretary: no vote, but the decision.
    agent = client(committee_app, AGENT)
    assert (
        agent.post("/comite/CE-1/votes", data={"ligne": line, "voix": "favorable"}).status_code
        == 403
    )
    page = agent.get("/comite/CE-1").get_data(as_text=True)
    assert "favorable 2, défavorable 0, abstention 0" in page
    assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    decisions = client(committee_app, MEMBERS[1]).get("/decisions/").get_data(as_text=True)
    assert "CE-1" in decisions and HOSTILE not in decisions


def test_bad_input_is_explained(committee_app: Flask, sitting: dict[str, Any]) -> None:
    agent = client(committee_app, AGENT)
    bad = agent.post("/comite/CE-1/decisions", data={"ligne": "abc", "motifs": "x"})
    assert bad.status_code == 422 and "« abc »" in bad.get_data(as_text=True)
    empty = agent.post("/comite/", data={"ref": "CE-2", "date": "03/13/2026", "membres": "x"})
    assert empty.status_code == 422 and "« 03/13/2026 »" in empty.get_data(as_text=True)


def test_minutes_name_decisions_and_tallies(
    committee_app: Flask, sitting: dict[str, Any], tmp_path: Path
) -> None:
    agent = client(committee_app, AGENT)
    html_minutes = agent.get("/comite/CE-1/proces-verbal").get_data(as_text=True)
    assert HOSTILE not in html_minutes
    response = agent.get("/comite/CE-1/proces-verbal.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(response.data)).pages
    words = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Procès-verbal" in words and sitting["proposal"] in words
    assert "favorable 2, défavorable 0, abstention 0" in words
    assert "m1@comite.test : présent" in words and "représenté" in words
    assert f"Vu {HOSTILE}" in words  # typed text printed as text


def test_the_dossier_opens_offline(
    committee_app: Flask,
    sitting: dict[str, Any],
    browser: Any,
    tmp_path: Path,
) -> None:
    target = tmp_path / "dossier.html"
    with committee_app.app_context():
        from web.cli import main

        result = CliRunner().invoke(main, ["session", "dossier", "CE-1", str(target)])
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert "<script src" not in page and "<link" not in page and "https://unpkg" not in page
    browser.get(target.as_uri())
    wait_until(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, ".leaflet-control-layers-overlays label"),
    )
    overlays = {
        label.text.strip()
        for label in browser.find_elements(
            By.CSS_SELECTOR, ".leaflet-control-layers-overlays label"
        )
    }
    for layer in (
        "Communes",
        "Quartiers prioritaires (QPV)",
        "Friches (Cartofriches)",
        "Opérations d'aménagement",
        "Demande ESS non satisfaite (besoins ouverts par commune)",
        "Zones souhaitées des besoins",
        "Candidats par rang (lignes local → besoin)",
    ):
        assert layer in overlays
    assert any(name.startswith("Locaux — ") for name in overlays)
    assert browser.find_elements(By.CSS_SELECTOR, ".legende-carte")
    for width, height in ((1366, 768), (390, 844)):  # the layer box leaves the legend seen
        browser.set_window_size(width, height)
        assert browser.execute_script(BOXES_APART, ".leaflet-control-layers", ".legende-carte")
    assert "mi" not in browser.find_element(By.CSS_SELECTOR, ".leaflet-control-scale").text
    assert browser.find_elements(By.CSS_SELECTOR, ".marker-cluster, path.leaflet-interactive")
    assert browser.execute_script("return window.__erreurs") == []
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    cards = browser.find_elements(By.CSS_SELECTOR, ".fiche-proposition h3")
    assert any(HOSTILE in card.text for card in cards)
    assert not browser.find_elements(By.CSS_SELECTOR, "img[src='x']")


# True when the two elements are both on screen and do not overlap.
BOXES_APART = """
const [a, b] = [arguments[0], arguments[1]]
  .map(s => document.querySelector(s).getBoundingClientRect());
const seen = r => r.width > 0 && r.height > 0;
return seen(a) && seen(b) && (a.bottom <= b.top || b.bottom <= a.top || a.right <= b.left
  || b.right <= a.left);
"""


def test_a_refused_pair_is_flagged_on_the_candidates_page(
    committee_app: Flask, sitting: dict[str, Any]
) -> None:
    agent = client(committee_app, AGENT)
    with committee_app.app_context():
        from web import store

        session = store.session()
        need_id = session.scalar(
            text(
                "SELECT b.id FROM besoins b JOIN propositions_lignes l ON l.besoin_id = b.id "
                "WHERE b.statut = 'ouvert' ORDER BY l.rang LIMIT 1"
            )
        )
        need_ref = session.scalar(text("SELECT ref FROM besoins WHERE id = :i"), {"i": need_id})
        session.close()
    proposed = agent.post("/propositions/", data={"besoin": need_ref, "nombre": "1"})
    assert proposed.status_code == 302, proposed.get_data(as_text=True)
    proposal = proposed.headers["Location"].rsplit("#", 1)[-1]
    form = {"ref": "CE-2", "date": "2026-12-10", "membres": "\n".join(MEMBERS)}
    assert agent.post("/comite/", data=form).status_code == 302
    agent.post("/comite/CE-2/ordre-du-jour", data={"proposition": proposal})
    agent.post("/comite/CE-2/etat", data={"action": "ouvrir"})
    agent.post("/comite/CE-2/presences", data={"present": list(MEMBERS)})
    line = re.search(r'id="ligne-(\d+)"', agent.get("/comite/CE-2").get_data(as_text=True))
    assert line is not None
    for member in MEMBERS:
        ballot = {"ligne": line[1], "voix": "defavorable"}
        assert (
            client(committee_app, member).post("/comite/CE-2/votes", data=ballot).status_code == 302
        )
    assert (
        agent.post(
            "/comite/CE-2/decisions", data={"ligne": line[1], "motifs": "Trop cher"}
        ).status_code
        == 302
    )
    page = agent.get(f"/besoins/{need_id}/candidats").get_data(as_text=True)
    assert f"Refusé en comité ({proposal})" in page
    again = agent.post("/propositions/", data={"besoin": need_ref, "nombre": "1"})
    assert again.status_code in (302, 422)
    if again.status_code == 302:  # another candidate was proposed, never the refused one
        other = again.headers["Location"].rsplit("#", 1)[-1]
        listing = agent.get("/propositions/").get_data(as_text=True)
        assert other != proposal and other in listing


def test_popups_escape_what_users_typed() -> None:
    from web.dossier_map import score_card

    line = {
        "rang": 1,
        "score": 0.5,
        "completude": 1.0,
        "criteres": {"location": {"label": "Localisation", "contribution": 0.2}},
        "besoin": {"acteur": {"nom": HOSTILE}},
    }
    card = score_card({"line": line, "need": {"intitule": HOSTILE, "ref": "B-1"}})
    assert HOSTILE not in card and "&lt;img src=x onerror=alert(1)&gt;" in card
