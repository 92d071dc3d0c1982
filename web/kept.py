"""What pages compute, kept per version of the data (:mod:`foncier.db.kept`): the maps'
layers and HTML, a record's candidates, the lists of labels. Computed once per change of the
data, not once per request; the GeoJSON layers are revalidated by the browser with an ETag."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import Response, g, request
from sqlalchemy.orm import Session

from foncier.accounts.privacy import shows_personal_data
from foncier.db.kept import data_version as stored_version
from foncier.db.kept import kept

T = TypeVar("T")


def data_version(session: Session) -> Hashable:
    """The data's version, and whether personal data are shown (the same layer differs for
    who may see them); read once per GET request, which writes nothing."""
    if request.method not in ("GET", "HEAD"):
        return _read_version(session)
    if "data_version" not in g:
        g.data_version = _read_version(session)
    return g.data_version


def _read_version(session: Session) -> Hashable:
    return (*stored_version(session), shows_personal_data(session))


def cached(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    return kept(session, key, compute, data_version(session))


def geojson_response(session: Session, key: Hashable, compute: Callable[[], Any]) -> Response:
    """GeoJSON computed once per data version; 304 when the browser holds this version."""
    version = data_version(session)
    etag = hashlib.sha256(repr((key, version)).encode()).hexdigest()[:32]
    if etag in request.if_none_match:
        answer = Response(status=304)
    else:
        body = kept(session, key, lambda: json.dumps(compute(), ensure_ascii=False), version)
        answer = Response(body, mimetype="application/geo+json")
    answer.set_etag(etag)
    # Kept by the browser, checked again at each use: a change shows at once.
    answer.headers["Cache-Control"] = "private, no-cache"
    return answer
