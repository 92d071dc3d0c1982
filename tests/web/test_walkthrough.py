"""A new user's walkthrough of the demo, each role in turn: what a page offers is allowed,
values read as French, tables scroll in their own box on a phone (issue 10's walkthrough)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from selenium import webdriver
from selenium.webdriver.common.by import By
from sqlalchemy import Engine, func, select, text
from werkzeug.exceptions import HTTPException

from foncier.accounts.roles import Role
from foncier.accounts.rules import Paris
from foncier.committee.demo import load_demo_committee
from foncier.db import make_sessionmaker
from foncier.models import Acteur, Besoin, EvenementAudit, Friche, Historique, Local
from tests.web.browser import submit, wait_for_script
from tests.web.conftest import sign_in
from tests.web.test_agents_path import SNAKE_CASE
from web.auth.matrix import permits


@pytest.fixture(scope="module")
def loaded(engine: Engine) -> Engine:
    """The demo as `make demo` leaves it: with its committee sessions and decisions."""
    with make_sessionmaker(engine)() as session:
        assert load_demo_committee(session, "tests")
        session.commit()
    return engine


def test_decision_tallies_say_what_they_count(app: Flask) -> None:
    page = app.test_client(role=Role.AGENT).get("/decisions/").get_data(as_text=True)
    assert "DEMO-0" in page
    assert not re.search(r"\d+ / \d+ / \d+", page)
    assert re.search(r"favorable \d+, défavorable \d+, abstention \d+", page)


class _Actions(HTMLParser):
    """The links and forms a page offers: (method, address)."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.found: set[tuple[str, str]] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        if tag == "a" and given.get("href"):
            self.found.add(("GET", str(given["href"])))
        elif tag == "form":
            method = (given.get("method") or "get").upper()
            self.found.add((method, given.get("action") or self.page))


def _offered(client: FlaskClient, page: str) -> set[tuple[str, str]]:
    parser = _Actions(page)
    parser.feed(client.get(page).get_data(as_text=True))
    inside = {(m, urlsplit(a).path) for m, a in parser.found if not urlsplit(a).netloc}
    return {(m, a) for m, a in inside if a.startswith("/") and not a.startswith("/static/")}


