"""What is computed from the store, kept in the process per version of the data.

People read far more often than the registers change, so pages and figures are computed once
per version of the data they read, read in one cheap statement:

- ``version_donnees.numero``, which every transaction that writes a record (through its
  history), a committee decision or a reference layer moves once, when it commits (a
  deferred trigger, migration 0014): a reader sees the new number and the new rows in the
  same snapshot, a late commit included, and reading it costs the same at any history size;
- within a transaction that has written and not yet committed, its own id: what it reads
  includes its writes, which nobody else may be shown (and which may yet roll back);
- the database's name (a process may reach several: the tests do) and the day in Paris
  (waiting times count days; availability compares dates).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.orm import Session

T = TypeVar("T")
Version = tuple[Hashable, ...]
SIZE = 1024  # entries: a record's candidates and map (one per record read), figures, layers

_VERSION = text("""
SELECT current_database(), (SELECT numero FROM version_donnees),
       pg_current_xact_id_if_assigned()::text, CAST(timezone('Europe/Paris', now()) AS date)""")


def data_version(session: Session) -> Version:
    return tuple(session.execute(_VERSION).one())


class VersionedCache:
    """A small LRU cache shared by the threads of one process."""

    def __init__(self, size: int = SIZE) -> None:
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = compute()  # outside the lock: two threads may compute it once each, no harm
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


CACHE = VersionedCache()


def kept(session: Session, key: Hashable, compute: Callable[[], T], version: Hashable = None) -> T:
    """``compute()``, or its value from an earlier call on the same version of the data;
    ``version`` when the caller has read it already."""
    return CACHE.get((key, version or data_version(session)), compute)


def forget() -> None:
    """Drop everything kept (for the benchmarks' cold timings)."""
    CACHE.clear()
