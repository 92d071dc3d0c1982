"""The API as agents' tools read it (issue 10): money to the cent."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.web.test_api_scenarios import client, document  # noqa: F401 (fixtures)


def _amounts(value: Any, key: str = "") -> list[tuple[str, float]]:
    if isinstance(value, dict):
        return [a for k, v in value.items() for a in _amounts(v, str(k))]
    if isinstance(value, list):
        return [a for v in value for a in _amounts(v, key)]
    return [(key, value)] if isinstance(value, float) and "eur" in key else []


def test_money_in_json_is_rounded_to_the_cent(
    client: FlaskClient,  # noqa: F811
    document: dict[str, Any],  # noqa: F811
) -> None:
    result = client.post("/api/v1/scenarios/compute", json=document).json
    amounts = _amounts(result)
    assert len(amounts) > 20
    assert all(round(v, 2) == v for _, v in amounts), [a for a in amounts if round(a[1], 2) != a[1]]
    sweep = client.post("/api/v1/scenarios/sweep", json={"scenario": document}).json
    assert all(round(v, 2) == v for _, v in _amounts(sweep))
