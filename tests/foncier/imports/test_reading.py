from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import Point, Polygon

from foncier.errors import InvalidInput
from foncier.geo import to_store
from foncier.imports.reading import read_table
from tests.foncier.imports.files import (
    BASTIDE,
    CHARTRONS,
    NBSP,
    PREMISES_HEADER,
    PREMISES_ROWS,
    write_csv,
    write_geographic,
    write_xlsx,
)


def test_a_windows_csv_with_semicolons_keeps_its_text_and_line_numbers(tmp_path: Path) -> None:
    table = read_table(write_csv(tmp_path / "locaux.csv", PREMISES_ROWS))
    assert table.headers == PREMISES_HEADER
    assert [row.line for row in table.rows] == [2, 3, 5]  # line 4 is blank
    second = table.rows[1].cells
    assert second["Surface (m²)"] == f"1{NBSP}250,5"
    assert second["Commentaire libre"] == "Près du tram"
    assert table.rows[0].cells["Commentaire libre"] is None
    assert all(row.geometry is None for row in table.rows)


def test_utf8_with_bom_and_commas_reads_the_same(tmp_path: Path) -> None:
    windows = read_table(write_csv(tmp_path / "a.csv", PREMISES_ROWS))
    utf8 = read_table(
        write_csv(tmp_path / "b.csv", PREMISES_ROWS, delimiter=",", encoding="utf-8-sig")
    )
    assert utf8.headers == windows.headers
    assert utf8.rows == windows.rows


def test_tabs_trailing_separators_and_repeated_headers(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Ref\tSurface\tSurface\t\nA\t12\t13\t\n", encoding="utf-8")
    table = read_table(path)
    assert table.headers == ["Ref", "Surface", "Surface (2)"]
    assert table.rows[0].cells == {"Ref": "A", "Surface": "12", "Surface (2)": "13"}


def test_a_nameless_column_with_data_is_kept_under_its_position(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Ref;;Nom\nA;x;B\n", encoding="utf-8")
    assert read_table(path).headers == ["Ref", "Colonne 2", "Nom"]


def test_xlsx_keeps_typed_cells(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["Réf.", "Surface", "Disponible le", "PMR", "Loyer"],
        ["L-010", 85.5, datetime(2026, 5, 1), True, 60],
        [],
        ["L-011", "1 250,50 m²", "01/06/2026", "Oui", None],
    ]
    table = read_table(write_xlsx(tmp_path / "locaux.xlsx", rows))
    assert table.headers == ["Réf.", "Surface", "Disponible le", "PMR", "Loyer"]
    assert [row.line for row in table.rows] == [2, 4]
    assert table.rows[0].cells == {
        "Réf.": "L-010",
        "Surface": 85.5,
        "Disponible le": datetime(2026, 5, 1),
        "PMR": True,
        "Loyer": 60,
    }
    assert table.rows[1].cells["Loyer"] is None


def test_geojson_in_wgs84_keeps_attributes_and_points(tmp_path: Path) -> None:
    path = write_geographic(
        tmp_path / "locaux.geojson",
        [{"ref": "G-1", "surface": 120.0}, {"ref": "G-2", "surface": None}],
        [Point(BASTIDE), Point(CHARTRONS)],
        crs=4326,
    )
    table = read_table(path)
    assert table.headers == ["ref", "surface"]
    assert [row.line for row in table.rows] == [1, 2]
    assert table.rows[0].cells == {"ref": "G-1", "surface": 120.0}
    assert table.rows[1].cells["surface"] is None
    assert table.rows[0].geometry is not None
    assert table.rows[0].geometry.equals_exact(Point(BASTIDE), 1e-9)


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_a_lambert93_layer_is_reprojected_to_wgs84(tmp_path: Path, suffix: str) -> None:
    zone = Polygon([(-0.58, 44.83), (-0.56, 44.83), (-0.56, 44.85)])
    path = write_geographic(
        tmp_path / f"besoins{suffix}",
        [{"ref": "B-1"}, {"ref": "B-2"}],
        [to_store(Point(BASTIDE)), to_store(zone)],
        crs=2154,
    )
    table = read_table(path)
    point, polygon = (row.geometry for row in table.rows)
    assert point is not None and point.equals_exact(Point(BASTIDE), 1e-7)
    assert polygon is not None and polygon.equals_exact(zone, 1e-7)


@pytest.mark.parametrize("name", ["locaux.ods", "locaux.xls", "locaux"])
def test_an_unsupported_format_names_the_file_and_the_allowed_ones(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(b"x")
    with pytest.raises(InvalidInput) as error:
        read_table(path)
    assert error.value.message == (
        f"Format de fichier non pris en charge : « {name} » ; "
        "formats permis : .csv, .xlsx, .geojson, .json, .gpkg."
    )


@pytest.mark.parametrize("name", ["locaux.xlsx", "locaux.geojson", "locaux.gpkg"])
def test_an_unreadable_file_is_invalid_input(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"ceci n'est pas un classeur")
    with pytest.raises(InvalidInput, match=re.escape(f"Le fichier « {name} » est illisible")):
        read_table(path)


def test_a_missing_or_empty_file_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=re.escape("Fichier introuvable : « absent.csv »")):
        read_table(tmp_path / "absent.csv")
    empty = tmp_path / "vide.csv"
    empty.write_text("\n;;\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=re.escape("« vide.csv » est vide")):
        read_table(empty)
