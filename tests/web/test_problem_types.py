"""Every API problem names its type, and the types are listed where the URI points."""

from __future__ import annotations

from flask import Flask


def test_each_problem_has_a_listed_type(app: Flask) -> None:
    client = app.test_client()
    listed = {t["type"]: t for t in client.get("/api/v1/problems").get_json()}
    answers = {
        "introuvable": client.get("/api/v1/premises/999999999"),
        "donnee-invalide": client.post("/api/v1/premises", json={"surface_m2": -3}),
        "methode-non-permise": client.put("/api/v1/premises"),
    }
    for slug, response in answers.items():
        problem = response.get_json()
        assert problem["type"] == f"/api/v1/problems#{slug}"
        assert listed[problem["type"]]["status"] == response.status_code == problem["status"]


def test_no_problem_is_about_blank(app: Flask) -> None:
    statuses = {t["status"] for t in app.test_client().get("/api/v1/problems").get_json()}
    assert {400, 401, 403, 404, 409, 413, 422, 429, 500, 503} <= statuses
