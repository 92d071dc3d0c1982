"""Uploaded files are parsed in parser processes: a costly one stalls no other request, and
one past the memory or time bound gets a French 413 while the server lives on."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from foncier.accounts.roles import Role
from foncier.files import isolated
from tests.factories import EXAMPLE_SCENARIO, csrf_token
from tests.web.conftest import RoleClient, dispose
from web import create_app

# 95,000 YAML values under the document bounds: seconds of parsing, then a French 422.
COSTLY = ("perimeter: [" + ", ".join(["1"] * 95_000) + "]\nlots: []\n").encode()


def _upload(app: Flask, content: bytes, name: str = "couteux.yaml") -> TestResponse:
    client = app.test_client(role=Role.PLANIFICATEUR, api_token=False)
    data: dict[str, Any] = {
        "csrf_token": csrf_token(client, "/scenarios/"),
        "scenario": (io.BytesIO(content), name),
    }
    return client.post("/scenarios/", data=data, content_type="multipart/form-data")


@pytest.fixture
def bounded_app(app: Flask, shared_db: str) -> Iterator[Any]:
    """Apps on the module's database with their own parsing bounds."""
    made: list[Flask] = []

    def make(**bounds: Any) -> Flask:
        config = {"DATABASE_URL": shared_db, "TESTING": True, "GEOCODER_URL": "aucun"}
        made.append(create_app({**config, "TEST_ACCOUNTS": app.config["TEST_ACCOUNTS"], **bounds}))
        made[-1].test_client_class = RoleClient
        return made[-1]

    yield make
    for each in made:
        dispose(each)


def test_a_costly_upload_does_not_stall_other_requests(app: Flask) -> None:
    finished: dict[str, float] = {}
    replies: dict[str, TestResponse] = {}

    def costly() -> None:
        replies["upload"] = _upload(app, COSTLY)
        finished["upload"] = time.monotonic()

    uploading = threading.Thread(target=costly)
    uploading.start()
    waited = 0
    while isolated.busy() == 0 and uploading.is_alive() and waited < 6000:
        time.sleep(0.01)  # until the file is in a parser process
        waited += 1
    assert isolated.busy() == 1, "the upload is parsed in a parser process"
    other = app.test_client(role=Role.AGENT, api_token=False).get("/locaux/")
    finished["other"] = time.monotonic()
    uploading.join()
    assert other.status_code == 200
    assert finished["other"] < finished["upload"]
    page = replies["upload"].get_data(as_text=True)
    assert replies["upload"].status_code == 422 and "Au moins un lot" in page


def test_a_file_past_the_memory_bound_gets_a_french_413(bounded_app: Any, app: Flask) -> None:
    small = bounded_app(PARSE_MEMORY_BYTES=16 * 1024 * 1024)
    refused = _upload(small, COSTLY)
    assert refused.status_code == 413
    page = refused.get_data(as_text=True)
    assert "couteux.yaml" in page and "plus de 16 Mo de mémoire" in page
    # The server lives on, and so does parsing: the example scenario is saved.
    saved = _upload(app, EXAMPLE_SCENARIO.read_bytes(), EXAMPLE_SCENARIO.name)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]


def test_a_file_past_the_time_bound_gets_a_french_413(bounded_app: Any, app: Flask) -> None:
    hasty = bounded_app(PARSE_TIMEOUT_S=0.5)
    refused = _upload(hasty, COSTLY)
    assert refused.status_code == 413
    assert "plus de 0,5 s de lecture" in refused.get_data(as_text=True)
    # Its parser was killed; a new one reads the next file.
    assert _upload(app, EXAMPLE_SCENARIO.read_bytes(), EXAMPLE_SCENARIO.name).status_code == 302
