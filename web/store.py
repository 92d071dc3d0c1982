"""The database as the web layer sees it: one session per request, closed at teardown."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from foncier import config
from foncier.accounts.privacy import hide_personal_data
from foncier.db import make_engine, make_sessionmaker

EXTENSION = "foncier.store"


class Store:
    """Creates the engine on first use, so that building the app connects to nothing."""

    def __init__(self, url: str | None) -> None:
        self._url = url
        self._factory: sessionmaker[Session] | None = None
        self.engine: Engine | None = None

    def factory(self) -> sessionmaker[Session]:
        if self._factory is None:
            url = config.sqlalchemy_url(self._url) if self._url else config.database_url()
            self.engine = make_engine(url)
            self._factory = make_sessionmaker(self.engine)
        return self._factory


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Store(app.config.get("DATABASE_URL"))
    app.teardown_appcontext(_close_session)


def session() -> Session:
    """The request's session; read-only views use it directly, writes go through use cases."""
    if "db_session" not in g:
        g.db_session = current_app.extensions[EXTENSION].factory()()
    db_session: Session = g.db_session
    # Contacts are hidden unless the caller's roles may see them (anonymous: hidden).
    identity = g.get("identity")
    hide_personal_data(db_session, not (identity is not None and identity.sees_personal_data))
    return db_session


def _close_session(_: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
