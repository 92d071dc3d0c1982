"""Quarterly index series (ILAT, ILC) as INSEE publishes them, read from a CSV file.

INSEE's download ("séries chronologiques", BDM) has a few header lines (Libellé, idBank,
Dernière mise à jour, Période) and then one line per quarter, e.g. ``"2024-T1";"135.13";"A"``.
A planner's own sheet with a quarter column and a value column reads the same way: every line
whose first cell is a quarter and second a number is kept, the rest ignored.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from foncier.errors import InvalidInput
from foncier.files.text import decoded
from foncier.french import read_number
from matching.pricecap.indexation import parse_quarter


def read_index_series(path: Path) -> dict[str, float]:
    """{'2024-T1': 135.13, …} in quarter order; at least two quarters."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"« {path.name} » : fichier illisible ({exc.strerror}).") from None
    return parse_index_series(decoded(raw, path.name), path.name)


def parse_index_series(text: str, name: str = "série") -> dict[str, float]:
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,\t") if text.strip() else csv.excel
    found: dict[str, float] = {}
    for row in csv.reader(io.StringIO(text), dialect):
        point = _point(row)
        if point is not None:
            found[point[0]] = point[1]
    if len(found) < 2:
        raise InvalidInput(
            f"« {name} » : aucune série trimestrielle lue ; attendu des lignes "
            "« 2024-T1;135,13 » (trimestre ; valeur), comme les exports de l'INSEE."
        )
    ordered = sorted(found, key=parse_quarter)
    return {quarter: found[quarter] for quarter in ordered}


def _point(row: list[str]) -> tuple[str, float] | None:
    if len(row) < 2:
        return None
    try:
        quarter = parse_quarter(row[0].strip())
        value = read_number(row[1])
    except ValueError:
        return None
    return (f"{quarter.year}-T{quarter.quarter}", value) if value > 0 else None
