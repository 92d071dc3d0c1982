"""Pooled connections: one the server ended is replaced before use, without a ping."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, event, text

from foncier.db import make_engine


def _backend(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(text("SELECT pg_backend_pid()")))


def test_a_connection_the_server_ended_is_replaced_before_use(engine: Engine) -> None:
    pooled = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        first = _backend(pooled)
        with engine.connect() as other:  # as a restart or an administrator would
            assert other.scalar(text("SELECT pg_terminate_backend(:p)"), {"p": first})
        assert _backend(pooled) != first  # a working connection, not an error
    finally:
        pooled.dispose()


def test_a_healthy_connection_costs_no_statement_to_check(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    pooled = make_engine(engine.url.render_as_string(hide_password=False))
    sent: list[str] = []
    event.listen(pooled, "before_cursor_execute", lambda *a: sent.append(a[2]))

    def ping(_: object) -> bool:
        sent.append("ping")
        return True

    monkeypatch.setattr(pooled.dialect, "do_ping", ping)
    try:
        first = _backend(pooled)
        assert _backend(pooled) == first  # the same pooled connection
        assert sent == ["SELECT pg_backend_pid()"] * 2  # and no ping: a round trip each time
    finally:
        pooled.dispose()
