from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from foncier.accounts.roles import Role
from foncier.accounts.service import add_account, issue_token
from foncier.db import make_sessionmaker
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


@pytest.fixture(scope="session")
def app(loaded: Engine, empty_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The application on the session database (reference layers and demo loaded)."""
    app = create_app(
        {
            "DATABASE_URL": empty_db,
            "TESTING": True,
            "GEOCODER_URL": "aucun",
            "UPLOAD_DIR": str(tmp_path_factory.mktemp("depots")),
            "TEST_ACCOUNTS": _accounts(loaded),
        }
    )
    app.test_client_class = RoleClient
    yield app
    engine = app.extensions["foncier.store"].engine
    if engine is not None:
        engine.dispose()


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


def sign_in(browser: Any, base_url: str, role: str = Role.AGENT) -> None:
    """Sign the browser in through the login page, as a user does."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.delete_all_cookies()
    browser.get(base_url + "/connexion")
    browser.find_element(By.NAME, "email").send_keys(email_of(role))
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.formulaire-connexion button").click()
    # Signed in once the browser has followed the redirect away from the form.
    WebDriverWait(browser, 30).until(lambda d: "/connexion" not in d.current_url)


def dispose(app: Flask) -> None:
    """Close the connections of an application a test made for itself."""
    engine = app.extensions["foncier.store"].engine
    if engine is not None:
        engine.dispose()
