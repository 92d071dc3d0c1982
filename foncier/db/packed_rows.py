"""Rows of a query straight into numpy, packed as binary by PostgreSQL itself.

Millions of candidate pairs fit neither as Python tuples (a tuple and a boxed value per field)
nor through COPY (one message, hence one Python call, per row). Instead each row is packed
server-side into fixed-width big-endian bytes (``int4send(a) || float8send(b) || ...``), the
rows are aggregated into one ``bytea``, and numpy reads it in place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

# Per SQL type: its binary send function and numpy's reading of what it sends.
_WIRE = {"int4": ("int4send", ">i4"), "float8": ("float8send", ">f8"), "bool": ("boolsend", "?")}


def record_dtype(fields: Mapping[str, str]) -> np.dtype[np.void]:
    """The structured dtype :func:`packed_records` returns for ``fields``."""
    return np.dtype(
        [(name, np.dtype(_WIRE[kind][1]).newbyteorder("=")) for name, kind in fields.items()]
    )


def packed_records(
    session: Session, query: str, params: Mapping[str, Any], fields: Mapping[str, str]
) -> np.ndarray:
    """The rows of ``query`` (psycopg placeholders), run in the session's transaction.

    ``fields`` names each output column of the query and its SQL type (int4, float8, bool);
    none may be NULL. Returns a structured array of those fields, in native byte order.
    """
    packing = " || ".join(f"{_WIRE[kind][0]}(r.{name})" for name, kind in fields.items())
    statement = f"SELECT count(*), string_agg({packing}, ''::bytea) FROM ({query}) r"
    connection = session.connection().connection.driver_connection
    if connection is None:  # a closed connection: SQLAlchemy reconnects on the next use
        raise RuntimeError("connexion à la base fermée")
    with connection.cursor(binary=True) as cursor:
        count, packed = cursor.execute(statement, params).fetchone()
    wire = np.dtype([(name, _WIRE[kind][1]) for name, kind in fields.items()])
    records = np.frombuffer(packed or b"", dtype=wire)
    if len(records) != count:  # a NULL field drops its whole row from string_agg
        raise ValueError(f"{count - len(records)} lignes avec un champ NULL")
    return records.astype(record_dtype(fields))
