"""Web fixtures: each test module has a database of its own, and its own app and browser.

Requests commit (a use case owns its transaction), so a web module works on a copy of the
seeded database, dropped after it: what it writes is seen by no other module. ``shared_db``,
``engine`` and ``loaded`` are overridden at module scope so that a test reading the database
reads the one its app writes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from selenium import webdriver
from sqlalchemy import Engine
from werkzeug.serving import make_server

from foncier.db import make_engine
from tests.databases import create_database, drop_database
from tests.web.browser import start_chromium
from web import create_app


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
def app(shared_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The application on this module's database (reference layers and demo loaded)."""
    app = create_app(
        {
            "DATABASE_URL": shared_db,
            "TESTING": True,
            "GEOCODER_URL": "aucun",
            "UPLOAD_DIR": str(tmp_path_factory.mktemp("depots")),
        }
    )
    yield app
    engine = app.extensions["foncier.store"].engine
    if engine is not None:
        engine.dispose()


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
