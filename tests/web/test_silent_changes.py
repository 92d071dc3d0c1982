"""Changes that used to pass silently: now refused or explicit."""

from __future__ import annotations

from flask import Flask

from tests.web.test_api import PREMISES, PROBLEM, client, created


def test_patch_geometry_null_never_erases_a_point_silently(app: Flask) -> None:
    body = created(app, ref="API-SANS-POINT")
    url = f"/api/v1/premises/{body['id']}"
    erased = client(app).patch(url, json={"geometry": None, "version": 1})
    assert erased.status_code == 422 and erased.mimetype == PROBLEM
    assert "effacerait la localisation" in erased.get_json()["errors"]["geometry"][0]
    kept = client(app).get(url).get_json()
    assert kept["geometry"] == PREMISES["geometry"] and kept["version"] == 1


def test_a_withdrawn_premises_is_not_edited(app: Flask) -> None:
    body = created(app, ref="API-RETIRE")
    url = f"/api/v1/premises/{body['id']}"
    assert client(app).delete(f"{url}?version=1").status_code == 200
    edited = client(app).patch(url, json={"loyer_m2_an": 10, "version": 2})
    assert edited.status_code == 409 and "est retiré" in edited.get_json()["detail"]
    assert client(app).get(url).get_json()["loyer_m2_an"] == PREMISES["loyer_m2_an"]
    again = client(app).patch(url, json={"statut": "retire", "version": 2})
    assert again.status_code == 200  # withdrawing twice changes nothing
    back = client(app).patch(url, json={"statut": "disponible", "loyer_m2_an": 10, "version": 2})
    assert back.status_code == 200 and back.get_json()["loyer_m2_an"] == 10


def test_candidates_of_a_need_whose_reference_another_source_reuses(app: Flask) -> None:
    """``/besoins/<id>/candidats`` answered 422 ("désigne 2 fiches"): it asks by id now."""
    need = client(app).get("/api/v1/needs?page_size=1").get_json()[0]
    copy = {
        k: need[k]
        for k in (
            "acteur_id",
            "intitule",
            "types_acceptes",
            "surface_min_m2",
            "surface_max_m2",
            "emmenagement_au_plus_tot",
            "budget_loyer_m2_an",
            "communes_souhaitees",
            "zone_souhaitee",
            "distance_max_m",
            "geometry",
        )
    }
    twin = client(app).post(
        "/api/v1/needs", json={**copy, "ref": need["ref"], "source": "autre-source"}
    )
    assert twin.status_code == 201, twin.get_json()
    for record_id in (need["id"], twin.get_json()["id"]):
        assert client(app).get(f"/api/v1/needs/{record_id}/candidates").status_code == 200
        assert client(app).get(f"/besoins/{record_id}/candidats").status_code == 200
