"""Files as AIS agents send them, written into a test's temporary folder."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas
import openpyxl
from shapely.geometry.base import BaseGeometry

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, what recent French locales group thousands with

PREMISES_HEADER = [
    "Référence",
    "Nom",
    "Type de local",
    "Surface (m²)",
    "Loyer HT HC (€/m²/an)",
    "Date de disponibilité",
    "Accessible PMR",
    "Longitude",
    "Latitude",
    "Commentaire libre",
]
# Line 1 is the header, line 4 is blank, line 5 has a bad cell in most columns.
PREMISES_ROWS: list[list[str]] = [
    PREMISES_HEADER,
    ["L-001", "Atelier Bastide", "Atelier", "120", "45,50",
     "01/03/2026", "oui", "-0,5547", "44,8412", ""],
    ["L-002", "Bureaux Chartrons", "Bureaux", f"1{NBSP}250,5", "180 €",
     "15/04/2026", "non", "-0,5710", "44,8560", "Près du tram"],
    [],
    ["L-003", "Plateau Bacalan", "bureaux-open", "cent", "95",
     "31/02/2026", "peut-être", "-0,5612", "44,8755", ""],
]  # fmt: skip

BASTIDE = (-0.5547, 44.8412)
CHARTRONS = (-0.5710, 44.8560)


def write_csv(
    path: Path, rows: Sequence[Sequence[Any]], *, delimiter: str = ";", encoding: str = "cp1252"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as file:
        csv.writer(file, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def write_geographic(
    path: Path, records: list[dict[str, Any]], geometries: list[BaseGeometry], crs: int
) -> Path:
    """A GeoJSON or GeoPackage (after the suffix) in the given CRS."""
    geopandas.GeoDataFrame(records, geometry=geometries, crs=crs).to_file(path)
    return path
