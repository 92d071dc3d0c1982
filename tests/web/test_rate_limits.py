"""Rate limits per account on matching runs and uploads: a French 429 that writes nothing."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import Engine, func, select, text

from foncier.accounts.roles import Role
from foncier.accounts.service import add_account, issue_token
from foncier.db import make_sessionmaker
from foncier.models import Appariement, Besoin, Historique
from tests.factories import csrf_token
from tests.web.conftest import PASSWORD, RoleClient, dispose
from web import create_app

PROBLEM = "application/problem+json"


def _counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        runs = conn.scalar(select(func.count()).select_from(Appariement))
        history = conn.scalar(select(func.count()).select_from(Historique))
    return runs or 0, history or 0


def _need_ref(engine: Engine) -> str:
    with engine.connect() as conn:
        ref = conn.scalar(select(Besoin.ref).where(Besoin.statut == "ouvert").limit(1))
    assert ref
    return str(ref)


def test_the_eleventh_run_in_a_minute_is_refused_in_french(app: Flask, loaded: Engine) -> None:
    ref = _need_ref(loaded)
    client = app.test_client()  # an agent, with its API token
    for _ in range(10):
        assert client.post("/api/v1/matches", json={"need_ref": ref}).status_code == 201
    before = _counts(loaded)
    refused = client.post("/api/v1/matches", json={"need_ref": ref})
    assert refused.status_code == 429 and refused.mimetype == PROBLEM
    body = refused.get_json()
    assert "Trop de passages" in body["detail"] and "10 par minute" in body["detail"]
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    listed = {p["type"] for p in app.test_client().get("/api/v1/problems").get_json()}
    assert body["type"] in listed
    assert _counts(loaded) == before, "a refused run writes nothing"

    with make_sessionmaker(loaded)() as session:  # another agent keeps its own allowance
        add_account(session, "agent2@tests.invalid", [Role.AGENT], PASSWORD, "tests")
        _, token = issue_token(session, "agent2@tests.invalid", "tests-agent2", "tests")
    other = app.test_client(role=None)
    answered = other.post(
        "/api/v1/matches", json={"need_ref": ref}, headers={"Authorization": f"Bearer {token}"}
    )
    assert answered.status_code == 201


def test_uploads_past_the_limit_get_a_french_page(
    app: Flask, shared_db: str, loaded: Engine
) -> None:
    """Pages count like the API, per account; the limit comes from the configuration."""
    limited = create_app(
        {
            "DATABASE_URL": shared_db,
            "TESTING": True,
            "GEOCODER_URL": "aucun",
            "UPLOADS_PER_ACCOUNT": "2 per minute",
            "TEST_ACCOUNTS": app.config["TEST_ACCOUNTS"],
        }
    )
    limited.test_client_class = RoleClient
    try:
        client = limited.test_client(role=Role.AGENT, api_token=False)
        token = csrf_token(client, "/import/")
        for _ in range(2):  # no file: a French 422, counted all the same
            assert client.post("/import/", data={"csrf_token": token}).status_code == 422
        refused = client.post("/import/", data={"csrf_token": token})
        assert refused.status_code == 429
        page = refused.get_data(as_text=True)
        assert "Trop de demandes" in page and "2 par minute" in page
        assert "rien n&#39;a été enregistré" in page
        assert 0 < int(refused.headers["Retry-After"]) <= 60
        with loaded.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM limites_debit")) >= 1
    finally:
        dispose(limited)


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FONCIER_RUNS_PER_ACCOUNT", "3 per minute")
    assert create_app({"TESTING": True}).config["RUNS_PER_ACCOUNT"] == "3 per minute"
    monkeypatch.setenv("FONCIER_UPLOADS_PER_ACCOUNT", "vingt par minute")
    with pytest.raises(ValueError, match="UPLOADS_PER_ACCOUNT = « vingt par minute »"):
        create_app({"TESTING": True})
