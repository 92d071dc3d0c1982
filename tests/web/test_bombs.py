"""Hostile uploads (alias, zip and vertex bombs) get a French 413 or 422 in bounded memory.

Each bomb is posted by a child process under an address-space limit (``tests.bounded``): a
probe of the YAML case once took 23.9 GB before the kernel killed the server.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from flask import Flask

from foncier import limits
from tests.bounded import APP_CLIENT, run_bounded

# Nine levels of nine aliases: 9**9 = 387 million strings once expanded, in 351 bytes.
YAML_BOMB = "\n".join(
    [
        'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)),
        "perimeter: *a8",
        "lots: *a8",
    ]
)


def _post(
    db_url: dict[str, str], tmp_path: Path, request: str, role: str = "agent"
) -> dict[str, object]:
    """``request`` run by a child app on the test database, signed in with ``role``."""
    return run_bounded(
        APP_CLIENT + request,
        **db_url,
        TEST_ROLE=role,
        TEST_UPLOAD_DIR=str(tmp_path / "depots"),
        BOMB=str(tmp_path),
    )


@pytest.fixture
def db_url(app: Flask, empty_db: str) -> dict[str, str]:
    """The test database and its accounts (created with the session's app), for a child."""
    return {
        "TEST_DATABASE_URL": empty_db,
        "TEST_ACCOUNTS": json.dumps(app.config["TEST_ACCOUNTS"]),
    }


def test_yaml_alias_bomb_is_refused_before_expansion(
    db_url: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "bombe.yaml").write_text(YAML_BOMB)
    assert len(YAML_BOMB) < 600
    reply = _post(
        db_url,
        tmp_path,
        """
with open(os.environ["BOMB"] + "/bombe.yaml", "rb") as handle:
    report(client.post("/scenarios/", data={"scenario": (handle, "bombe.yaml")}))
""",
        role="planificateur",
    )
    assert reply["status"] == 413, reply
    assert "alias YAML" in str(reply["body"])


def _shapefile_bomb(path: Path, vertices: int) -> None:
    """A .shp announcing ``vertices`` vertices of zeros: megabytes zipped, gigabytes read."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("perimetre.shp", "w", force_zip64=True) as shp:
            shp.write((9994).to_bytes(4, "big") + bytes(96))
            chunk = bytes(16 * 100_000)
            for _ in range(vertices // 100_000):
                shp.write(chunk)
        archive.writestr("perimetre.shx", (9994).to_bytes(4, "big") + bytes(96))
        archive.writestr("perimetre.dbf", bytes(33))


def test_zipped_shapefile_bomb_is_refused_unread(db_url: dict[str, str], tmp_path: Path) -> None:
    _shapefile_bomb(tmp_path / "perimetre.zip", 10_000_000)
    assert (tmp_path / "perimetre.zip").stat().st_size < 2_000_000
    reply = _post(
        db_url,
        tmp_path,
        """
with open(os.environ["BOMB"] + "/perimetre.zip", "rb") as handle:
    report(client.post("/scenarios/", data={"perimetre": (handle, "perimetre.zip")}))
""",
        role="planificateur",
    )
    assert reply["status"] == 413, reply
    assert "décompressé" in str(reply["body"])


def test_shapefile_with_too_many_vertices_is_refused_unread(tmp_path: Path) -> None:
    """Under the unpacked bound, the .shp's size still bounds its vertices."""
    from foncier.errors import TooLarge
    from foncier.scenarios.perimeter import read_perimeter

    _shapefile_bomb(tmp_path / "perimetre.zip", 2 * limits.MAX_FILE_VERTICES + 100_000)
    with pytest.raises(TooLarge, match="sommets"):
        read_perimeter(tmp_path / "perimetre.zip")


def _xlsx_bomb(path: Path, unpacked_mb: int) -> None:
    """A real workbook whose sheet is replaced by ``unpacked_mb`` MB of repeated rows."""
    small = path.with_name("petit.xlsx")
    workbook = openpyxl.Workbook()
    workbook.worksheets[0].append(["nom", "surface_m2"])
    workbook.save(small)
    row = b'<row><c t="inlineStr"><is><t>Atelier</t></is></c><c><v>120</v></c></row>' * 1000
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                out.writestr(item, source.read(item))
                continue
            with out.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxml')
                sheet.write(b'formats.org/spreadsheetml/2006/main"><sheetData>')
                for _ in range(unpacked_mb * 1024 * 1024 // len(row)):
                    sheet.write(row)
                sheet.write(b"</sheetData></worksheet>")


def test_xlsx_zip_bomb_is_refused_unread(db_url: dict[str, str], tmp_path: Path) -> None:
    _xlsx_bomb(tmp_path / "locaux.xlsx", 900)
    assert (tmp_path / "locaux.xlsx").stat().st_size < 10_000_000
    reply = _post(
        db_url,
        tmp_path,
        """
with open(os.environ["BOMB"] + "/locaux.xlsx", "rb") as handle:
    report(client.post("/import/", data={"fichier": (handle, "locaux.xlsx"), "kind": "premises"}))
""",
    )
    assert reply["status"] == 413, reply
    assert "décompressé" in str(reply["body"])


def test_xlsx_with_too_many_rows_stops_at_the_bound(tmp_path: Path) -> None:
    """Under the unpacked bound, rows are streamed and the 20,001st stops the reading."""
    from foncier.errors import TooLarge
    from foncier.imports.reading import read_table

    _xlsx_bomb(tmp_path / "locaux.xlsx", 3)  # about 43,000 rows
    with pytest.raises(TooLarge, match="lignes"):
        read_table(tmp_path / "locaux.xlsx")


def _ring(vertices: int) -> list[list[float]]:
    """A star-shaped ring around Bordeaux with ``vertices`` vertices, closed."""
    import math

    points = [
        [
            -0.57 + (0.01 + 0.005 * (i % 2)) * math.cos(2 * math.pi * i / vertices),
            44.84 + (0.01 + 0.005 * (i % 2)) * math.sin(2 * math.pi * i / vertices),
        ]
        for i in range(vertices)
    ]
    return [*points, points[0]]


@pytest.mark.parametrize(
    ("vertices", "status", "words"), [(20_000, 422, "sommets"), (100_000, 413, "1 Mo")]
)
def test_huge_need_zone_is_refused_before_geos(
    db_url: dict[str, str], tmp_path: Path, vertices: int, status: int, words: str
) -> None:
    """20,000 vertices gave a 500 at 3 GB (std::bad_alloc); 100,000 were stored."""
    need = {
        "acteur_id": 1,
        "intitule": "Zone démesurée",
        "types_acceptes": ["bureau"],
        "surface_min_m2": 50,
        "surface_max_m2": 100,
        "emmenagement_au_plus_tot": "2027-01-01",
        "zone_souhaitee": {"type": "Polygon", "coordinates": [_ring(vertices)]},
    }
    (tmp_path / "besoin.json").write_text(json.dumps(need))
    reply = _post(
        db_url,
        tmp_path,
        """
body = open(os.environ["BOMB"] + "/besoin.json").read()
report(client.post("/api/v1/needs", data=body, content_type="application/json"))
""",
    )
    assert reply["status"] == status, reply
    assert words in json.loads(str(reply["body"]))["detail"]
    assert int(str(reply["length"])) < 5_000  # the reply quotes nothing of the zone
