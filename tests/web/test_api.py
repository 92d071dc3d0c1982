"""The JSON API: GeoJSON in WGS84, pagination, versions (409), problem+json errors."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

PROBLEM = "application/problem+json"
PREMISES = {
    "nom": "Atelier des Capucins",
    "type_local": "activite",
    "origine": "fonciere",
    "surface_m2": 240,
    "loyer_m2_an": 70,
    "disponible_le": "2027-01-15",
    "geometry": {"type": "Point", "coordinates": [-0.5679, 44.8312]},
    "ref": "API-1",
    "source": "tests-api",
}


def client(app: Flask) -> FlaskClient:
    return app.test_client()


def created(app: Flask, **overrides: Any) -> dict[str, Any]:
    response = client(app).post("/api/v1/premises", json={**PREMISES, **overrides})
    assert response.status_code == 201, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def test_create_get_and_geojson_in_wgs84(app: Flask) -> None:
    body = created(app, ref="API-CREATE")
    assert body["geometry"] == {"type": "Point", "coordinates": [-0.5679, 44.8312]}
    assert body["commune_insee"] == "33063" and body["version"] == 1
    again = client(app).get(f"/api/v1/premises/{body['id']}").get_json()
    assert again["nom"] == "Atelier des Capucins" and again["disponible_le"] == "2027-01-15"


def test_list_filters_and_pagination(app: Flask) -> None:
    response = client(app).get("/api/v1/premises?type_local=bureau&page=2&page_size=10")
    assert response.status_code == 200
    items = response.get_json()
    pagination = json.loads(response.headers["X-Pagination"])
    assert len(items) == 10 and pagination["page"] == 2 and pagination["total"] > 10
    assert all(item["type_local"] == "bureau" for item in items)


def test_invalid_input_is_a_french_problem(app: Flask) -> None:
    response = client(app).post("/api/v1/premises", json={**PREMISES, "surface_m2": -3})
    assert response.status_code == 422 and response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["errors"]["surface_m2"] == ["« -3 » : Doit être ≥ 1."]
    assert problem["status"] == 422 and "surface_m2" in problem["detail"]
    bad_query = client(app).get("/api/v1/premises?surface_min=beaucoup")
    assert bad_query.status_code == 422 and bad_query.mimetype == PROBLEM
    assert bad_query.get_json()["errors"]["surface_min"] == ["« beaucoup » : Attendu : un nombre."]
    not_json = client(app).post("/api/v1/premises", data="{", content_type="application/json")
    assert not_json.status_code == 422 and not_json.mimetype == PROBLEM


def test_stale_update_gets_409_and_nothing_is_lost(app: Flask) -> None:
    body = created(app, ref="API-STALE")
    url = f"/api/v1/premises/{body['id']}"
    first = client(app).patch(url, json={"loyer_m2_an": 65, "version": 1})
    assert first.status_code == 200 and first.get_json()["version"] == 2
    stale = client(app).patch(url, json={"loyer_m2_an": 99, "version": 1})
    assert stale.status_code == 409 and stale.mimetype == PROBLEM
    assert "rien n'a été enregistré" in stale.get_json()["detail"]
    assert client(app).get(url).get_json()["loyer_m2_an"] == 65


def test_delete_is_a_soft_delete_with_history(app: Flask) -> None:
    body = created(app, ref="API-DELETE")
    url = f"/api/v1/premises/{body['id']}"
    without_version = client(app).delete(url)
    assert without_version.status_code == 422
    gone = client(app).delete(f"{url}?version=1")
    assert gone.status_code == 200 and gone.get_json()["statut"] == "retire"
    entries = client(app).get(f"{url}/history").get_json()
    assert [e["action"] for e in entries] == ["INSERT", "UPDATE"]
    assert entries[1]["champs"]["statut"] == {"avant": "disponible", "apres": "retire"}
    assert entries[1]["utilisateur"] == "agent@tests.invalid (jeton tests-agent)"


def test_duplicate_reference_is_a_conflict(app: Flask) -> None:
    created(app, ref="API-DUP")
    response = client(app).post("/api/v1/premises", json={**PREMISES, "ref": "API-DUP"})
    assert response.status_code == 409
    assert "« API-DUP » existe déjà" in response.get_json()["detail"]


def test_unknown_record_is_404(app: Flask) -> None:
    response = client(app).get("/api/v1/needs/999999")
    assert response.status_code == 404 and response.mimetype == PROBLEM
    assert "999999" in response.get_json()["detail"]


def test_openapi_describes_every_operation(app: Flask) -> None:
    spec = client(app).get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for kind in ("premises", "actors", "needs"):
        assert set(spec["paths"][f"/api/v1/{kind}"]) >= {"get", "post"}
        assert set(spec["paths"][f"/api/v1/{kind}/{{record_id}}"]) >= {"get", "patch", "delete"}
    local = spec["components"]["schemas"]["Local"]
    assert {"nom", "type_local", "surface_m2", "disponible_le"} <= set(local["required"])
    assert local["properties"]["type_local"]["enum"][0] == "bureau"


def test_export_through_the_api(app: Flask) -> None:
    response = client(app).get("/api/v1/needs/export?format=geojson&statut=ouvert")
    assert response.status_code == 200
    collection = json.loads(response.data)
    response.close()
    assert collection["type"] == "FeatureCollection" and collection["features"]
    assert all(f["properties"]["statut"] == "ouvert" for f in collection["features"])
    assert all("ref" in f["properties"] for f in collection["features"])
    bad = client(app).get("/api/v1/needs/export?format=ods")
    assert bad.status_code == 422 and bad.mimetype == PROBLEM


def test_matching_through_the_api(app: Flask) -> None:
    run = client(app).post("/api/v1/matches", json={"top": 2, "allocate": "stable"})
    assert run.status_code == 201
    body = run.get_json()
    assert body["pairs"] and body["allocation"]["blocking_pairs"] == 0
    need_id = client(app).get("/api/v1/needs?statut=ouvert&page_size=1").get_json()[0]["id"]
    top = client(app).get(f"/api/v1/needs/{need_id}/candidates?top=10").get_json()
    assert all(pair["rank"] <= 10 for pair in top["pairs"])
    bad = client(app).post("/api/v1/matches", json={"allocate": "meilleur"})
    assert bad.status_code == 422 and bad.mimetype == PROBLEM