def _main_pages(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        need = conn.scalar(select(func.min(Besoin.id)).where(Besoin.statut == "ouvert"))
        premises = conn.scalar(select(func.min(Local.id)).where(Local.statut == "disponible"))
        actor = conn.scalar(select(func.min(Acteur.id)))
    return [
        "/",
        *(f"/{s}/" for s in ("locaux", "acteurs", "besoins")),
        f"/locaux/{premises}",
        f"/besoins/{need}",
        f"/acteurs/{actor}",
        f"/locaux/{premises}/candidats",
        f"/besoins/{need}/candidats",
        "/scenarios/",
        "/comite/",
        "/comite/DEMO-0",
        "/comite/DEMO-1",
        "/propositions/",
        "/decisions/",
        "/observatoire/",
        "/import/",
        "/comptes/",
        "/comptes/journal",
    ]


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_is_offered_only_what_it_may_do(app: Flask, loaded: Engine, role: str) -> None:
    """No button, link or form leads a role to a 403: the pages ask the one matrix."""
    client = app.test_client(role=role, api_token=False)
    adapter = app.url_map.bind("localhost")
    refused: dict[str, list[str]] = {}
    opened: set[str] = set()  # one address per endpoint is enough to see a 403 from a use case
    for page in _main_pages(loaded):
        if client.get(page).status_code != 200:
            continue  # a page the role may not open offers it nothing
        for method, address in sorted(_offered(client, page)):
            try:
                endpoint, _ = adapter.match(address, method=method)
            except HTTPException:
                refused.setdefault(page, []).append(f"{method} {address} (introuvable)")
                continue
            if not permits(frozenset({Role(role)}), endpoint, method):
                refused.setdefault(page, []).append(f"{method} {address}")
            elif method == "GET" and endpoint not in opened and "export" not in endpoint:
                opened.add(endpoint)
                if client.get(address).status_code == 403:
                    refused.setdefault(page, []).append(f"GET {address} (403)")
    assert refused == {}


# Every word of a table cell whose text spans more than one line: a column too narrow for
# its words was breaking them letter by letter (overflow-wrap: anywhere in a squeezed table).
BROKEN_WORDS = """
const broken = [];
for (const cell of document.querySelectorAll('td, th')) {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.data.matchAll(/[^\\s\\-\\/–—]+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
      if (new Set(rects.map(r => Math.round(r.top))).size > 1) broken.push(m[0]);
    }
  }
}
return [document.documentElement.scrollWidth - document.documentElement.clientWidth,
        broken.slice(0, 5)];
"""
TABLE_PAGES = [
    "/locaux/",
    "/locaux/{premises}",
    "/besoins/{need}/candidats",
    "/comite/DEMO-0",
    "/comite/DEMO-0/proces-verbal",
    "/decisions/",
    "/observatoire/",
]


@pytest.mark.browser
def test_tables_scroll_in_their_own_box_on_a_phone(
    browser: webdriver.Chrome, base_url: str, loaded: Engine
) -> None:
    sign_in(browser, base_url, Role.AGENT)
    with loaded.connect() as conn:
        ids = {
            "premises": conn.scalar(select(func.min(Local.id))),
            "need": conn.scalar(select(func.min(Besoin.id)).where(Besoin.statut == "ouvert")),
        }
    browser.set_window_size(390, 844)
    try:
        found = {}
        for page in TABLE_PAGES:
            browser.get(base_url + page.format(**ids))
            wait_for_script(browser, "document.readyState === 'complete'")
            wider, broken = browser.execute_script(BROKEN_WORDS)
            if wider > 0 or broken:
                found[page] = (wider, broken)
    finally:
        browser.set_window_size(1280, 900)
    assert found == {}


def _plain(value: str) -> str:
    # Only ASCII blanks: the narrow no-break space groups digits and must stay.
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", value))).strip()


def _facts(page: str) -> dict[str, str]:
    """A record page's fields: label → value, as text."""
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", page, flags=re.S)
    return {_plain(k): _plain(v) for k, v in pairs}


def test_record_pages_show_names_words_and_decimal_commas(app: Flask, loaded: Engine) -> None:
    client = app.test_client(role=Role.AGENT)
    with loaded.connect() as conn:
        brownfield = conn.execute(
            select(Local.id, Friche.nom).join(Friche).where(Local.friche_id.is_not(None)).limit(1)
        ).one()
        need_id, actor_name = conn.execute(
            select(Besoin.id, Acteur.nom).join(Acteur).order_by(Besoin.id).limit(1)
        ).one()
    facts = _facts(client.get(f"/locaux/{brownfield.id}").get_data(as_text=True))
    assert re.fullmatch(r"4\d,\d{5} ; -0,\d{5}", facts["Position"]), facts["Position"]
    assert facts["Source"] == "jeu de démonstration"
    assert "identifiant Cartofriches" in facts["Friche (Cartofriches)"]
    assert re.fullmatch(r"\d{1,3}(?:\u202f\d{3})*(?:,\d+)?", facts["Surface (m²)"])
    site = client.post(
        "/api/v1/premises",
        json={
            "nom": "Site Bastide Niel",
            "nature": "site",
            "type_local": "activite",
            "origine": "fonciere",
            "surface_m2": 2400,
            "disponible_le": "2027-01-01",
            "geometry": {"type": "Point", "coordinates": [-0.55, 44.85]},
        },
    )
    assert site.status_code == 201, site.json
    lot = client.post(
        "/api/v1/premises",
        json={
            "nom": "Lot A",
            "nature": "lot",
            "parent_id": site.json["id"],  # type: ignore[index]
            "type_local": "activite",
            "origine": "fonciere",
            "surface_m2": 300,
            "disponible_le": "2027-01-01",
            "geometry": {"type": "Point", "coordinates": [-0.55, 44.85]},
        },
    )
    assert lot.status_code == 201, lot.json
    facts = _facts(client.get(f"/locaux/{lot.json['id']}").get_data(as_text=True))  # type: ignore[index]
    assert facts["Site ou bâtiment parent"].startswith("Site Bastide Niel")
    facts = _facts(client.get(f"/besoins/{need_id}").get_data(as_text=True))
    assert facts["Acteur"] == actor_name
    assert not [k for k in facts if "(n°)" in k]


@pytest.mark.browser
def test_the_form_shows_a_decimal_comma_and_reads_it_back(
    browser: webdriver.Chrome, base_url: str, loaded: Engine
) -> None:
    with loaded.connect() as conn:
        premises_id, surface = conn.execute(
            select(Local.id, Local.surface_m2)
            .where(Local.friche_id.is_not(None), Local.surface_m2 != func.round(Local.surface_m2))
            .limit(1)
        ).one()
    sign_in(browser, base_url, Role.AGENT)
    browser.get(f"{base_url}/locaux/{premises_id}/modifier")
    shown = browser.find_element(By.ID, "surface_m2").get_attribute("value") or ""
    assert "," in shown and "." not in shown
    submit(browser, "form.saisie button[type=submit]")
    assert browser.current_url.endswith(f"/locaux/{premises_id}")
    with loaded.connect() as conn:
        assert conn.scalar(select(Local.surface_m2).where(Local.id == premises_id)) == surface


def test_history_and_audit_log_read_in_paris_time_and_words(app: Flask, loaded: Engine) -> None:
    with make_sessionmaker(loaded)() as session:
        session.execute(text("SELECT set_config('foncier.utilisateur', 'cli:root', true)"))
        premises_id = session.scalar(select(func.min(Local.id)))
        session.execute(
            text("UPDATE locaux SET description = 'revu', version = version + 1 WHERE id = :i"),
            {"i": premises_id},
        )
        session.commit()
    with loaded.connect() as conn:
        moment = conn.scalar(
            select(func.max(Historique.horodatage)).where(Historique.record_id == str(premises_id))
        )
    assert moment is not None
    admin = app.test_client(role=Role.ADMINISTRATEUR)
    admin.get("/acteurs/1")  # a read of personal data: the log says which address
    page = _plain(admin.get(f"/locaux/{premises_id}").get_data(as_text=True))
    assert moment.astimezone(Paris).strftime("%d/%m/%Y %H:%M") in page
    assert "ligne de commande (root)" in page and "cli:root" not in page
    journal = _plain(admin.get("/comptes/journal").get_data(as_text=True))
    assert "rôles : Planificateur" in journal and "['" not in journal
    assert "adresse demandée : /acteurs/" in journal and "adresse_demandee" not in journal
    with loaded.connect() as conn:
        last = conn.scalar(select(func.max(EvenementAudit.horodatage)))
    assert last is not None and last.astimezone(Paris).strftime("%d/%m/%Y %H:%M") in journal


CODE_PAGES = {
    Role.AGENT: [
        "/locaux/{premises}",
        "/locaux/{brownfield}",
        "/besoins/{need}",
        "/acteurs/{actor}",
        "/decisions/",
        "/propositions/",
        "/comite/",
        "/comite/DEMO-0",
        "/comite/DEMO-1",
        "/comite/DEMO-0/proces-verbal",
    ],
    # A read of personal data first: the log then holds the address read.
    Role.ADMINISTRATEUR: ["/acteurs/{actor}", "/comptes/journal", "/comptes/"],
}


@pytest.mark.browser
def test_no_code_is_shown_as_text_on_records_history_log_and_committee(
    browser: webdriver.Chrome, base_url: str, app: Flask, loaded: Engine
) -> None:
    """What a user reads says `services à la personne`, never `services_personne`."""
    with loaded.connect() as conn:
        ids = {
            "premises": conn.scalar(select(func.min(Local.id)).where(Local.friche_id.is_(None))),
            "brownfield": conn.scalar(
                select(func.min(Local.id)).where(Local.friche_id.is_not(None))
            ),
            "need": conn.scalar(select(func.min(Besoin.id))),
            "actor": conn.scalar(select(func.min(Acteur.id))),
        }
    found = {}
    for role, pages in CODE_PAGES.items():
        sign_in(browser, base_url, role)
        for page in pages:
            browser.get(base_url + page.format(**ids))
            shown = browser.find_element(By.TAG_NAME, "body").text
            codes = SNAKE_CASE.findall(shown)
            if codes:
                found[page] = sorted(set(codes))
    assert found == {}
