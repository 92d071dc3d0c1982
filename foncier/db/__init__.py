"""Engine and sessions. The caller owns the transaction: one ``session.begin()`` per use case."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> Engine:
    return create_engine(url, pool_pre_ping=True)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


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
