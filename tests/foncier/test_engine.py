"""Pooled connections: one the server ended is replaced before use, without a ping; the
requests' sessions read on their own and write in whole transactions."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, event, select, text, update

from foncier.db import make_engine, make_read_first, transaction
from foncier.models import Local


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


def test_a_request_session_writes_only_in_a_whole_transaction(engine: Engine) -> None:
    """Reads run on their own (autocommit); a use case's writes are still all or nothing."""
    factory = make_read_first(engine)
    with factory() as session:
        first, second = session.scalars(select(Local).order_by(Local.id).limit(2)).all()
        ids, names = (first.id, second.id), (first.nom, second.nom)
        first.nom = "écrit hors transaction"
        with pytest.raises(RuntimeError, match="transaction"):
            session.flush()
        session.rollback()
        with pytest.raises(ZeroDivisionError), transaction(session, "tests"):
            session.execute(update(Local).where(Local.id == ids[0]).values(nom="un"))
            session.execute(update(Local).where(Local.id == ids[1]).values(nom="deux"))
            raise ZeroDivisionError  # midway: nothing of it stays
    with engine.connect() as connection:
        kept = connection.scalars(select(Local.nom).where(Local.id.in_(ids)).order_by(Local.id))
        assert tuple(kept) == names
