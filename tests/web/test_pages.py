"""Registry pages: lists with filters, detail with history, forms that keep what was typed."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient


def token(client: FlaskClient, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the form carries a CSRF token"
    return found.group(1)


def messages(page: str) -> list[str]:
    """The error messages a refused form shows, to explain a failed assertion."""
    return [html.unescape(m) for m in re.findall(r'class="(?:erreur|alerte)"[^>]*>([^<]*)', page)]


def test_lists_filter_and_map(app: Flask) -> None:
    client = app.test_client()
    for url in ("/locaux/", "/acteurs/", "/besoins/"):
        page = client.get(url).get_data(as_text=True)
        assert "window.carteFonciere" in page and "<table" in page
    talence = client.get("/locaux/?commune_insee=33522").get_data(as_text=True)
    communes = re.findall(r"<td>\s*(\S[^<]*?)\s*</td>\s*<td>(?:oui|non)</td>\s*</tr>", talence)
    assert communes and set(communes) == {"Talence"}
    refused = client.get("/locaux/?surface_min=grand")
    bad = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 422 and "Filtre invalide, aucune fiche affichée" in bad
    assert "« grand » : Attendu : un nombre." in bad and "DEMO-L-" not in bad
    assert "DEMO-L-" in client.get("/locaux/?surface_min=20").get_data(as_text=True)


def test_detail_shows_fields_and_history(app: Flask) -> None:
    page = app.test_client().get("/locaux/1").get_data(as_text=True)
    assert "Surface (m²)" in page and "Historique" in page and "création" in page


def test_form_refused_keeps_what_was_typed(app: Flask) -> None:
    client = app.test_client()
    response = client.post(
        "/locaux/nouveau",
        data={
            "csrf_token": token(client, "/locaux/nouveau"),
            "nom": "Local à corriger",
            "type_local": "bureau",
            "origine": "partenaire",
            "surface_m2": "-10",
            "disponible_le": "2027-02-01",
            "lon": "-0.5755",
            "lat": "44.8427",
        },
    )
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and "La fiche n'est pas enregistrée" in page
    assert "« -10 » : Doit être ≥ 1." in page
    assert 'value="Local à corriger"' in page and 'value="-0.5755"' in page


def test_form_creates_then_edits_with_history(app: Flask) -> None:
    client = app.test_client()
    created = client.post(
        "/locaux/nouveau",
        data={
            "csrf_token": token(client, "/locaux/nouveau"),
            "nom": "Atelier Belcier",
            "type_local": "activite",
            "origine": "fonciere",
            "surface_m2": "180,5",
            "disponible_le": "2027-02-01",
            "lon": "-0.5560",
            "lat": "44.8260",
            "acces_pmr": "on",
        },
    )
    assert created.status_code == 302, messages(created.get_data(as_text=True))
    detail = created.headers["Location"]
    record_id = detail.rstrip("/").rsplit("/", 1)[-1]
    page = client.get(detail).get_data(as_text=True)
    assert "Atelier Belcier" in page and "180,5" in page and "Bordeaux" in page
    edit_url = f"/locaux/{record_id}/modifier"
    form = client.get(edit_url).get_data(as_text=True)
    assert 'name="version" value="1"' in form
    edited = client.post(
        edit_url,
        data={
            "csrf_token": token(client, edit_url),
            "version": "1",
            "nom": "Atelier Belcier",
            "type_local": "activite",
            "origine": "fonciere",
            "surface_m2": "200",
            "disponible_le": "2027-02-01",
            "lon": "-0.5560",
            "lat": "44.8260",
            "statut": "disponible",
            "nature": "local",
        },
    )
    assert edited.status_code == 302, messages(edited.get_data(as_text=True))
    history = html.unescape(client.get(detail).get_data(as_text=True))
    assert "modification" in history and "180,5 → 200" in history
    stale = client.post(
        edit_url,
        data={
            "csrf_token": token(client, edit_url),
            "version": "1",
            "nom": "Écrasé",
            "type_local": "activite",
            "origine": "fonciere",
            "surface_m2": "1",
            "disponible_le": "2027-02-01",
            "nature": "local",
            "statut": "disponible",
        },
    )
    stale_page = html.unescape(stale.get_data(as_text=True))
    assert "modifié entre-temps" in stale_page and 'value="Écrasé"' in stale_page


def test_posting_without_csrf_token_is_refused(app: Flask) -> None:
    response = app.test_client().post("/locaux/nouveau", data={"nom": "x"})
    assert response.status_code == 400


def test_export_from_the_list(app: Flask) -> None:
    response = app.test_client().get("/locaux/export.csv?commune_insee=33063")
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode())
    assert b";" in response.data.splitlines()[0]
    response.close()
    bad = app.test_client().get("/locaux/export.ods")
    assert bad.status_code == 422 and "formats permis" in bad.get_data(as_text=True)


def test_odd_query_parameters_never_break_a_list(app: Flask) -> None:
    for query in ("ext=x", "endpoint=x", "page=abc", "_external=1"):
        response = app.test_client().get(f"/locaux/?{query}")
        assert response.status_code == 200, query


def test_an_address_the_geocoder_refuses_still_saves(app: Flask) -> None:
    client = app.test_client()
    created = client.post(
        "/locaux/nouveau",
        data={
            "csrf_token": token(client, "/locaux/nouveau"),
            "nom": "Local sans point",
            "type_local": "bureau",
            "origine": "partenaire",
            "surface_m2": "30",
            "disponible_le": "2027-02-01",
            "adresse": "(bât. B) 3 rue du Port, Bègles",
        },
    )
    assert created.status_code == 302
    page = html.unescape(client.get(created.headers["Location"]).get_data(as_text=True))
    assert "Adresse pas encore géocodée" in page or "Position à confirmer" in page


def test_candidates_page_explains_each_score(app: Flask) -> None:
    client = app.test_client()
    run = client.post("/api/v1/matches", json={"top": 1}).get_json()
    need_id = run["pairs"][0]["need_id"]
    page = html.unescape(client.get(f"/besoins/{need_id}/candidats").get_data(as_text=True))
    assert "Localisation" in page and "la somme fait le score" in page
    assert "window.carteFonciere" in page
    premises_id = run["pairs"][0]["premises_id"]
    other = client.get(f"/locaux/{premises_id}/candidats")
    assert other.status_code == 200 and "Besoins pour" in other.get_data(as_text=True)
