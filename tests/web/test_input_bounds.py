"""Bounded inputs through the API: parsing errors, ranges of values, replies cut short."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.web.test_api import PREMISES, PROBLEM, client


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"{pas du json", "JSON valide"),
        (b'{"need_ref": "\\ud800"}', "isolé"),
        (b"[" * 100_000, "trop profondément"),
        (b'{"nom": "\xff\xfe"}', "UTF-8"),
    ],
    ids=["invalide", "surrogate", "imbrication", "octets"],
)
def test_unparsable_bodies_are_a_french_422(app: Flask, body: bytes, words: str) -> None:
    """Each of these was a 500: the error handler itself crashed on invalid JSON."""
    for path in ("/api/v1/matches", "/api/v1/premises"):
        response = client(app).post(path, data=body, content_type="application/json")
        assert response.status_code == 422, response.get_data(as_text=True)
        assert response.mimetype == PROBLEM and words in response.get_json()["detail"]


def test_a_lone_surrogate_is_never_echoed_raw(app: Flask) -> None:
    response = client(app).post(
        "/api/v1/premises", data=b'{"nom": "a\\udc00b"}', content_type="application/json"
    )
    assert "\\udc00" in response.get_json()["detail"]
    response.get_data(as_text=True).encode("utf-8")  # the reply itself is valid UTF-8


def test_an_empty_body_stores_no_run(app: Flask) -> None:
    before = client(app).get("/api/v1/premises").status_code
    response = client(app).post("/api/v1/matches")
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert "Corps vide" in response.get_json()["errors"]["corps"][0]
    assert before == 200


def test_a_body_that_is_not_an_object_is_named(app: Flask) -> None:
    response = client(app).post("/api/v1/matches", json=[1, 2])
    assert response.status_code == 422
    assert "Attendu : un objet JSON." in response.get_json()["detail"]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("disponible_le", "0001-01-01", "du 01/01/1900 au 31/12/2100"),
        ("disponible_le", "9999-12-31", "du 01/01/1900 au 31/12/2100"),
        ("surface_m2", 3.5e-304, "≥ 1"),
        ("surface_m2", 1e12, "au plus"),
        ("loyer_m2_an", 1e15, "au plus"),
        ("description", "x" * 5_001, "5000 caractères au plus"),
        ("adresse", "x" * 301, "300 caractères au plus"),
    ],
)
def test_every_value_has_a_range(app: Flask, field: str, value: Any, words: str) -> None:
    response = client(app).post("/api/v1/premises", json={**PREMISES, field: value})
    assert response.status_code == 422, response.get_json()
    assert words in response.get_json()["errors"][field][0]


def test_a_huge_value_is_quoted_cut_short(app: Flask) -> None:
    """A 10 MB name got a 20 MB 422: the reply now quotes 80 characters of it."""
    name = "N" * 1_000_000  # the 1 MB body bound keeps the test light; 10 MB gets a 413
    response = client(app).post("/api/v1/premises", json={**PREMISES, "nom": name})
    assert response.status_code == 422
    assert len(response.get_data()) < 2_000
    assert "N" * 79 + "…" in response.get_json()["errors"]["nom"][0]


def test_a_ten_megabyte_body_is_refused_unparsed(app: Flask) -> None:
    response = client(app).post("/api/v1/premises", json={**PREMISES, "nom": "N" * 10**7})
    assert response.status_code == 413 and response.mimetype == PROBLEM
    assert len(response.get_data()) < 2_000


def test_lists_are_bounded(app: Flask) -> None:
    need = {
        "acteur_id": 1,
        "intitule": "Trop de communes",
        "types_acceptes": ["bureau"],
        "surface_min_m2": 50,
        "surface_max_m2": 100,
        "emmenagement_au_plus_tot": "2027-01-01",
        "communes_souhaitees": ["33063"] * 101,
    }
    response = client(app).post("/api/v1/needs", json=need)
    assert response.status_code == 422
    assert "100 éléments au plus" in response.get_json()["errors"]["communes_souhaitees"][0]
