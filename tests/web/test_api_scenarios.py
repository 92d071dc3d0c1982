"""The scenarios API: compute, sweep, save, copy, stale edit, adopt, compare; problems in
French as application/problem+json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

EXAMPLE = Path(__file__).parents[2] / "data" / "scenario-exemple.yaml"


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client(role="planificateur")  # scenarios are the planners'


@pytest.fixture
def document() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["available_from"] = data["available_from"].isoformat()
    return data


def test_compute_returns_the_promised_keys(client: FlaskClient, document: dict[str, Any]) -> None:
    response = client.post("/api/v1/scenarios/compute", json=document)
    assert response.status_code == 200
    body = response.json
    assert body is not None
    assert {lot["ref"] for lot in body["lots"]} == {"B1", "A1", "C1", "L1"}
    for key in ("cfa_market_eur", "cfa_ess_eur", "revenue_loss_eur"):
        assert all(key in lot for lot in body["lots"])
    assert body["contribution_needed_eur"] == max(0.0, -body["balance_after_eur"])
    assert body["needs_served"] == body["coverage"]["needs_served"]


def test_bad_input_is_a_problem_in_french(client: FlaskClient, document: dict[str, Any]) -> None:
    document["lots"][0]["use"] = "usine"
    document["discount_rate"] = "beaucoup"
    response = client.post("/api/v1/scenarios/compute", json=document)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    errors = response.json["errors"]  # type: ignore[index]
    assert errors["lots[0][use]"] == [
        "« usine » : Usage inconnu ; valeurs permises : "
        "bureaux, activités/artisanat, commerce, logement, équipement."
    ]
    assert errors["discount_rate"] == ["« beaucoup » : Attendu : un nombre."]
    assert client.post("/api/v1/scenarios/compute", data="{").status_code == 422


def test_sweep(client: FlaskClient, document: dict[str, Any]) -> None:
    body = {"scenario": document, "caps": [0.6, 1.0], "shares": [0.0, 0.25, 0.5]}
    response = client.post("/api/v1/scenarios/sweep", json=body)
    assert response.status_code == 200
    result = response.json
    assert result is not None and len(result["grid"]) == 6
    line = {p["cap"]: p["share"] for p in result["break_even"]}
    assert line[1.0] is None and 0 < line[0.6] < 0.5
    refused = client.post("/api/v1/scenarios/sweep", json={**body, "caps": [2]})
    assert refused.status_code == 422
    assert refused.json["errors"] == {"caps[0]": ["« 2 » : Doit être au plus 1."]}  # type: ignore[index]


def test_save_copy_edit_adopt_compare(client: FlaskClient, document: dict[str, Any]) -> None:
    saved = client.post("/api/v1/scenarios", json=document)
    assert saved.status_code == 201
    ref = saved.json["ref"]  # type: ignore[index]
    copy = client.post(f"/api/v1/scenarios/{ref}/copy", json={"name": "Plafond 50 %"})
    assert copy.status_code == 201
    other = copy.json["ref"]  # type: ignore[index]
    fetched = client.get(f"/api/v1/scenarios/{other}").json
    assert fetched is not None and fetched["version"] == 1
    edited = fetched["scenario"]
    for lot in edited["lots"]:
        lot.update(cap_share_of_market=0.5, cap_rent_eur_m2_year=None)
    assert client.put(f"/api/v1/scenarios/{other}?version=1", json=edited).status_code == 200
    stale = client.put(f"/api/v1/scenarios/{other}?version=1", json=document)
    assert stale.status_code == 409
    assert "modifié entre-temps" in stale.json["detail"]  # type: ignore[index]
    assert client.get(f"/api/v1/scenarios/{other}").json["version"] == 2  # type: ignore[index]
    adopted = client.post(f"/api/v1/scenarios/{other}/adopt")
    assert adopted.json["adopted"] is True  # type: ignore[index]
    table = client.get(f"/api/v1/scenarios/comparison?refs={ref}&refs={other}").json
    assert table is not None
    columns = table["scenarios"]
    first, second = columns[f"{ref} {document['name']}"], columns[f"{other} Plafond 50 %"]
    assert second["revenue_loss_eur"] > first["revenue_loss_eur"]
    missing = client.get("/api/v1/scenarios/SC-9999")
    assert missing.status_code == 404 and "« SC-9999 »" in missing.json["detail"]  # type: ignore[index]
