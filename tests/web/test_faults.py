"""Faults of the database: a French 503 instead of a 500, and the app back when it is."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from foncier.accounts.service import add_account, issue_token
from foncier.cli import main
from foncier.db import make_engine, make_sessionmaker, migrate
from foncier.db.cluster import APP_USER, Cluster
from web import create_app

PROBLEM = "application/problem+json"


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _app(url: str, **config: object) -> Flask:
    return create_app({"DATABASE_URL": url, "TESTING": True, "GEOCODER_URL": "aucun", **config})


def _assert_unavailable(app: Flask, token: str = "jeton-inconnu") -> None:
    """Pages (a signed-in session) and API (a token): identifying the caller needs the
    database, so the 503 comes before any rule of the matrix."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:session"
    page = client.get("/locaux/")
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "Service momentanément indisponible" in page.get_data(as_text=True)
    api = client.get("/api/v1/premises", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 503 and api.mimetype == PROBLEM
    assert api.headers["Retry-After"] == "30"
    assert "momentanément indisponible" in api.get_json()["detail"]
    health = app.test_client().get("/sante")  # a process manager has no session
    assert health.status_code == 503 and health.get_json()["base"] == "indisponible"


def test_a_database_that_is_down_gives_a_french_503() -> None:
    port = _unused_port()
    _assert_unavailable(_app(f"postgresql://foncier:x@127.0.0.1:{port}/foncier"))


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers (a hung server, a bad proxy)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_a_port_that_never_answers_does_not_hang_requests(silent_port: int) -> None:
    app = _app(f"postgresql://foncier:x@127.0.0.1:{silent_port}/foncier", CONNECT_TIMEOUT_S=1)
    _assert_unavailable(app)


def test_health_reports_the_app_and_the_database(app: Flask) -> None:
    response = app.test_client().get("/sante")
    assert response.status_code == 200
    body = response.get_json()
    assert body["application"] == "ok" and body["base"] == "ok"
    assert response.headers["Cache-Control"] == "no-store"


# ---- the embedded cluster stopped and started under a running app -----------------------


@pytest.fixture(scope="module")
def own_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    cluster = Cluster(tmp_path_factory.mktemp("panne") / ".foncier")
    state = cluster.up()
    migrate.upgrade(state.url(), app_role=APP_USER)  # as `foncier db upgrade` does
    yield cluster
    cluster.down()
    shutil.rmtree(Path(state.data_dir).parent, ignore_errors=True)


@pytest.fixture(scope="module")
def agent_token(own_cluster: Cluster) -> str:
    """An agent's API token in the cluster's database, created by its owner."""
    engine = make_engine(own_cluster.up().url())
    try:
        with make_sessionmaker(engine)() as session:
            add_account(session, "agent@panne.invalid", ["agent"], "mot de passe des tests", "t")
            _, token = issue_token(session, "agent@panne.invalid", "panne", "tests")
    finally:
        engine.dispose()
    return token


@pytest.fixture
def embedded_env(own_cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> Cluster:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("FONCIER_STATE_DIR", str(own_cluster.state_dir))
    return own_cluster


def _premises(app: Flask, token: str) -> int:
    client = app.test_client()
    return client.get("/api/v1/premises", headers={"Authorization": f"Bearer {token}"}).status_code


def test_the_app_comes_back_when_the_database_does(embedded_env: Cluster, agent_token: str) -> None:
    cluster = embedded_env
    app = create_app({"TESTING": True, "GEOCODER_URL": "aucun"})
    client = app.test_client()
    assert _premises(app, agent_token) == 200
    assert app.extensions["foncier.store"].engine.url.username == APP_USER  # not the owner
    old_port = cluster.up().port

    cluster.down()
    _assert_unavailable(app, agent_token)
    # Meanwhile another program takes the port: the cluster moves, the app follows it.
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # past TIME_WAIT
        squatter.bind(("127.0.0.1", old_port))
        squatter.listen(1)
        new_port = cluster.up().port
        assert new_port != old_port and any(str(old_port) in n for n in cluster.notes)
        assert _premises(app, agent_token) == 200
        assert client.get("/sante").get_json()["base"] == "ok"
    app.extensions["foncier.store"].engine.dispose()


def test_a_restart_keeps_the_port(embedded_env: Cluster, agent_token: str) -> None:
    """Connections left in TIME_WAIT by the stop no longer move the cluster."""
    app = create_app({"TESTING": True, "GEOCODER_URL": "aucun"})
    port = embedded_env.up().port
    assert _premises(app, agent_token) == 200
    embedded_env.down()
    assert _premises(app, agent_token) == 503
    assert embedded_env.up().port == port
    assert _premises(app, agent_token) == 200
    app.extensions["foncier.store"].engine.dispose()


def test_db_up_never_prints_the_password(embedded_env: Cluster) -> None:
    result = CliRunner().invoke(main, ["db", "up"], catch_exceptions=False)
    assert result.exit_code == 0
    password = embedded_env.load_state().password  # type: ignore[union-attr]
    assert password not in result.output and ":***@127.0.0.1:" in result.output
