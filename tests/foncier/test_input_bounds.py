"""The bounds of ``foncier.limits`` on documents, files and exported cells."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from foncier import limits
from foncier.errors import InvalidInput, TooLarge
from foncier.exports import csv_cell
from foncier.files.structured import load_json, load_yaml
from foncier.imports.reading import read_table
from foncier.scenarios.document import parse_document

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "scenario-exemple.yaml"


def test_yaml_aliases_within_the_budget_still_work() -> None:
    """Planners may share a lot's defaults with an anchor: only the expansion is bounded."""
    text = "base: &b {eta: 0.9, margin: 0.08}\nlots: [*b, *b, *b]\n"
    assert load_yaml(text)["lots"][2] == {"eta": 0.9, "margin": 0.08}


def test_yaml_alias_expansion_beyond_the_budget_is_refused() -> None:
    """Counted on the node graph, before anything is built: 10**12 values in 200 bytes."""
    levels = ["a0: &a0 [" + ",".join(["x"] * 10) + "]"]
    levels += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    with pytest.raises(TooLarge, match="alias YAML") as refused:
        load_yaml("\n".join(levels))
    assert refused.value.status == 413


def test_a_recursive_yaml_alias_is_refused() -> None:
    with pytest.raises(InvalidInput, match="se contient lui-même"):
        load_yaml("a: &a [1, *a]\n")


@pytest.mark.parametrize("loader", [load_json, load_yaml])
def test_deep_nesting_is_refused_in_french(loader: object) -> None:
    with pytest.raises(InvalidInput, match="trop profondément"):
        loader("[" * 100_000)  # type: ignore[operator]
    with pytest.raises(InvalidInput, match="trop profondément"):
        loader("[" * 100 + "]" * 100)  # type: ignore[operator]


def test_a_big_document_is_refused_before_parsing() -> None:
    with pytest.raises(TooLarge, match="1 Mo"):
        load_yaml("x: " + "y" * limits.MAX_DOCUMENT_BYTES)


def test_a_scenario_has_a_bounded_number_of_lots() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    head, lots = text.split("\nlots:\n", 1)
    lot = lots.split("\n  - ", 2)[1]
    many = (
        head
        + "\nlots:\n"
        + "".join(
            "  - " + lot.replace("ref: B1", f"ref: L{i}", 1).rstrip() + "\n"
            for i in range(limits.MAX_LOTS + 1)
        )
    )
    with pytest.raises(InvalidInput) as refused:
        parse_document(many)
    assert f"{limits.MAX_LOTS} au plus" in refused.value.errors["lots"][0]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=IMPORTXML("http://x";"//a")', '\'=IMPORTXML("http://x";"//a")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("+33 5 56 00 00 00", "+33 5 56 00 00 00"),  # a phone number stays as typed
        ("-12,5", "-12,5"),
        ("Atelier = lumière", "Atelier = lumière"),
    ],
)
def test_csv_cells_never_start_a_formula(value: str, cell: str) -> None:
    assert csv_cell(value) == cell


def test_a_csv_mixing_utf8_and_windows_1252_is_refused_with_its_line(tmp_path: Path) -> None:
    """It was stored as mojibake: « CafÃ© de l'Ã‰tÃ© »."""
    path = tmp_path / "locaux.csv"
    path.write_bytes(
        "nom;surface_m2\nCafé de l'Été;120\n".encode()
        + "Crèche des Chartrons;80\n".encode("cp1252")
    )
    with pytest.raises(InvalidInput, match="mélange deux encodages : ligne 3") as refused:
        read_table(path)
    assert "ligne 2 est en UTF-8" in refused.value.message


def test_a_windows_1252_csv_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "locaux.csv"
    path.write_bytes("nom;surface_m2\nCafé de l'Été;120\n".encode("cp1252"))
    assert read_table(path).rows[0].cells["nom"] == "Café de l'Été"


def test_a_csv_beyond_the_row_bound_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "locaux.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["nom", "surface_m2"])
        writer.writerows([f"L{i}", "50"] for i in range(limits.MAX_IMPORT_ROWS + 1))
    with pytest.raises(TooLarge, match="lignes"):
        read_table(path)
