"""Fuzzing the API from its own OpenAPI description: no input may cause a server error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from foncier.accounts.service import add_account, issue_token
from foncier.config import reference_data_dir
from foncier.db import make_engine, make_sessionmaker, migrate, unit_of_work
from foncier.reference import load_reference
from tests.databases import create_database, drop_database
from web import create_app


def _with_token(wsgi_app: Any, token: str) -> Any:
    """Every request the fuzzer sends carries a script's token, as a real script's would."""

    def signed(environ: dict[str, Any], start_response: Any) -> Any:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return wsgi_app(environ, start_response)

    return signed


@pytest.fixture(scope="module")
def fuzz_app(server_url: str) -> Iterator[Flask]:
    """A database of its own: the fuzzer writes whatever it likes there."""
    url = create_database(server_url, prefix="foncier_fuzz")
    migrate.upgrade(url)
    engine = make_engine(url)
    with unit_of_work(make_sessionmaker(engine), "tests") as session:
        load_reference(session, reference_data_dir())
    with make_sessionmaker(engine)() as session:
        roles = ["agent", "planificateur"]  # every write of the API, registries and scenarios
        add_account(session, "fuzz@tests.invalid", roles, "mot de passe du fuzzeur", "tests")
        _, token = issue_token(session, "fuzz@tests.invalid", "fuzz", "tests")
    engine.dispose()
    # The fuzzer sends hundreds of runs and documents a minute: past the per-account limits,
    # every answer would be the same 429 and nothing behind it would be fuzzed.
    unlimited = {
        "RUNS_PER_ACCOUNT": "100000 per minute",
        "UPLOADS_PER_ACCOUNT": "100000 per minute",
    }
    app = create_app({"DATABASE_URL": url, "TESTING": True, "GEOCODER_URL": "aucun", **unlimited})
    app.wsgi_app = _with_token(app.wsgi_app, token)  # type: ignore[method-assign]
    yield app
    store_engine = app.extensions["foncier.store"].engine
    if store_engine is not None:
        store_engine.dispose()
    drop_database(url)


@pytest.fixture(scope="module")
def api_schema(fuzz_app: Flask) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app)


@pytest.mark.slow
def test_no_server_error(api_schema: schemathesis.BaseSchema) -> None:
    """Each operation, with generated valid and invalid inputs (schemathesis' pytest plugin
    does not run under pytest 9, so hypothesis drives each operation's strategy here)."""
    # An invalid operation (Err) has no .ok(): it would fail here, which is what we want.
    operations = [result.ok() for result in api_schema.get_all_operations()]  # type: ignore[union-attr]
    assert (
        len(operations) == 35
    )  # 7 per registry, 3 of matching, 10 of scenarios, 1 list of problem types
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def no_server_error(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=[not_a_server_error])

        no_server_error()
