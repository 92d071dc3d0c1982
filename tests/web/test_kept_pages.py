"""Pages and answers kept per version of the data show a change at the next request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from psycopg import pq
from sqlalchemy import Engine, event, select

from foncier.models import Besoin


def _with_candidates(client: FlaskClient, loaded: Engine) -> tuple[int, dict[str, Any]]:
    with loaded.connect() as connection:
        needs = connection.scalars(
            select(Besoin.id).where(Besoin.statut == "ouvert").order_by(Besoin.id)
        ).all()
    for need in needs:
        pairs = client.get(f"/api/v1/needs/{need}/candidates?top=10").get_json()["pairs"]
        if pairs:
            return need, pairs[0]
    raise AssertionError("a demo need has a candidate")


def _patch(client: FlaskClient, premises: int, **values: Any) -> None:
    version = client.get(f"/api/v1/premises/{premises}").get_json()["version"]
    answer = client.patch(f"/api/v1/premises/{premises}", json={**values, "version": version})
    assert answer.status_code == 200, answer.get_json()


def test_a_candidate_priced_out_leaves_the_top_at_once(app: Flask, loaded: Engine) -> None:
    client = app.test_client(role="agent")
    need, best = _with_candidates(client, loaded)
    top = f"/api/v1/needs/{need}/candidates?top=10"
    assert client.get(top).get_json()["pairs"][0] == best  # asked again: the same answer
    _patch(client, best["premises_id"], loyer_m2_an=9_999)
    after = client.get(top).get_json()["pairs"]
    assert best["premises_id"] not in {pair["premises_id"] for pair in after}


def test_a_renamed_premises_reads_its_new_name_on_every_page(app: Flask, loaded: Engine) -> None:
    client = app.test_client(role="agent")
    need, best = _with_candidates(client, loaded)
    premises = best["premises_id"]
    pages = [f"/besoins/{need}/candidats", f"/locaux/{premises}", "/locaux/?q=Atelier+renomm"]
    for page in pages:  # read once: kept
        assert client.get(page).status_code == 200
    _patch(client, premises, nom="Atelier renommé pour le cache")
    for page in pages:
        assert "Atelier renommé pour le cache" in client.get(page).get_data(as_text=True), page


@contextmanager
def _round_trips(app: Flask, path: Path) -> Iterator[list[int]]:
    """Counts the statements the app sends to PostgreSQL (libpq's trace: one Sync or simple
    Query per round trip, BEGIN and ROLLBACK included)."""
    engine = app.extensions["foncier.store"].engine

    def trace(dbapi: Any, *_: Any) -> None:
        dbapi.pgconn.trace(out.fileno())
        dbapi.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)

    def untrace(dbapi: Any, *_: Any) -> None:
        dbapi.pgconn.untrace()

    counted: list[int] = []
    with path.open("w") as out:
        event.listen(engine, "checkout", trace)
        event.listen(engine, "checkin", untrace)
        try:
            yield counted
        finally:
            event.remove(engine, "checkout", trace)
            event.remove(engine, "checkin", untrace)
    sent = [line.split("\t") for line in path.read_text().splitlines()]
    counted.append(sum(1 for line in sent if line[0] == "F" and line[2] in ("Sync", "Query")))


def test_a_kept_page_costs_two_round_trips(app: Flask, loaded: Engine, tmp_path: Path) -> None:
    """Who calls, and the data's version: no ping, no BEGIN, no ROLLBACK around them."""
    client = app.test_client(role="agent")
    need, best = _with_candidates(client, loaded)
    pages = [
        "/",
        "/locaux/",
        f"/locaux/{best['premises_id']}",
        f"/besoins/{need}",
        f"/besoins/{need}/candidats",
        "/api/v1/premises?page_size=20",
        f"/api/v1/needs/{need}/candidates?top=10",
    ]
    for page in pages:
        assert client.get(page).status_code == 200  # now kept
    for page in pages:
        with _round_trips(app, tmp_path / "trace") as counted:
            assert client.get(page).status_code == 200
        assert counted == [2], page
