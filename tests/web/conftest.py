"""Web fixtures: the app on the session database, served over HTTP for a headless Chromium."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from selenium import webdriver
from sqlalchemy import Engine
from werkzeug.serving import make_server

from tests.web.browser import start_chromium
from web import create_app


@pytest.fixture(scope="session")
def app(loaded: Engine, empty_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The application on the session database (reference layers and demo loaded)."""
    app = create_app(
        {
            "DATABASE_URL": empty_db,
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
