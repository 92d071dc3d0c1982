"""The bounds of every input, in one place: forms, API, imports and scenario files share them.

Each bound is far above what a real user sends, and low enough that one request can neither
fill the server's memory nor hold its processor for long. A value beyond a bound is refused
with a French 413 or 422 *before* the heavy work (unpacking, parsing, geometry checks).
"""

from __future__ import annotations

import reprlib
from datetime import date

# ---- requests and uploaded files ------------------------------------------------------------
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # one spreadsheet or GIS file, as sent
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # an archive's members (XLSX, zipped shapefile), unpacked
MAX_ARCHIVE_MEMBERS = 200  # a shapefile has 3 to 8 files; a workbook a few dozen parts
MAX_JSON_DEPTH = 64  # a GeoJSON MultiPolygon nests 4 lists; a scenario document ~6 levels
MAX_IMPORT_ROWS = 20_000  # ten times the Métropole's premises
MAX_IMPORT_COLUMNS = 200
# An uploaded file is parsed in a parser process (foncier/files/isolated.py): its memory
# beyond the parser's own size, and its time, are bounded there.
MAX_PARSE_MEMORY_BYTES = 1024 * 1024 * 1024
PARSE_TIMEOUT_S = 60

# ---- scenario documents ---------------------------------------------------------------------
MAX_DOCUMENT_BYTES = 1024 * 1024  # a scenario is a page of YAML, its perimeter included
MAX_DOCUMENT_NODES = 100_000  # values once YAML aliases are expanded ("billion laughs")
MAX_LOTS = 500

# ---- geometries -----------------------------------------------------------------------------
MAX_VERTICES = 5_000  # per geometry: a wished zone drawn by clicks has tens
MAX_FILE_VERTICES = 50_000  # a whole perimeter file, before its polygons are merged
# In a history row, a geometry's GeoJSON beyond this is stored simplified (migration 0012):
# the exact current one stays in its table, the history keeps each version's shape.
MAX_HISTORY_GEOMETRY_BYTES = 16 * 1024

# ---- values ---------------------------------------------------------------------------------
MAX_NAME_LENGTH = 200
MAX_ADDRESS_LENGTH = 300
MAX_TEXT_LENGTH = 5_000  # descriptions: a few paragraphs
MAX_LIST_ITEMS = 100  # codes in a list (communes, kinds, features)
MIN_AREA_M2 = 1.0  # below, a typing slip (or 3.5e-304)
MAX_AREA_M2 = 5_000_000.0  # 500 ha: the largest brownfield of the Métropole is 117 ha
MAX_PRICE_EUR_M2 = 1_000_000.0  # rents, charges, prices and budgets per m²
MAX_DISTANCE_M = 200_000.0  # beyond the Gironde
MAX_HEADCOUNT = 1_000_000
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2100, 12, 31)

# ---- replies --------------------------------------------------------------------------------
QUOTED_CHARS = 80  # an error quotes a bad value cut to this length


# Containers are quoted through reprlib: ``str`` of a 100,000-vertex zone would be built in full.
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxstring = 3, 4, 4, QUOTED_CHARS


def shortened(value: object, limit: int = QUOTED_CHARS) -> str:
    """The value as text, cut short with an ellipsis: a 10 MB name never fills a reply."""
    containers = list | dict | tuple | set
    text = _REPR.repr(value) if isinstance(value, containers) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_bytes(size: int) -> str:
    """A size in French units with a decimal comma: « 20 Mo »."""
    megabytes = size / (1024 * 1024)
    return f"{megabytes:.0f} Mo" if megabytes >= 1 else f"{size / 1024:.0f} Ko"


def grouped(number: int) -> str:
    """An integer with French digit groups: « 5 000 »."""
    return f"{number:,}".replace(",", "\u202f")
