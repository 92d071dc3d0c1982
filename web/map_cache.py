"""Map layers kept per version of the data: the home map, the communes' outlines and the lists'
points are computed once per change of the registries or the reference layers, not once per
request, and the browser revalidates them with an ETag."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import Response, request
from sqlalchemy import text
from sqlalchemy.orm import Session

from foncier.accounts.privacy import shows_personal_data

T = TypeVar("T")
# Every write to a registry leaves a row in the history (a trigger): its last id moves with
# the data. The reference layers have no history: their rows' last transaction stands in.
VERSION = text(
    "SELECT (SELECT coalesce(max(id), 0) FROM historique), "
    "(SELECT coalesce(max(xmin::text::bigint), 0) FROM communes), "
    "(SELECT coalesce(max(xmin::text::bigint), 0) FROM qpv), "
    "(SELECT coalesce(max(xmin::text::bigint), 0) FROM friches)"
)
SIZE = 64  # entries: a few filtered lists per registry, the home map, the outlines


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


def data_version(session: Session) -> str:
    """Changes whenever a record or a reference layer changes; personal data shown or not is
    part of it, since the same layer differs for who may see them."""
    row = session.execute(VERSION).one()
    return "-".join(str(v) for v in row) + ("-p" if shows_personal_data(session) else "-r")


def cached(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    return CACHE.get((key, data_version(session)), compute)


def geojson_response(session: Session, key: Hashable, compute: Callable[[], Any]) -> Response:
    """GeoJSON computed once per data version; 304 when the browser holds this version."""
    version = data_version(session)
    etag = hashlib.sha256(repr((key, version)).encode()).hexdigest()[:32]
    if etag in request.if_none_match:
        answer = Response(status=304)
    else:
        body = CACHE.get((key, version), lambda: json.dumps(compute(), ensure_ascii=False))
        answer = Response(body, mimetype="application/geo+json")
    answer.set_etag(etag)
    # Kept by the browser, checked again at each use: a change shows at once.
    answer.headers["Cache-Control"] = "private, no-cache"
    return answer
