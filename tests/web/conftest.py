from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import Engine

from web import create_app


@pytest.fixture(scope="session")
def app(loaded: Engine, empty_db: str) -> Flask:
    """The application on the session database (reference layers and demo loaded)."""
    return create_app({"DATABASE_URL": empty_db, "TESTING": True})
