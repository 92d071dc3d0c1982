from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import Engine

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
