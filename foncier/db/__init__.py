"""Engine and sessions. The caller owns the transaction: one ``session.begin()`` per use case."""

from __future__ import annotations

import select
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc, make_url, text
from sqlalchemy.orm import Session, sessionmaker

CONNECT_TIMEOUT_S = 5  # a port that accepts but never answers must not hang the caller


def make_engine(
    url: str,
    *,
    statement_timeout_s: float | None = None,
    connect_timeout_s: int = CONNECT_TIMEOUT_S,
) -> Engine:
    """An engine whose connections are checked before use (the server may have restarted),
    with a connect timeout, and a statement timeout for callers that serve people."""
    connect_args: dict[str, Any] = {"connect_timeout": connect_timeout_s}
    if statement_timeout_s:
        connect_args["options"] = f"-c statement_timeout={int(statement_timeout_s * 1000)}"
    engine = create_engine(url, connect_args=connect_args)
    event.listen(engine, "checkout", _drop_if_closed)
    return engine


def _drop_if_closed(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """A pooled connection the server has closed is replaced before use.

    An idle connection has nothing to read unless the server ended it (a restart, a
    terminated backend): one ``poll`` of its socket tells, where a ping would cost a round
    trip on every request. The pool retries with a fresh connection.
    """
    if dbapi_connection.closed:
        raise exc.DisconnectionError("connexion fermée")
    poller = select.poll()
    poller.register(dbapi_connection.pgconn.socket, select.POLLIN)
    if poller.poll(0):
        raise exc.DisconnectionError("connexion fermée par le serveur")


def conninfo(url: str) -> str:
    """A SQLAlchemy URL as libpq reads it (psycopg's own connections, pg_dump)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


WRITES = "écritures"  # Session.info: a use case's transaction has begun


class ReadFirst(Session):
    """A request's session: its reads run on their own (autocommit), so a page's few reads
    cost no BEGIN and no ROLLBACK (two round trips of four); :func:`transaction` switches it
    to real transactions for the use case's writes. A statement sees what it would in a
    READ COMMITTED transaction."""

    def __init__(self, bind: Engine, reads: Engine, **options: Any) -> None:
        super().__init__(bind=bind, **options)
        self._reads = reads

    def get_bind(self, mapper: Any = None, **kw: Any) -> Any:
        return super().get_bind(mapper, **kw) if self.info.get(WRITES) else self._reads


def make_read_first(engine: Engine) -> sessionmaker[Session]:
    reads = engine.execution_options(isolation_level="AUTOCOMMIT")
    factory: sessionmaker[Session] = sessionmaker(
        engine, class_=ReadFirst, reads=reads, expire_on_commit=False
    )
    event.listen(factory, "before_flush", _refuse_writes)
    return factory


def _refuse_writes(session: Session, *_: Any) -> None:
    """Writes outside a use case's transaction would each commit alone: a programming error."""
    if isinstance(session, ReadFirst) and not session.info.get(WRITES):
        raise RuntimeError("writes outside transaction()")


@contextmanager
def transaction(session: Session, utilisateur: str) -> Iterator[Session]:
    """One transaction; the history triggers record ``utilisateur`` as the author.

    A transaction the session began by itself for earlier reads is ended first, so that the
    use case's writes commit on their own; pending writes there would be a programming error.
    """
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("unsaved changes before a use case's transaction")
        session.commit()
    session.info[WRITES] = True
    with session.begin():
        session.execute(
            text("SELECT set_config('foncier.utilisateur', :u, true)"), {"u": utilisateur}
        )
        yield session


@contextmanager
def unit_of_work(factory: sessionmaker[Session], utilisateur: str) -> Iterator[Session]:
    """A new session and one transaction in it."""
    with factory() as session, transaction(session, utilisateur):
        yield session
