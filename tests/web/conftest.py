"""Web fixtures: each test module has a database of its own, and its own app and browser; one
account per role, and clients and a browser signed in with them.

Requests commit (a use case owns its transaction), so a web module works on a copy of the
seeded database, dropped after it: what it writes is seen by no other module. ``shared_db``,
``engine`` and ``loaded`` are overridden at module scope so that a test reading the database
reads the one its app writes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from selenium import webdriver
from selenium.webdriver.common.by import By
from sqlalchemy import Engine
from werkzeug.serving import make_server

from foncier.accounts.roles import Role
from foncier.accounts.service import add_account, issue_token
from foncier.db import make_engine, make_sessionmaker
from tests.databases import create_database, drop_database
from tests.web.browser import new_page, start_chromium
from web import create_app

PASSWORD = "mot de passe des tests"
ROLES = tuple(role.value for role in Role)


def email_of(role: str) -> str:
    return f"{role}@tests.invalid"


class RoleClient(FlaskClient):
    """A test client signed in with one role's account (an agent unless told otherwise;
    ``role=None``: anonymous). Pages use the session cookie; API calls send the account's
    token, as a script does, unless ``api_token=False``."""

    def __init__(
        self, *args: Any, role: str | None = Role.AGENT, api_token: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.role = role
        if role is None:
            return
        user_id, token = self.application.config["TEST_ACCOUNTS"][role]
        with self.session_transaction() as session:
            session["_user_id"] = user_id
            session["_fresh"] = True
        if api_token:
            self.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"


def _accounts(engine: Engine) -> dict[str, tuple[str, str]]:
    """One account and one token per role: the session id Flask-Login stores, and the token."""
    found = {}
    with make_sessionmaker(engine)() as session:
        for role in ROLES:
            account = add_account(session, email_of(role), [role], PASSWORD, "tests")
            _, token = issue_token(session, account.email, f"tests-{role}", "tests")
            found[role] = (f"{account.id}:{account.jeton_session}", token)
    return found


@pytest.fixture(scope="module")
def shared_db(server_url: str, seeded_db: str) -> Iterator[str]:
    """This module's copy of the seeded database."""
    url = create_database(server_url, prefix="foncier_web", template=seeded_db)
    yield url
    drop_database(url)


@pytest.fixture(scope="module")
def engine(shared_db: str) -> Iterator[Engine]:
    engine = make_engine(shared_db)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def loaded(engine: Engine) -> Engine:
    return engine


@pytest.fixture(scope="module")
def app(
    shared_db: str, loaded: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """The application on this module's database (reference layers and demo loaded)."""
    app = built_app(shared_db, loaded, tmp_path_factory)
    yield app
    dispose(app)


def built_app(
    shared_db: str, loaded: Engine, tmp_path_factory: pytest.TempPathFactory, **config: Any
) -> Flask:
    """An application for tests on ``shared_db``, its accounts signed in by role; ``config``
    adds to or replaces its settings."""
    app = create_app(
        {
            "DATABASE_URL": shared_db,
            "TESTING": True,
            "GEOCODER_URL": "aucun",
            "UPLOAD_DIR": str(tmp_path_factory.mktemp("depots")),
            "TEST_ACCOUNTS": _accounts(loaded),
            **config,
        }
    )
    app.test_client_class = RoleClient
    return app


@pytest.fixture(params=[*ROLES, None], ids=[*ROLES, "anonyme"])
def any_client(request: pytest.FixtureRequest, app: Flask) -> FlaskClient:
    return app.test_client(role=request.param)


@pytest.fixture
def planner(app: Flask) -> FlaskClient:
    return app.test_client(role=Role.PLANIFICATEUR)


@pytest.fixture
def admin(app: Flask) -> FlaskClient:
    return app.test_client(role=Role.ADMINISTRATEUR)


@pytest.fixture
def anonymous(app: Flask) -> FlaskClient:
    return app.test_client(role=None)


@pytest.fixture(scope="module")
def base_url(app: Flask) -> Iterator[str]:
    """The app served over HTTP on a free local port, for the browser."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    driver = start_chromium(tmp_path_factory.mktemp("chromium"))
    yield driver
    driver.quit()


def sign_in(browser: webdriver.Chrome, base_url: str, role: str = Role.AGENT) -> None:
    """Sign the browser in through the login page, as a user does."""
    browser.delete_all_cookies()
    browser.get(base_url + "/connexion")
    browser.find_element(By.NAME, "email").send_keys(email_of(role))
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    # Signed in once the browser has followed the redirect away from the form.
    with new_page(browser, 30):
        browser.find_element(By.CSS_SELECTOR, "form.formulaire-connexion button").click()
    assert "/connexion" not in browser.current_url, "signed in"


def dispose(app: Flask) -> None:
    """Close the connections of an application a test made for itself."""
    engine = app.extensions["foncier.store"].engine
    if engine is not None:
        engine.dispose()
