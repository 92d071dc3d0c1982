"""The observatory's page and downloads through the Flask test client."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask

from foncier.accounts.roles import Role


def test_the_page_shows_the_figures_in_french(app: Flask) -> None:
    page = app.test_client().get("/observatoire/")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    for heading in (
        "Besoins ouverts par filière",
        "Besoins ouverts par commune",
        "Besoins ouverts par stade",
        "Besoins ouverts par type de local accepté",
        "Besoins ouverts par tranche de surface minimale",
        "Besoins servis par mois",
        "Besoins écartés par le seul loyer",
    ):
        assert heading in body
    assert "Changement d&#39;échelle" in body and "changement_echelle</td>" not in body
    assert 'href="/observatoire/communes.xlsx"' in body
    assert 'href="/observatoire/trop-chers"' in body
    assert "Observatoire" in body  # in the navigation


def test_the_priced_out_needs_have_their_own_page(app: Flask) -> None:
    page = app.test_client().get("/observatoire/trop-chers")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Il manque (€/m²/an)" in body and 'id="graphique-trop-chers"' in body
    assert 'href="/observatoire/trop_chers.xlsx"' in body
    assert "8,4" in body  # the demo's smallest gap, with a decimal comma


def test_a_table_downloads_as_csv_and_xlsx(app: Flask) -> None:
    client = app.test_client()
    answer = client.get("/observatoire/filieres.csv")
    assert answer.status_code == 200
    assert 'filename="observatoire-filieres.csv"' in answer.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(answer.get_data().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Filière", "Besoins ouverts"]
    xlsx = client.get("/observatoire/communes.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_bad_names_get_a_french_answer_not_a_500(app: Flask) -> None:
    client = app.test_client()
    unknown = client.get("/observatoire/inconnu.csv")
    assert unknown.status_code == 404
    assert "« inconnu »" in unknown.get_data(as_text=True)
    bad = client.get("/observatoire/filieres.pdf")
    assert bad.status_code == 422
    assert "« pdf » ; formats permis : csv, xlsx" in bad.get_data(as_text=True)


@pytest.mark.parametrize(
    "role,status",
    [
        (Role.ADMINISTRATEUR, 200),
        (Role.AGENT, 200),
        (Role.PLANIFICATEUR, 200),
        (Role.COMITE, 403),
    ],
)
def test_agents_administrators_and_planners_read_it(app: Flask, role: str, status: int) -> None:
    client = app.test_client(role=role)
    assert client.get("/observatoire/").status_code == status
    assert client.get("/observatoire/stades.csv").status_code == status
    assert client.get("/observatoire/trop-chers").status_code == status


def test_anonymous_visitors_do_not(app: Flask) -> None:
    client = app.test_client(role=None)
    assert client.get("/observatoire/").status_code in (302, 401, 403)
