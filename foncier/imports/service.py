"""Import a spreadsheet into a registry: dry run, all-or-nothing, or only the valid rows.

Each row goes through the same use cases as the forms and the API (same schema, same rules),
inside one transaction with a savepoint per row. Rows are matched on (source, ref): importing
the same file twice updates, never duplicates. An empty cell means "not given": it never
erases what is already known.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from shapely import Point
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.db import transaction
from foncier.errors import FoncierError, InvalidInput
from foncier.exports import csv_cell
from foncier.geocoding import AddressLocator, GeocodeResult, GeocodingUnavailable
from foncier.imports.links import Communes, linked_id
from foncier.imports.parse import ParsedRow, ParsedTable, parse_table
from foncier.registry import service
from foncier.registry.kinds import Kind

DEFAULT_PREFIX = "import"
QUOTED = re.compile(r"^« .*? » : ")
# Cells that are not plain values of the record: location, links, the zone's geometry.
SPECIAL = {"lon", "lat", "geometry", "ref", "acteur_ref", "zone_souhaitee", "zone_souhaitee_wkt"}
Progress = Callable[[Iterable[ParsedRow]], Iterable[ParsedRow]]


class Outcome(StrEnum):
    """What an import did with a row; the value is what users read."""

    CREATED = "créé"
    UPDATED = "mis à jour"
    UNCHANGED = "inchangé"
    REJECTED = "rejeté"


@dataclass
class RowOutcome:
    line: int
    ref: str | None
    action: Outcome
    errors: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    geometry: BaseGeometry | None = None  # from a GeoJSON or GeoPackage file


@dataclass
class ImportReport:
    kind: str
    source: str
    mapping: dict[str, str | None]
    unknown_headers: list[str]
    rows: list[RowOutcome] = field(default_factory=list)
    written: bool = False
    rejects_file: Path | None = None

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def counts(self) -> dict[Outcome, int]:
        return {outcome: self.count(outcome) for outcome in Outcome}

    @property
    def rejected(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.action == Outcome.REJECTED]


class _Abort(Exception):
    """Rolls the whole import back (dry run, or a bad row without --skip-invalid)."""


def import_file(
    session: Session,
    kind: Kind,
    path: Path,
    user: str,
    *,
    source: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    mapping_fix: dict[str, str | None] | None = None,
    geocoder: AddressLocator | None = None,
    progress: Progress | None = None,
    defaults: dict[str, str] | None = None,
    parse: Callable[..., ParsedTable] = parse_table,
) -> ImportReport:
    """``parse`` reads the file: the web passes one that runs in a parser process."""
    parsed = parse(path, kind.name, mapping_fix, defaults)
    source = source or source_of(path)
    report = ImportReport(kind.name, source, parsed.mapping, parsed.unknown_headers)
    geocoder = Breaker(geocoder) if geocoder is not None else None
    try:
        with transaction(session, user):
            _import_rows(session, kind, parsed, report, source, geocoder, progress)
            if dry_run or (report.rejected and not skip_invalid):
                raise _Abort
        report.written = True
    except _Abort:
        report.written = False
    if report.written and report.rejected:
        report.rejects_file = write_rejects(path, parsed, report.rejected)
    return report


def _import_rows(
    session: Session,
    kind: Kind,
    parsed: ParsedTable,
    report: ImportReport,
    source: str,
    geocoder: AddressLocator | None,
    progress: Progress | None,
) -> None:
    seen: dict[str, int] = {}
    rows = progress(parsed.rows) if progress else parsed.rows
    places = Communes(session)
    for row in rows:
        outcome = _import_row(session, kind, row, source, geocoder, seen, parsed.mapping, places)
        report.rows.append(outcome)


def _import_row(
    session: Session,
    kind: Kind,
    row: ParsedRow,
    source: str,
    geocoder: AddressLocator | None,
    seen: dict[str, int],
    mapping: dict[str, str | None],
    places: Communes,
) -> RowOutcome:
    ref = row.values.get("ref") or _derived_ref(kind, row.values)
    source = row.values.get("source") or source  # an exported file names each row's source
    outcome = RowOutcome(
        row.line, ref, Outcome.REJECTED, list(row.errors), row.raw, row.values.get("geometry")
    )
    key = f"{source}/{ref}"
    if key in seen:
        outcome.errors.append(f"Référence « {ref} » déjà vue ligne {seen[key]} de ce fichier.")
    seen.setdefault(key, row.line)
    if outcome.errors:
        return outcome
    try:
        with session.begin_nested():
            payload = _payload(session, kind, row.values, source, ref, places)
            outcome.action = _write(session, kind, payload, source, ref, geocoder)
    except FoncierError as error:
        outcome.errors = _messages(error, row, mapping)
    return outcome


def _write(
    session: Session,
    kind: Kind,
    payload: dict[str, Any],
    source: str,
    ref: str,
    geocoder: AddressLocator | None,
) -> Outcome:
    model: Any = kind.model
    existing = session.scalars(
        select(model).where(model.source == source, model.ref == ref)
    ).one_or_none()
    if existing is None:
        service.create_in(session, kind, payload, geocoder)
        return Outcome.CREATED
    before = existing.version
    payload = {k: v for k, v in payload.items() if k not in ("source", "ref")}
    after = service.update_in(session, kind, existing, {**payload, "version": before}, geocoder)
    return Outcome.UNCHANGED if after["version"] == before else Outcome.UPDATED


def _payload(
    session: Session, kind: Kind, values: dict[str, Any], source: str, ref: str, places: Communes
) -> dict[str, Any]:
    """Typed cells to the JSON-like input every use case validates."""
    payload: dict[str, Any] = {"source": source, "ref": ref}
    for name, value in values.items():
        if value is None or name in SPECIAL or name == "source":
            continue
        payload[name] = value.isoformat() if isinstance(value, date) else value
    _place(values, payload)
    zone = values.get("zone_souhaitee") or values.get("zone_souhaitee_wkt")
    if zone is not None:
        payload["zone_souhaitee"] = dict(mapping(zone))
    for link in kind.links:
        if values.get(link.ref_field):
            payload[link.id_field] = linked_id(session, link, values[link.ref_field], source)
    if values.get("communes_souhaitees"):
        payload["communes_souhaitees"] = places.codes(
            "communes_souhaitees", values["communes_souhaitees"]
        )
    return payload


def _place(values: dict[str, Any], payload: dict[str, Any]) -> None:
    geometry = values.get("geometry")
    if geometry is not None and geometry.geom_type in ("Polygon", "MultiPolygon"):
        payload["zone_souhaitee"] = dict(mapping(geometry))
    elif geometry is not None:
        payload["geometry"] = dict(mapping(geometry))
    elif values.get("lon") is not None and values.get("lat") is not None:
        payload["geometry"] = dict(mapping(Point(values["lon"], values["lat"])))


def source_of(path: Path) -> str:
    """By default a file's references live in a namespace of its own (its name): two files
    numbering their rows 1, 2, 3 never overwrite each other's records."""
    stem = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "fichier"
    return f"{DEFAULT_PREFIX}:{slug}"[:64]


