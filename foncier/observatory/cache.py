"""The observatory's figures, kept while the data they read has not changed.

At 100,000 needs the page's aggregates take seconds and the priced-out needs many more;
people open the page far more often than the register changes. So each figure is kept in
the process with the version of the data it was computed from, and computed again only when
that version moves.

The version is read in one cheap statement: the database's name (a process may reach several,
the tests do), the newest id and the number of rows of the append-only history (every write
to needs, actors, premises, sectors and matching settings adds a row there; the count also
moves when a transaction that took an older id commits late), the same for the committee's
decisions (append-only too), and the day in Paris (waiting times count days). Reference layers
loaded from files (communes, QPV) are not in the history: they change with a new release,
that is with a restart.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.orm import Session

T = TypeVar("T")
Version = tuple[Hashable, ...]

_VERSION = text("""
SELECT current_database(),
       (SELECT max(id) FROM historique), (SELECT count(*) FROM historique),
       (SELECT max(id) FROM decisions_comite), (SELECT count(*) FROM decisions_comite),
       CAST(timezone('Europe/Paris', now()) AS date)""")

# (database, figure) -> (version, value): one entry per figure, the newest.
_KEPT: dict[tuple[Hashable, str], tuple[Version, object]] = {}
_LOCK = threading.Lock()


def data_version(session: Session) -> Version:
    row = session.execute(_VERSION).one()
    return tuple(row)


def kept(session: Session, name: str, compute: Callable[[], T], *extra: Hashable) -> T:
    """``compute()``, or its value from the last call if the data has not changed since;
    ``extra`` is what else the value depends on (an explicit day, say)."""
    version = (*data_version(session), *extra)
    key = (version[0], name)
    with _LOCK:
        found = _KEPT.get(key)
    if found is not None and found[0] == version:
        return found[1]  # type: ignore[return-value]
    value = compute()
    with _LOCK:
        _KEPT[key] = (version, value)
    return value


def forget() -> None:
    """Drop every figure kept (for the benchmark's cold timings)."""
    with _LOCK:
        _KEPT.clear()
