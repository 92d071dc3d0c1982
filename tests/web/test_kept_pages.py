"""Pages and answers kept per version of the data show a change at the next request."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select

from foncier.models import Besoin


def _with_candidates(client: FlaskClient, loaded: Engine) -> tuple[int, dict[str, Any]]:
    with loaded.connect() as connection:
        needs = connection.scalars(
            select(Besoin.id).where(Besoin.statut == "ouvert").order_by(Besoin.id)
        ).all()
    for need in needs:
        pairs = client.get(f"/api/v1/needs/{need}/candidates?top=10").get_json()["pairs"]
        if pairs:
            return need, pairs[0]
    raise AssertionError("a demo need has a candidate")


def _patch(client: FlaskClient, premises: int, **values: Any) -> None:
    version = client.get(f"/api/v1/premises/{premises}").get_json()["version"]
    answer = client.patch(f"/api/v1/premises/{premises}", json={**values, "version": version})
    assert answer.status_code == 200, answer.get_json()


def test_a_candidate_priced_out_leaves_the_top_at_once(app: Flask, loaded: Engine) -> None:
    client = app.test_client(role="agent")
    need, best = _with_candidates(client, loaded)
    top = f"/api/v1/needs/{need}/candidates?top=10"
    assert client.get(top).get_json()["pairs"][0] == best  # asked again: the same answer
    _patch(client, best["premises_id"], loyer_m2_an=9_999)
    after = client.get(top).get_json()["pairs"]
    assert best["premises_id"] not in {pair["premises_id"] for pair in after}


def test_a_renamed_premises_reads_its_new_name_on_every_page(app: Flask, loaded: Engine) -> None:
    client = app.test_client(role="agent")
    need, best = _with_candidates(client, loaded)
    premises = best["premises_id"]
    pages = [f"/besoins/{need}/candidats", f"/locaux/{premises}", "/locaux/?q=Atelier+renomm"]
    for page in pages:  # read once: kept
        assert client.get(page).status_code == 200
    _patch(client, premises, nom="Atelier renommé pour le cache")
    for page in pages:
        assert "Atelier renommé pour le cache" in client.get(page).get_data(as_text=True), page
