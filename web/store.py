"""The database as the web layer sees it: one session per request, closed at teardown."""

from __future__ import annotations

import os

from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from foncier import config
from foncier.accounts.privacy import hide_personal_data
from foncier.db import CONNECT_TIMEOUT_S, make_engine, make_read_first

EXTENSION = "foncier.store"


class Store:
    """Creates the engine on first use, so that building the app connects to nothing.

    With the embedded cluster, its state file is watched (one ``stat`` per session): a
    cluster restarted on another port is followed without restarting the app.
    """

    def __init__(
        self,
        url: str | None,
        *,
        statement_timeout_s: float | None = None,
        connect_timeout_s: int = CONNECT_TIMEOUT_S,
    ) -> None:
        self._url = url
        self._statement_timeout_s = statement_timeout_s
        self._connect_timeout_s = connect_timeout_s
        self._factory: sessionmaker[Session] | None = None
        self._state_seen: float | None = None
        self.engine: Engine | None = None

    def factory(self) -> sessionmaker[Session]:
        if self._factory is None:
            url = config.sqlalchemy_url(self._url) if self._url else config.application_url()
            self._state_seen = self._state_mtime()
            self._connect(url)
        elif self._state_mtime() != self._state_seen:
            self.recover()
        assert self._factory is not None
        return self._factory

    def _embedded(self) -> bool:
        return not (self._url or config.configured_url() or os.environ.get("FONCIER_APP_URL"))

    def _state_mtime(self) -> float | None:
        if not self._embedded():
            return None
        try:
            return config.embedded_cluster().state_file.stat().st_mtime
        except OSError:
            return None

    def _connect(self, url: str) -> None:
        self.engine = make_engine(
            url,
            statement_timeout_s=self._statement_timeout_s,
            connect_timeout_s=self._connect_timeout_s,
        )
        self._factory = make_read_first(self.engine)

    def recover(self) -> None:
        """Drop pooled connections; follow the embedded cluster if its URL changed.

        The cluster is not started from here: a database stopped on purpose stays stopped.
        """
        if self.engine is None:
            return
        self.engine.dispose()
        if not self._embedded():
            return
        self._state_seen = self._state_mtime()
        state = config.embedded_cluster().load_state()
        if state is not None and state.app_url() != self.engine.url.render_as_string(False):
            self._connect(state.app_url())


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Store(
        app.config.get("DATABASE_URL"),
        statement_timeout_s=app.config.get("STATEMENT_TIMEOUT_S"),
        connect_timeout_s=int(app.config.get("CONNECT_TIMEOUT_S", CONNECT_TIMEOUT_S)),
    )
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