class Breaker:
    """After the geocoder's first outage, the other rows wait "à géocoder" without calling it:
    an import must not wait for a timeout per row."""

    def __init__(self, geocoder: AddressLocator) -> None:
        self._geocoder = geocoder
        self._down: GeocodingUnavailable | None = None

    def geocode(self, address: str) -> GeocodeResult | None:
        if self._down is not None:
            raise self._down
        try:
            return self._geocoder.geocode(address)
        except GeocodingUnavailable as error:
            self._down = error
            raise


def _derived_ref(kind: Kind, values: dict[str, Any]) -> str:
    """Without a reference column, a stable one from what identifies the record."""
    identity = next((values[k] for k in kind.identity if values.get(k)), None)
    if identity:
        return str(identity)
    text = "|".join(_key_part(values.get(k)) for k in kind.ref_keys)
    return f"{kind.ref_prefix}-H{hashlib.sha256(text.encode()).hexdigest()[:10].upper()}"


def _key_part(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.5f}"
    return "" if value is None else str(value).strip().casefold()


def _messages(error: FoncierError, row: ParsedRow, mapping: dict[str, str | None]) -> list[str]:
    """Name the column and quote the cell as the user typed it, not as it was parsed."""
    if not (isinstance(error, InvalidInput) and error.errors):
        return [error.message]
    headers = {target: header for header, target in mapping.items() if target}
    found = []
    for name, texts in error.errors.items():
        header = headers.get(name.split("[")[0])
        raw = row.raw.get(header) if header else None
        prefix = f"Colonne « {header} » ({name}) : " if header else f"{name} : "
        for text in texts:
            shown = QUOTED.sub(f"« {raw} » : ", text, count=1) if raw not in (None, "") else text
            found.append(prefix + shown)
    return found


def write_rejects(path: Path, parsed: ParsedTable, rejected: list[RowOutcome]) -> Path:
    """The rejected rows as they were, plus their reasons: ready to correct and re-import.

    Numbers keep every digit (a Lambert-93 y is 7 digits long), and the geometry of a
    geographic file comes as lon/lat or WKT columns that the reader maps back.
    """
    target = path.with_name(f"{path.stem}.rejets.csv")
    with_geometry = any(row.geometry is not None for row in rejected)
    extra = ["lon", "lat", "zone_souhaitee_wkt"] if with_geometry else []
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([*parsed.mapping, *extra, "erreurs"])
        for row in rejected:
            cells = [csv_cell(row.raw.get(h)) for h in parsed.mapping]
            place = _geometry_cells(row.geometry) if with_geometry else []
            writer.writerow([*cells, *place, " | ".join(row.errors)])
    return target


def _geometry_cells(geometry: BaseGeometry | None) -> list[str]:
    if geometry is None:
        return ["", "", ""]
    if isinstance(geometry, Point):
        return [csv_cell(geometry.x), csv_cell(geometry.y), ""]
    return ["", "", geometry.wkt]
