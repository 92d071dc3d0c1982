"""Send an export of a filtered list as a download (pages and API alike)."""

from __future__ import annotations

import mimetypes
import tempfile
from pathlib import Path
from typing import Any

from flask import Response

from foncier.exports import export_records
from foncier.registry import Kind
from web import store

EXPORT_FORMATS = ("csv", "xlsx", "geojson", "gpkg")
TYPES = {"geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3"}


def export_response(kind: Kind, extension: str, filters: dict[str, Any]) -> Response:
    """Written to a private temporary folder, then sent from memory: a list of the
    Métropole's records weighs a few megabytes, and no file handle outlives the request."""
    name = f"{kind.segment}.{extension}"
    with tempfile.TemporaryDirectory(prefix="export-") as folder:
        path = Path(folder) / name
        export_records(store.session(), kind, path, filters)
        content = path.read_bytes()
    mimetype = TYPES.get(extension) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Response(
        content,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
