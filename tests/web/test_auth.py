"""Accounts on the web: every cell of the authorisation matrix, sign-in, tokens, limits."""

from __future__ import annotations

import re
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.routing import Rule as UrlRule

from foncier.accounts.roles import Role
from foncier.accounts.service import issue_token, revoke_token, set_active
from foncier.db import make_sessionmaker
from tests.web.conftest import PASSWORD, ROLES, RoleClient, dispose, email_of
from web import create_app
from web.auth.matrix import MATRIX, permits
from web.cli import main

SAMPLES: dict[str, Any] = {
    "record_id": 1,
    "account_id": 1,
    "ref": "SC-0001",
    "token": "inconnu",
    "ext": "csv",
    "filename": "leaflet.js",
    "name": "filieres",  # an observatory table
    "extension": "csv",
}
WRITES = ("POST", "PUT", "PATCH", "DELETE")


def token_of(client: FlaskClient, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def cells(app: Flask) -> list[tuple[UrlRule, str]]:
    """Every (route, method) the application answers, read from its url_map."""
    found = []
    for url_rule in app.url_map.iter_rules():
        for method in sorted((url_rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((url_rule, method))
    return found


def url_of(url_rule: UrlRule) -> str:
    values = {k: SAMPLES[k] for k in url_rule.arguments}
    if url_rule.endpoint == "static":
        values["filename"] = "foncier.css"
    _, path = url_rule.build(values) or ("", "")
    return path


def refused(response: Any, anonymous: bool, api: bool) -> bool:
    if not anonymous:
        return bool(response.status_code == 403)
    if api:
        return bool(response.status_code == 401 and response.mimetype == "application/problem+json")
    return response.status_code == 302 and "/connexion" in response.headers["Location"]


@pytest.mark.parametrize("role", [*ROLES, None], ids=[*ROLES, "anonyme"])
def test_every_cell_of_the_matrix(app: Flask, role: str | None) -> None:
    """Each role and anonymous against each route and method. Writes go without a CSRF
    token (and API writes by cookie, which need one), so an allowed write stops at CSRF's 400
    and nothing is written; a refused one never reaches CSRF."""
    client = app.test_client(role=role, api_token=False)
    roles = frozenset({Role(role)}) if role else None
    checked = 0
    for url_rule, method in cells(app):
        url = url_of(url_rule)
        response = client.open(url, method=method)
        allowed = permits(roles, url_rule.endpoint, method)
        api = url.startswith("/api/")
        cell = f"{role or 'anonyme'} {method} {url} ({url_rule.endpoint}): {response.status_code}"
        assert refused(response, role is None, api) is not allowed, cell
        if allowed and method in WRITES and url_rule.endpoint != "auth.login":
            assert response.status_code == 400, cell  # CSRF: the guard let it through
        assert response.status_code < 500, cell
        response.close()
        checked += 1
    assert checked == len(cells(app)) >= 70


def test_every_route_has_a_rule(app: Flask) -> None:
    assert {r.endpoint for r in app.url_map.iter_rules()} <= set(MATRIX)


def test_a_route_without_a_rule_is_refused_to_everyone(app: Flask) -> None:
    fresh = create_app({**app.config})
    fresh.add_url_rule("/nouvelle-page", "nouvelle", lambda: "secret")
    fresh.add_url_rule("/api/v1/nouvelle", "api_nouvelle", lambda: {"secret": 1})
    for role in ROLES:
        client = RoleClient(fresh, role=role)
        assert client.get("/nouvelle-page").status_code == 403
        assert client.get("/api/v1/nouvelle").status_code == 403
    anonymous = RoleClient(fresh, role=None)
    assert anonymous.get("/nouvelle-page").status_code == 302
    assert anonymous.get("/api/v1/nouvelle").status_code == 401
    dispose(fresh)


def test_the_planner_reads_without_writing(planner: FlaskClient) -> None:
    assert planner.get("/locaux/").status_code == 200
    assert planner.get("/api/v1/actors?page_size=1").status_code == 200
    assert planner.get("/locaux/nouveau").status_code == 403
    assert planner.post("/api/v1/premises", json={}).status_code == 403
    assert planner.get("/comptes/").status_code == 403
    assert planner.get("/import/").status_code == 403


def test_anonymous_api_calls_get_401_problem(anonymous: FlaskClient) -> None:
    response = anonymous.get("/api/v1/premises")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "jeton" in response.get_json()["detail"]
    bad = anonymous.get("/api/v1/premises", headers={"Authorization": "Bearer faux"})
    assert bad.status_code == 401
    page = anonymous.get("/locaux/?commune_insee=33063")
    assert page.status_code == 302
    assert page.headers["Location"].endswith("/connexion?suivant=/locaux/?commune_insee%3D33063")


def sign_in(
    client: FlaskClient, email: str, password: str, address: str = "127.0.0.1", **extra: str
) -> Any:
    data = {"email": email, "password": password, "csrf_token": token_of(client, "/connexion")}
    return client.post(
        "/connexion", data={**data, **extra}, environ_overrides={"REMOTE_ADDR": address}
    )


def test_sign_in_and_out_and_the_cookie(app: Flask) -> None:
    client = app.test_client(role=None)
    signed = sign_in(client, email_of("agent").upper(), PASSWORD, suivant="/locaux/")
    assert signed.status_code == 303 and signed.headers["Location"] == "/locaux/"
    cookie = signed.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    assert "Secure" not in cookie  # local development: served on 127.0.0.1 over HTTP
    assert client.get("/locaux/").status_code == 200
    assert email_of("agent") in client.get("/nulle-part").get_data(as_text=True)  # its menu
    out = client.post("/deconnexion", data={"csrf_token": token_of(client, "/")})
    assert out.status_code == 303
    assert client.get("/locaux/").status_code == 302


def test_no_redirect_to_another_site_after_sign_in(app: Flask) -> None:
    client = app.test_client(role=None)
    for target in ("https://ailleurs.example", "//ailleurs.example", "/\\ailleurs.example"):
        response = sign_in(client, email_of("agent"), PASSWORD, suivant=target)
        assert response.headers["Location"] == "/", target


def test_secure_cookie_off_the_local_machine(app: Flask) -> None:
    served = create_app({**app.config, "SESSION_COOKIE_SECURE": True})
    client = served.test_client()
    response = sign_in(client, email_of("planificateur"), PASSWORD)
    assert "Secure" in response.headers["Set-Cookie"]
    dispose(served)


def test_a_wrong_password_is_refused_in_french(app: Flask) -> None:
    client = app.test_client(role=None)
    response = sign_in(client, email_of("comite"), "pas le bon", address="10.0.0.9")
    assert response.status_code == 200
    assert "mot de passe incorrect" in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(app: Flask) -> None:
    client = app.test_client(role=None)
    response = client.post("/connexion", data={"email": email_of("agent"), "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/locaux/").status_code == 302


def test_cookie_api_writes_need_the_csrf_token(app: Flask) -> None:
    browser_like = app.test_client(role="agent", api_token=False)
    refused = browser_like.post("/api/v1/premises", json={})
    assert refused.status_code == 400 and refused.mimetype == "application/problem+json"
    token = token_of(browser_like, "/locaux/nouveau")
    checked = browser_like.post("/api/v1/premises", json={}, headers={"X-CSRFToken": token})
    assert checked.status_code == 422  # past CSRF: the empty record is refused by validation


def test_too_many_failures_get_429(app: Flask) -> None:
    per_account = app.test_client(role=None)
    codes = [
        sign_in(per_account, "limite@tests.invalid", "faux", address=f"10.1.0.{i}").status_code
        for i in range(7)
    ]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
    page = sign_in(per_account, "limite@tests.invalid", "faux", address="10.1.0.99")
    assert "Trop de tentatives" in page.get_data(as_text=True)
    per_address = app.test_client(role=None)
    codes = [
        sign_in(per_address, f"x{i}@tests.invalid", "faux", address="10.2.0.1").status_code
        for i in range(21)
    ]
    assert codes[:20] == [200] * 20 and codes[20] == 429


def test_a_revoked_token_is_refused(app: Flask, loaded: Any) -> None:
    with make_sessionmaker(loaded)() as session:
        _, token = issue_token(session, email_of("agent"), "a-revoquer", "tests")
    client = app.test_client(role=None)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/premises?page_size=1", headers=headers).status_code == 200
    with make_sessionmaker(loaded)() as session:
        revoke_token(session, "a-revoquer", "tests")
    assert client.get("/api/v1/premises?page_size=1", headers=headers).status_code == 401


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(app: Flask, loaded: Any) -> None:
    from foncier.accounts.service import add_account

    with make_sessionmaker(loaded)() as session:
        add_account(session, "partant@tests.invalid", ["agent"], PASSWORD, "tests")
        _, token = issue_token(session, "partant@tests.invalid", "partant", "tests")
    client = app.test_client(role=None)
    assert sign_in(client, "partant@tests.invalid", PASSWORD).status_code == 303
    assert client.get("/locaux/").status_code == 200
    with make_sessionmaker(loaded)() as session:
        set_active(session, "partant@tests.invalid", False, "tests")
    assert client.get("/locaux/").status_code == 302
    again = app.test_client(role=None)
    assert sign_in(again, "partant@tests.invalid", PASSWORD, address="10.3.0.1").status_code == 200
    assert again.get("/locaux/").status_code == 302
    api = again.get("/api/v1/premises", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401


def test_history_names_the_account(app: Flask) -> None:
    client = app.test_client(role="agent")
    page = client.get("/locaux/1").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    withdrawn = client.post(
        "/locaux/1/retirer",
        data={"version": version.group(1), "csrf_token": token_of(client, "/locaux/1")},
    )
    assert withdrawn.status_code == 302
    history = app.test_client().get("/api/v1/premises/1/history").get_json()
    assert history[-1]["utilisateur"] == email_of("agent")
    assert not any("127.0.0.1" in entry["utilisateur"] for entry in history)


def test_a_user_changes_their_password(app: Flask, loaded: Any) -> None:
    from foncier.accounts.service import add_account

    with make_sessionmaker(loaded)() as session:
        add_account(session, "change@tests.invalid", ["comite"], PASSWORD, "tests")
    client = app.test_client(role=None)
    sign_in(client, "change@tests.invalid", PASSWORD)
    token = token_of(client, "/mot-de-passe")
    short = client.post(
        "/mot-de-passe",
        data={"current": PASSWORD, "new": "court", "confirm": "court", "csrf_token": token},
    )
    assert short.status_code == 422 and "il en faut au moins 12" in short.get_data(as_text=True)
    new = "un nouveau mot de passe"
    changed = client.post(
        "/mot-de-passe",
        data={"current": PASSWORD, "new": new, "confirm": new, "csrf_token": token},
    )
    assert changed.status_code == 303
    assert client.get("/").status_code == 200  # this session goes on
    assert sign_in(app.test_client(role=None), "change@tests.invalid", new).status_code == 303


def test_serving_off_the_local_machine_needs_a_secret_key(
    empty_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    refused = CliRunner().invoke(
        main, ["serve", "--host", "0.0.0.0"], env={"DATABASE_URL": empty_db}
    )
    assert (
        refused.exit_code == 1
        and "SECRET_KEY est obligatoire pour servir sur 0.0.0.0" in refused.output
    )


def test_behind_a_proxy_the_limits_count_the_callers_address(app: Flask, loaded: Any) -> None:
    proxied = create_app({**app.config, "PROXIES": 1})
    client = RoleClient(proxied, role=None)
    data = {"email": "proxy@tests.invalid", "password": "faux"}
    data["csrf_token"] = token_of(client, "/connexion")
    client.post("/connexion", data=data, headers={"X-Forwarded-For": "192.0.2.7"})
    with loaded.connect() as conn:
        address = conn.scalar(
            text("SELECT adresse FROM journal_audit WHERE compte = 'proxy@tests.invalid'")
        )
    assert address == "192.0.2.7"
    dispose(proxied)
