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
    """One transaction; the history triggers record ``utilisateur`` as the author."""
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
