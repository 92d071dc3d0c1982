"""No answer to a planner or a committee member holds a contact of the demo data: every page,
API route and export they may open, the history included; agents still see the contacts, and
their reads are audited."""

from __future__ import annotations

import io
import re
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select, text

from foncier.accounts.roles import Role
from foncier.models import Acteur, Besoin
from foncier.vocabulary import DEMO_SOURCE
from tests.factories import WRITES, csrf_token
from web.auth.matrix import permits

FORMATS = ("csv", "xlsx", "geojson", "gpkg")


@pytest.fixture(scope="module")
def contacts(loaded: Engine) -> dict[str, Any]:
    """The demo's e-mails and phones, and a few actors with their needs to open."""
    with loaded.connect() as conn:
        rows = conn.execute(
            select(Acteur.id, Acteur.contact_email, Acteur.contact_telephone)
            .where(Acteur.source == DEMO_SOURCE, Acteur.contact_email.is_not(None))
            .order_by(Acteur.id)
        ).all()
        actors = [r.id for r in rows[:4]]
        needs = conn.scalars(select(Besoin.id).where(Besoin.acteur_id.in_(actors))).all()
    secrets = {r.contact_email for r in rows} | {r.contact_telephone for r in rows}
    return {"secrets": secrets, "actors": actors, "needs": list(needs)[:4] or [1]}


def _text(response: Any, url: str) -> str:
    """The answer as text, spreadsheets and GeoPackages opened as a user would."""
    body = response.get_data()
    if "xlsx" in url:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " ".join(str(c) for c in row if c is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if "gpkg" in url:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "export.gpkg"
            path.write_bytes(body)
            with sqlite3.connect(path) as db:
                tables = [r[0] for r in db.execute("SELECT table_name FROM gpkg_contents")]
                return "\n".join(
                    " ".join(str(v) for v in row)
                    for table in tables
                    for row in db.execute(f'SELECT * FROM "{table}"')
                )
    return body.decode("utf-8", errors="replace")


def _urls(app: Flask, role: Role, contacts: dict[str, Any]) -> list[str]:
    """Every GET route the role may open, with the sample actors and needs, every format."""
    ids = {"actors": contacts["actors"], "needs": contacts["needs"]}
    urls = []
    for url_rule in app.url_map.iter_rules():
        if "GET" not in (url_rule.methods or ()) or url_rule.endpoint in ("static",):
            continue
        if url_rule.endpoint == "vendor.static" or not permits(
            frozenset({role}), url_rule.endpoint, "GET"
        ):
            continue
        kind = "needs" if "needs" in url_rule.endpoint or "besoins" in url_rule.rule else "actors"
        for record_id in ids[kind] if "record_id" in url_rule.arguments else [None]:
            formats = {"ext": FORMATS, "extension": ("csv", "xlsx")}
            named = [f for arg, f in formats.items() if arg in url_rule.arguments]
            for ext in named[0] if named else [None]:
                values = {
                    "record_id": record_id,
                    "ext": ext,
                    "extension": ext,
                    "name": "carte",
                    "ref": "SC-0001",
                    "token": "x",
                }
                _, path = url_rule.build({k: values[k] for k in url_rule.arguments}) or ("", "")
                if path.endswith("/export") and path.startswith("/api/"):
                    urls += [f"{path}?format={f}" for f in FORMATS]
                elif path.startswith("/api/v1/") and url_rule.endpoint.endswith("Collection"):
                    urls.append(f"{path}?page_size=500")
                else:
                    urls.append(path)
    return urls


def _contact_change(app: Flask, actor_id: int) -> None:
    """An agent edits a contact, so that the history holds a contact change too."""
    agent = app.test_client(role=Role.AGENT)
    record = agent.get(f"/api/v1/actors/{actor_id}").get_json()
    changed = agent.patch(
        f"/api/v1/actors/{actor_id}",
        json={"version": record["version"], "contact_telephone": "05 56 00 11 22"},
    )
    assert changed.status_code == 200


@pytest.mark.parametrize("role", [Role.PLANIFICATEUR, Role.COMITE])
def test_no_contact_reaches_a_role_without_personal_data(
    app: Flask, contacts: dict[str, Any], role: Role
) -> None:
    _contact_change(app, contacts["actors"][0])
    secrets = contacts["secrets"] | {"05 56 00 11 22"}
    client = app.test_client(role=role)
    urls = _urls(app, role, contacts)
    assert any("/api/v1/actors/" in u and u.endswith("/history") for u in urls)
    assert sum("export" in u for u in urls) >= 8
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        body = _text(response, url) if response.status_code == 200 else response.get_data(True)
        leaked = [s for s in secrets if s in body]
        assert not leaked, f"{role} {url}: {leaked[:3]}"
        response.close()


def test_an_agent_sees_contacts_and_the_read_is_audited(
    app: Flask, contacts: dict[str, Any], loaded: Engine
) -> None:
    agent = app.test_client(role=Role.AGENT)
    actor_id = contacts["actors"][1]
    body = agent.get(f"/api/v1/actors/{actor_id}").get_json()
    assert body["contact_email"] in contacts["secrets"]
    exported = agent.get("/acteurs/export.csv")
    assert body["contact_email"] in exported.get_data(as_text=True)
    with loaded.connect() as conn:
        events = conn.execute(
            text(
                "SELECT evenement, details ->> 'adresse_demandee' FROM journal_audit "
                "WHERE compte = 'agent@tests.invalid' ORDER BY id DESC LIMIT 5"
            )
        ).all()
    kinds = {(e, path) for e, path in events}
    assert ("export_personnel", "/acteurs/export.csv?") in kinds
    assert ("lecture_personnelle", f"/api/v1/actors/{actor_id}?") in kinds


def test_a_planner_sees_the_actor_without_its_contact(
    app: Flask, planner: FlaskClient, contacts: dict[str, Any]
) -> None:
    actor_id = contacts["actors"][2]
    body = planner.get(f"/api/v1/actors/{actor_id}").get_json()
    assert body["nom"] and "contact_email" not in body and "contact_telephone" not in body
    page = planner.get(f"/acteurs/{actor_id}").get_data(as_text=True)
    assert "Courriel du contact" not in page
    assert planner.get(f"/acteurs/{actor_id}/modifier").status_code == 403


def test_writes_refused_to_roles_that_do_not_write(app: Flask) -> None:
    for role in (Role.PLANIFICATEUR, Role.COMITE, Role.ADMINISTRATEUR):
        client = app.test_client(role=role)
        for method in WRITES:
            response = client.open("/api/v1/actors/1", method=method, json={"version": 1})
            assert response.status_code in (403, 405), (role, method)
        form = client.post("/acteurs/1/retirer", data={"csrf_token": csrf_token(client, "/")})
        assert form.status_code == 403, role


def test_no_contact_in_the_rendered_pages_of_a_planner(planner: FlaskClient) -> None:
    """The committee's and planners' pages carry no e-mail address at all."""
    for url in ("/", "/carte/accueil.geojson", "/acteurs/", "/besoins/", "/locaux/"):
        page = planner.get(url).get_data(as_text=True)
        assert not re.search(r"[\w.]+@example\.org", page), url
