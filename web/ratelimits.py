"""Rate limits per account on what costs the server: matching runs and uploads.

Counters live in PostgreSQL (table ``limites_debit``), not in each process's memory: with
``foncier serve --workers N`` a per-process counter would let an account make N times its
allowance, and PostgreSQL is the one service every worker already shares (Redis or Memcached,
which Flask-Limiter supports, would be a new service to install and run for one counter).
One upsert per limited request is negligible beside a matching run or an upload.
"""

from __future__ import annotations

import random
import time
from contextlib import AbstractContextManager
from typing import Any

from flask import Flask, current_app, g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse_many
from limits.storage import Storage
from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from foncier import config

STORAGE_URI = "foncier+postgresql://"
limiter = Limiter(key_func=get_remote_address)

_INCR = text("""
    INSERT INTO limites_debit AS l (cle, compte, expire_a)
    VALUES (:cle, :n, clock_timestamp() + make_interval(secs => :expiry))
    ON CONFLICT (cle) DO UPDATE SET
        compte = CASE WHEN l.expire_a <= clock_timestamp() THEN excluded.compte
                      ELSE l.compte + excluded.compte END,
        expire_a = CASE WHEN l.expire_a <= clock_timestamp() THEN excluded.expire_a
                        ELSE l.expire_a END
    RETURNING compte
""")
PURGE_ONE_IN = 200  # expired counters are deleted now and then, not on every request


class PostgresStorage(Storage):
    """A fixed-window counter per key, one row each; the engine is the current app's, so
    that the module-level limiter serves every app (the tests build several)."""

    STORAGE_SCHEME = ["foncier+postgresql"]  # noqa: RUF012 (declared so by limits)

    def __init__(self, uri: str | None = None, **options: Any) -> None:
        super().__init__(uri, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def _connect(self) -> AbstractContextManager[Connection]:
        store = current_app.extensions["foncier.store"]
        store.factory()  # connects on first use, follows a restarted embedded cluster
        return store.engine.begin()

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        with self._connect() as conn:
            if random.randrange(PURGE_ONE_IN) == 0:
                conn.execute(text("DELETE FROM limites_debit WHERE expire_a < clock_timestamp()"))
            found = conn.execute(_INCR, {"cle": key, "n": amount, "expiry": expiry}).scalar_one()
        return int(found)

    def get(self, key: str) -> int:
        with self._connect() as conn:
            found = conn.execute(
                text(
                    "SELECT compte FROM limites_debit WHERE cle = :cle"
                    " AND expire_a > clock_timestamp()"
                ),
                {"cle": key},
            ).scalar()
        return int(found or 0)

    def get_expiry(self, key: str) -> float:
        with self._connect() as conn:
            found = conn.execute(
                text("SELECT extract(epoch FROM expire_a) FROM limites_debit WHERE cle = :cle"),
                {"cle": key},
            ).scalar()
        return float(found) if found is not None else time.time()

    def check(self) -> bool:
        try:
            with self._connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self._connect() as conn:
            return conn.execute(text("DELETE FROM limites_debit")).rowcount

    def clear(self, key: str) -> None:
        with self._connect() as conn:
            conn.execute(text("DELETE FROM limites_debit WHERE cle = :cle"), {"cle": key})


def account_key() -> str:
    """The signed-in account, by page session or API token alike: one allowance per account,
    whichever way it comes in (the matrix lets no anonymous caller reach these routes)."""
    identity = g.get("identity")
    return f"compte:{identity.account_id}" if identity else "adresse:" + get_remote_address()


def _limit_of(name: str) -> Any:
    return lambda: current_app.config[name]


def _message(what: str, name: str) -> Any:
    return lambda: (
        f"Trop de {what} pour ce compte (au plus {_french(current_app.config[name])}) :"
        " attendez un peu avant de recommencer ; rien n'a été enregistré par cette demande."
    )


def _french(limit: str) -> str:
    """« 10 per minute » → « 10 par minute », as the limits are configured."""
    return limit.replace(" per ", " par ").replace("/", " par ")


# Matching runs (API and committee proposals, scenario calculations) and uploads (imports,
# scenario files and perimeters, pages and API) share one allowance each per account.
runs = limiter.shared_limit(
    _limit_of("RUNS_PER_ACCOUNT"),
    scope="passages",
    key_func=account_key,
    methods=["POST"],
    error_message=_message("passages d'appariement ou de calcul", "RUNS_PER_ACCOUNT"),
)
uploads = limiter.shared_limit(
    _limit_of("UPLOADS_PER_ACCOUNT"),
    scope="depots",
    key_func=account_key,
    methods=["POST", "PUT"],
    error_message=_message("fichiers ou documents déposés", "UPLOADS_PER_ACCOUNT"),
)


def init_app(app: Flask) -> None:
    """Check the configured limits at start-up: a typo must not pass for "no limit"."""
    for name in ("RUNS_PER_ACCOUNT", "UPLOADS_PER_ACCOUNT"):
        try:
            parse_many(str(app.config[name]))
        except ValueError:
            raise ValueError(
                f"{name} = « {app.config[name]} » : attendu une limite comme « 10 per minute »."
            ) from None
    limiter.init_app(app)


def settings() -> dict[str, Any]:
    """The app's defaults: limits from ``foncier.config``, counters in PostgreSQL."""
    return {
        "RUNS_PER_ACCOUNT": config.RUNS_PER_ACCOUNT,
        "UPLOADS_PER_ACCOUNT": config.UPLOADS_PER_ACCOUNT,
        "RATELIMIT_STORAGE_URI": STORAGE_URI,
        "RATELIMIT_HEADERS_ENABLED": True,
        # PostgreSQL down: the request goes on to its own 503 rather than a limiter's 500.
        "RATELIMIT_SWALLOW_ERRORS": True,
    }
