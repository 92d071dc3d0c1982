"""Files as agents keep them (CSV, XLSX, GeoJSON, GeoPackage) read into one raw table.

Cells stay as the file gives them: text from CSV, typed values from XLSX and geographic files.
Reading guesses nothing about what a cell means; ``values`` parses them.
"""

from __future__ import annotations

import csv
import io
import math
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException
from shapely.geometry.base import BaseGeometry

from foncier import limits
from foncier.errors import InvalidInput, TooLarge
from foncier.files.text import MixedEncodings, decoded
from foncier.files.vector import UnreadableFile, check_archive_size, read_vector_file
from foncier.geo import WGS84_SRID

ALLOWED_FORMATS = (".csv", ".xlsx", ".geojson", ".json", ".gpkg")
_SEPARATORS = (";", ",", "\t")  # on a tie the French one wins
_SNIFFED_LINES = 50


@dataclass(frozen=True)
class RawRow:
    """One row as read. ``line`` is the spreadsheet line (the header is line 1) or, in a
    geographic file, the feature's position counted from 1."""

    line: int
    cells: dict[str, Any]  # header → cell, None when empty
    geometry: BaseGeometry | None = None  # WGS84


@dataclass(frozen=True)
class RawTable:
    path: Path
    headers: list[str]
    rows: list[RawRow] = field(default_factory=list)


def read_table(path: Path) -> RawTable:
    """Read a CSV, XLSX, GeoJSON or GeoPackage file; raise ``InvalidInput`` if it cannot be."""
    readers: dict[str, Callable[[Path], RawTable]] = {
        ".csv": _read_csv,
        ".xlsx": _read_xlsx,
        ".geojson": _read_geographic,
        ".json": _read_geographic,
        ".gpkg": _read_geographic,
    }
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise InvalidInput(
            f"Format de fichier non pris en charge : « {path.name} » ; "
            f"formats permis : {', '.join(ALLOWED_FORMATS)}."
        )
    if not path.is_file():
        raise InvalidInput(f"Fichier introuvable : « {path.name} ».")
    return reader(path)


def _unreadable(path: Path, reason: str, detail: str | None = None) -> InvalidInput:
    return InvalidInput(
        f"Le fichier « {path.name} » est illisible ({reason}) ; formats permis : "
        f"{', '.join(ALLOWED_FORMATS)}.",
        detail=f"{path}: {detail or reason}",
    )


# ---- Records to table ---------------------------------------------------------------------


def _clean(cell: Any) -> Any:
    """Empty text and NaN are missing; text loses its surrounding spaces."""
    if isinstance(cell, str):
        return cell.strip() or None
    if isinstance(cell, float) and math.isnan(cell):
        return None
    return cell


def _unique_headers(cells: dict[int, Any]) -> list[str]:
    """Header texts by column position; a nameless column is named after its position and a
    repeated name gets a suffix in brackets (so it still maps, and is reported as a double)."""
    headers: list[str] = []
    for position, cell in cells.items():
        name = str(cell).strip() if cell is not None else f"Colonne {position}"
        candidate, copy = name, 1
        while candidate in headers:
            copy += 1
            candidate = f"{name} ({copy})"
        headers.append(candidate)
    return headers


def _padded(cells: list[Any], width: int) -> list[Any]:
    return [*cells, *[None] * (width - len(cells))]


def _bounded(
    path: Path, numbered: Iterable[tuple[int, Sequence[Any]]]
) -> Iterator[tuple[int, Sequence[Any]]]:
    """Records up to the bounds of ``foncier.limits``, read lazily: a spreadsheet of a million
    rows is refused at row 20,001, not once it is all in memory."""
    most_rows = limits.MAX_IMPORT_ROWS + 1  # the header line too
    for line, record in numbered:
        if line > most_rows:
            raise TooLarge(
                f"« {path.name} » : plus de {limits.grouped(limits.MAX_IMPORT_ROWS)} lignes ;"
                " découpez le fichier."
            )
        if len(record) > limits.MAX_IMPORT_COLUMNS:
            raise TooLarge(
                f"« {path.name} », ligne {line} : {limits.grouped(len(record))} colonnes ;"
                f" au plus {limits.MAX_IMPORT_COLUMNS}."
            )
        yield line, record


