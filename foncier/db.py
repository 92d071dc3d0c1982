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
def unit_of_work(factory: sessionmaker[Session], utilisateur: str) -> Iterator[Session]:
    """One transaction; the history triggers record ``utilisateur`` as the author."""
    with factory() as session, session.begin():
        session.execute(
            text("SELECT set_config('foncier.utilisateur', :u, true)"), {"u": utilisateur}
        )
        yield session
