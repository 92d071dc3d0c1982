"""INSEE index series read from files, and their effect on a scenario's capped rents."""

from __future__ import annotations

from pathlib import Path

import pytest

from foncier.errors import InvalidInput
from foncier.scenarios.document import read_document, validate_document
from foncier.scenarios.evaluate import evaluate
from foncier.scenarios.indices import parse_index_series, read_index_series

# The layout of INSEE's download, with the published ILAT values of Q1 2023 and Q1 2024.
INSEE_ILAT = (
    '"Libellé";"Indice des loyers des activités tertiaires (ILAT)"\n'
    '"idBank";"001617112"\n'
    '"Dernière mise à jour";"20/06/2024 12:00"\n'
    '"Période";""\n'
    '"2024-T1";"135.13";"A"\n'
    '"2023-T1";"128.59";"A"\n'
)
PERIMETER = {
    "type": "Polygon",
    "coordinates": [[[-0.551, 44.855], [-0.547, 44.855], [-0.547, 44.859], [-0.551, 44.855]]],
}


def test_an_insee_download_reads_in_quarter_order(tmp_path: Path) -> None:
    path = tmp_path / "ilat.csv"
    path.write_text(INSEE_ILAT, encoding="utf-8")
    assert read_index_series(path) == {"2023-T1": 128.59, "2024-T1": 135.13}


def test_a_french_sheet_in_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "indice.csv"  # made-up values: only the layout matters here
    path.write_bytes("Trimestre;Valeur indicée\nT1 2023;100,00\nT2 2023;101,50\n".encode("cp1252"))
    assert read_index_series(path) == {"2023-T1": 100.0, "2023-T2": 101.5}


def test_a_file_without_a_series_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"« annuel\.csv » : aucune série trimestrielle lue"):
        parse_index_series("année;valeur\n2023;128\n2024;135\n", "annuel.csv")


def rented_lot() -> dict[str, object]:
    return {
        "ref": "A1",
        "use": "bureaux",
        "sdp_m2": 1000,
        "rent_eur_m2_year": 200,
        "yield": 0.06,
        "construction_eur_m2": 1500,
        "ess_share": 0.5,
        "cap_rent_eur_m2_year": 150,
    }


def test_a_series_file_beside_the_scenario_drives_the_capped_rent(tmp_path: Path) -> None:
    (tmp_path / "ilat.csv").write_text(INSEE_ILAT, encoding="utf-8")
    (tmp_path / "scenario.yaml").write_text(
        "perimeter: {type: Polygon, coordinates: [[[-0.551, 44.855], [-0.547, 44.855], "
        "[-0.547, 44.859], [-0.551, 44.855]]]}\n"
        "duration_years: 2\ndiscount_rate: 0\nmarket_rent_growth: 0\n"
        "indices: {ILAT: {base: 2023-T1, series_file: ilat.csv}}\n"
        "lots: [{ref: A1, use: bureaux, sdp_m2: 1000, rent_eur_m2_year: 200, yield: 0.06,"
        " construction_eur_m2: 1500, ess_share: 0.5, cap_rent_eur_m2_year: 150}]\n",
        encoding="utf-8",
    )
    document = read_document(tmp_path / "scenario.yaml")
    assert document["indices"]["ILAT"]["series"] == {"2023-T1": 128.59, "2024-T1": 135.13}
    per_lot, _ = evaluate(document)
    # SU 500 m²: year 1 (200 − 150) × 500 = 25,000; year 2 (200 − 150 × 135.13 / 128.59) × 500
    # = (200 − 157.6289…) × 500 = 21,185.55; no discounting: 46,185.55
    assert per_lot.loc[0, "tenant_savings_pv_eur"] == pytest.approx(46_185.55, abs=0.01)


def test_a_falling_index_lowers_the_capped_rent_too() -> None:
    def savings(annual_change: float) -> float:
        document = validate_document(
            {
                "perimeter": PERIMETER,
                "duration_years": 3,
                "discount_rate": 0,
                "market_rent_growth": 0,
                "indices": {"ILAT": {"annual_change": annual_change}},
                "lots": [rented_lot()],
            }
        )
        return float(evaluate(document)[0]["tenant_savings_pv_eur"].to_numpy()[0])

    # 500 m² × (200 − 150 × r) over r = 1, 0.98, 0.9604: 25,000 + 26,500 + 27,970
    assert savings(-0.02) == pytest.approx(79_470.0)
    assert savings(-0.02) > savings(0.0) == pytest.approx(75_000.0)


def test_the_api_may_not_name_a_file_on_the_server() -> None:
    from foncier.scenarios.document import parse_document

    raw = (
        '{"perimeter": {"type": "Polygon", "coordinates": [[[-0.551, 44.855], [-0.547, 44.855],'
        ' [-0.547, 44.859], [-0.551, 44.855]]]}, "lots": [],'
        ' "indices": {"ILAT": {"series_file": "/etc/passwd"}}}'
    )
    with pytest.raises(InvalidInput, match="Permis seulement dans un fichier lu par la ligne"):
        parse_document(raw, json_only=True)