def _table_from_records(path: Path, records: Iterable[Sequence[Any]]) -> RawTable:
    """First non-blank record is the header; blank records are skipped but keep their line."""
    numbered = (
        (line, [_clean(cell) for cell in record])
        for line, record in _bounded(path, enumerate(records, start=1))
    )
    filled = [(line, cells) for line, cells in numbered if any(c is not None for c in cells)]
    if not filled:
        raise InvalidInput(f"Le fichier « {path.name} » est vide : aucune ligne d'en-tête.")
    width = max(len(cells) for _, cells in filled)
    header_cells = _padded(filled[0][1], width)
    data = [(line, _padded(cells, width)) for line, cells in filled[1:]]
    # Trailing separators make nameless empty columns: noise, not unknown headers.
    kept = [
        index
        for index in range(width)
        if header_cells[index] is not None or any(cells[index] is not None for _, cells in data)
    ]
    headers = _unique_headers({index + 1: header_cells[index] for index in kept})
    rows = [
        RawRow(line, {header: cells[index] for header, index in zip(headers, kept, strict=True)})
        for line, cells in data
    ]
    return RawTable(path, headers, rows)


# ---- CSV ----------------------------------------------------------------------------------


def _decode(path: Path, content: bytes) -> str:
    """UTF-8 (with or without BOM) first, then what Excel on Windows writes."""
    try:
        return decoded(content, path.name)
    except MixedEncodings:
        raise
    except InvalidInput:
        raise _unreadable(path, "encodage inconnu : attendu UTF-8 ou Windows-1252") from None


def _separator(text: str) -> str:
    """The separator that gives the most lines as wide as the header (at least two columns)."""
    lines = [line for line in text.splitlines()[:_SNIFFED_LINES] if line.strip()]

    def consistency(separator: str) -> tuple[int, int]:
        widths = [len(record) for record in csv.reader(lines, delimiter=separator)]
        if not widths or widths[0] < 2:
            return (0, 0)
        return (widths.count(widths[0]), widths[0])

    return max(_SEPARATORS, key=consistency)


def _read_csv(path: Path) -> RawTable:
    try:
        content = path.read_bytes()
    except OSError as error:
        raise _unreadable(path, error.strerror or "lecture impossible") from error
    text = _decode(path, content)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))
    try:
        return _table_from_records(path, records)
    except csv.Error as error:
        raise _unreadable(path, f"CSV mal formé : {error}") from error


# ---- XLSX ---------------------------------------------------------------------------------


def _read_xlsx(path: Path) -> RawTable:
    """First sheet, typed cells kept (numbers, dates, booleans), formulas as their last value."""
    try:
        with zipfile.ZipFile(path) as archive:
            check_archive_size(path, archive)  # before openpyxl unpacks anything (zip bombs)
        with warnings.catch_warnings():
            # openpyxl warns about the Excel extensions it drops (validation, styles); harmless.
            warnings.simplefilter("ignore")
            # Read-only streams the rows, so that the row bound stops a huge sheet early.
            workbook = openpyxl.load_workbook(path, data_only=True, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise _unreadable(path, "classeur XLSX invalide") from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # a declared A1:XFD1048576 would pad every row
        return _table_from_records(path, sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


# ---- GeoJSON and GeoPackage ---------------------------------------------------------------


def _read_geographic(path: Path) -> RawTable:
    """First layer; attributes as columns, geometries reprojected to WGS84.

    Read by ``foncier.files.vector``, which keeps GDAL from following what the content names.
    """
    expected = "un GeoJSON (.geojson, .json) ou un GeoPackage (.gpkg)"
    try:
        frame = read_vector_file(path, expected=expected)
    except UnreadableFile as error:
        raise _unreadable(path, error.reason, error.detail) from None
    if frame.crs is not None and frame.crs.to_epsg() != WGS84_SRID:
        frame = frame.to_crs(WGS84_SRID)
    headers = [str(column) for column in frame.columns if column != frame.geometry.name]
    rows = [
        RawRow(
            position,
            {header: _python_value(record[header]) for header in headers},
            None if geometry is None or geometry.is_empty else geometry,
        )
        for position, (record, geometry) in enumerate(
            zip(frame[headers].to_dict("records"), frame.geometry, strict=True), start=1
        )
    ]
    return RawTable(path, headers, rows)


def _python_value(value: Any) -> Any:
    """Plain Python values from what pandas holds: no NaN, NaT, numpy scalars or Timestamps."""
    if isinstance(value, np.ndarray):
        return [_python_value(item) for item in value.tolist()]
    if isinstance(value, list):
        return [_python_value(item) for item in value]
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        value = value.item()
    return _clean(value)
