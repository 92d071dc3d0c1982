from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import LineString, MultiPoint, Point, Polygon

from foncier.errors import InvalidInput
from foncier.geo import to_store
from foncier.imports import parse
from foncier.imports.columns import KINDS, Kind, fields
from foncier.imports.parse import ParsedTable, parse_table, wgs84_lon_lat
from tests.foncier.imports.files import (
    BASTIDE,
    CHARTRONS,
    PREMISES_ROWS,
    write_csv,
    write_geographic,
    write_xlsx,
)


def _premises_csv(tmp_path: Path) -> ParsedTable:
    return parse_table(write_csv(tmp_path / "locaux.csv", PREMISES_ROWS), "premises")


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_a_header_can_map_to_has_a_parser(kind: Kind) -> None:
    assert set(fields(kind)) == set(parse._PARSERS[kind]) | set(parse._LOCATION_PARSERS)


def test_a_messy_french_csv_is_mapped_and_typed(tmp_path: Path) -> None:
    table = _premises_csv(tmp_path)
    assert table.kind == "premises"
    assert table.mapping == {
        "Référence": "ref",
        "Nom": "nom",
        "Type de local": "type_local",
        "Surface (m²)": "surface_m2",
        "Loyer HT HC (€/m²/an)": "loyer_m2_an",
        "Date de disponibilité": "disponible_le",
        "Accessible PMR": "acces_pmr",
        "Longitude": "lon",
        "Latitude": "lat",
        "Commentaire libre": None,
    }
    assert table.unknown_headers == ["Commentaire libre"]
    assert [row.line for row in table.rows] == [2, 3, 5]
    first, second, _ = table.rows
    assert first.values == {
        "ref": "L-001",
        "nom": "Atelier Bastide",
        "type_local": "activite",
        "surface_m2": 120.0,
        "loyer_m2_an": 45.5,
        "disponible_le": date(2026, 3, 1),
        "acces_pmr": True,
        "lon": -0.5547,
        "lat": 44.8412,
    }
    assert first.errors == []
    assert (second.values["type_local"], second.values["surface_m2"]) == ("bureau", 1250.5)
    assert (second.values["loyer_m2_an"], second.values["acces_pmr"]) == (180.0, False)
    assert second.raw["Commentaire libre"] == "Près du tram"


def test_each_bad_cell_is_reported_in_french_with_its_column_and_value(tmp_path: Path) -> None:
    bad = _premises_csv(tmp_path).rows[-1]
    assert bad.line == 5
    assert len(bad.errors) == 4
    type_error, surface_error, date_error, pmr_error = bad.errors
    assert type_error == (
        "Colonne « Type de local » : « bureaux-open » n'est pas un type de local connu : "
        "valeurs permises : bureau, activité, commerce, stockage, tiers-lieu, terrain."
    )
    assert surface_error.startswith("Colonne « Surface (m²) » : « cent » n'est pas un nombre")
    assert date_error.startswith(
        "Colonne « Date de disponibilité » : « 31/02/2026 » n'est pas une date qui existe"
    )
    assert pmr_error.startswith("Colonne « Accessible PMR » : « peut-être » n'est pas")
    assert bad.values["surface_m2"] is None
    assert bad.values["loyer_m2_an"] == 95.0  # the good cells of a bad row are still parsed
    assert bad.raw["Surface (m²)"] == "cent"


def test_utf8_with_bom_and_comma_separator_gives_the_same_rows(tmp_path: Path) -> None:
    windows = _premises_csv(tmp_path)
    utf8 = parse_table(
        write_csv(tmp_path / "b.csv", PREMISES_ROWS, delimiter=",", encoding="utf-8-sig"),
        "premises",
    )
    assert utf8.mapping == windows.mapping
    assert utf8.rows == windows.rows


def test_xlsx_typed_and_text_cells_give_the_same_values(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["Réf.", "Type", "Surface utile m2", "Disponible à partir du", "PMR", "Longitude", "Lat"],
        ["L-010", "Bureaux", 85.5, datetime(2026, 5, 1), True, BASTIDE[0], BASTIDE[1]],
        ["L-011", "office", "85,5 m²", "01/05/2026", "oui", "-0,5547", "44,8412"],
        [12, "Tiers-lieu", 40, "2026-05-01", 1, None, None],
    ]
    table = parse_table(write_xlsx(tmp_path / "locaux.xlsx", rows), "premises")
    typed, text, numbered = table.rows
    assert typed.values == {**text.values, "ref": "L-010"}
    assert text.values == {
        "ref": "L-011",
        "type_local": "bureau",
        "surface_m2": 85.5,
        "disponible_le": date(2026, 5, 1),
        "acces_pmr": True,
        "lon": BASTIDE[0],
        "lat": BASTIDE[1],
    }
    assert numbered.values["ref"] == "12"
    assert (numbered.values["lon"], numbered.values["lat"]) == (None, None)
    assert [row.errors for row in table.rows] == [[], [], []]


def test_geojson_points_in_wgs84_or_lambert93(tmp_path: Path) -> None:
    records = [{"Réf": "G-1", "Surface (m²)": 120.0}, {"Réf": "G-2", "Surface (m²)": 80.0}]
    wgs84 = write_geographic(
        tmp_path / "wgs84.geojson", records, [Point(BASTIDE), Point(CHARTRONS)], crs=4326
    )
    lambert = write_geographic(
        tmp_path / "l93.geojson",
        records,
        [to_store(Point(BASTIDE)), to_store(Point(CHARTRONS))],
        crs=2154,
    )
    for path in (wgs84, lambert):
        table = parse_table(path, "premises")
        assert table.mapping == {"Réf": "ref", "Surface (m²)": "surface_m2"}
        first = table.rows[0]
        assert (first.values["ref"], first.values["surface_m2"]) == ("G-1", 120.0)
        assert first.values["lon"] == pytest.approx(BASTIDE[0], abs=1e-7)
        assert first.values["lat"] == pytest.approx(BASTIDE[1], abs=1e-7)
        assert first.values["geometry"].equals_exact(Point(BASTIDE), 1e-7)


def test_a_csv_with_lambert93_x_y_gets_wgs84_lon_lat(tmp_path: Path) -> None:
    x, y = (f"{value:.2f}".replace(".", ",") for value in to_store(Point(BASTIDE)).coords[0])
    path = write_csv(
        tmp_path / "l93.csv",
        [["Réf", "X (Lambert 93)", "Y (Lambert 93)"], ["A", x, y], ["B", y, x]],
    )
    table = parse_table(path, "premises")
    assert table.mapping == {"Réf": "ref", "X (Lambert 93)": "x", "Y (Lambert 93)": "y"}
    for row in table.rows:
        assert set(row.values) == {"ref", "lon", "lat"}  # x and y become lon and lat
        assert row.values["lon"] == pytest.approx(BASTIDE[0], abs=1e-6)
        assert row.values["lat"] == pytest.approx(BASTIDE[1], abs=1e-6)


def test_coordinates_that_fit_nowhere_are_quoted(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "points.csv",
        [
            ["Réf", "Longitude", "Latitude"],
            ["swapped", "44,8412", "-0,5547"],
            ["far", "12,5", "13,1"],
            ["half", "-0,5547", ""],
            ["bad", "-0,5547", "nord"],
        ],
    )
    swapped, far, half, bad = parse_table(path, "premises").rows
    assert (swapped.values["lon"], swapped.values["lat"]) == BASTIDE
    assert far.errors == [
        "Colonnes « Longitude » et « Latitude » : les coordonnées « 12,5 » et « 13,1 » ne "
        "tombent pas en France métropolitaine : attendu une longitude de -5,5 à 10 et une "
        "latitude de 41 à 51,5 (WGS84), ou X de 100 000 à 1 300 000 et Y de 6 000 000 à "
        "7 200 000 (Lambert-93)."
    ]
    assert half.errors == [
        "Colonnes « Longitude » et « Latitude » : une coordonnée sans l'autre "
        "(« -0,5547 » et une case vide)."
    ]
    assert len(bad.errors) == 1 and "« nord » n'est pas un nombre" in bad.errors[0]
    for row in (far, half, bad):
        assert (row.values["lon"], row.values["lat"]) == (None, None)


def test_wgs84_lon_lat_recognises_both_systems_in_either_order() -> None:
    x, y = to_store(Point(BASTIDE)).coords[0]
    assert (x, y) == pytest.approx((419_200, 6_422_100), abs=100)  # right bank
    assert wgs84_lon_lat(x, y) == pytest.approx(BASTIDE, abs=1e-9)
    assert wgs84_lon_lat(y, x) == wgs84_lon_lat(x, y)
    assert wgs84_lon_lat(*BASTIDE) == BASTIDE
    assert wgs84_lon_lat(BASTIDE[1], BASTIDE[0]) == BASTIDE
    assert wgs84_lon_lat(2_000_000, 6_500_000) is None


def test_a_corrected_mapping_is_applied(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "locaux.csv", PREMISES_ROWS)
    table = parse_table(
        path, "premises", {"Commentaire libre": "description", "Accessible PMR": None}
    )
    assert table.unknown_headers == ["Accessible PMR"]
    assert table.rows[1].values["description"] == "Près du tram"
    assert "acces_pmr" not in table.rows[0].values
    assert len(table.rows[2].errors) == 3  # the bad PMR cell is no longer read


def test_two_columns_for_one_field_refuse_the_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "locaux.csv", [["Réf", "Surface", "Surface utile (m²)"]])
    with pytest.raises(InvalidInput) as error:
        parse_table(path, "premises")
    assert error.value.message == (
        "Les colonnes « Surface » et « Surface utile (m²) » correspondent toutes au champ "
        "« surface_m2 » : gardez-en une seule ou corrigez la correspondance."
    )


def test_needs_with_lists_dates_and_flags(tmp_path: Path) -> None:
    rows = [
        ["Réf", "Réf. acteur", "Intitulé", "Types de locaux", "Mode d'occupation",
         "Surface min (m²)", "Surface max (m²)", "Communes souhaitées", "Au plus tôt",
         "Critères obligatoires", "Souhaits", "Partage accepté", "Emplois"],
        ["B-1", "A-7", "Atelier vélo", "Atelier, bureaux", "location / occupation temporaire",
         "80", "150", "Bordeaux; Bègles et 33522", "01/09/26", "PMR et RDC", "parking", "x",
         "4"],
        ["B-2", "A-8", "Épicerie", "boutique + hangar", "louer", "60", "90", "", "demain",
         "", "", "", "3,5"],
    ]  # fmt: skip
    table = parse_table(write_csv(tmp_path / "besoins.csv", rows), "needs")
    assert table.unknown_headers == ["Au plus tôt"]
    good, bad = table.rows
    assert good.errors == []
    assert good.values == {
        "ref": "B-1",
        "acteur_ref": "A-7",
        "intitule": "Atelier vélo",
        "types_acceptes": ["activite", "bureau"],
        "modes_occupation": ["location", "occupation_temporaire"],
        "surface_min_m2": 80.0,
        "surface_max_m2": 150.0,
        "communes_souhaitees": ["Bordeaux", "Bègles", "33522"],
        "criteres_obligatoires": ["acces_pmr", "rez_de_chaussee"],
        "criteres_souhaites": ["stationnement"],
        "partage_accepte": True,
        "emplois_accueillis": 4,
    }
    assert bad.errors == [
        "Colonne « Types de locaux » : « hangar » n'est pas un type de local connu : valeurs "
        "permises : bureau, activité, commerce, stockage, tiers-lieu, terrain.",
        "Colonne « Emplois » : « 3,5 » n'est pas un nombre entier : attendu par exemple 12.",
    ]


def test_a_need_may_give_a_zone_but_premises_need_a_point(tmp_path: Path) -> None:
    zone = Polygon([(-0.58, 44.83), (-0.56, 44.83), (-0.56, 44.85)])
    records = [{"ref": "Z"}, {"ref": "P"}, {"ref": "M"}, {"ref": "L"}]
    geometries = [
        to_store(zone),
        to_store(Point(CHARTRONS)),
        to_store(MultiPoint([CHARTRONS])),
        to_store(LineString([BASTIDE, CHARTRONS])),
    ]
    path = write_geographic(tmp_path / "besoins.gpkg", records, geometries, crs=2154)
    zoned, pointed, multi, line = parse_table(path, "needs").rows
    assert zoned.values["geometry"].equals_exact(zone, 1e-7)
    assert "lon" not in zoned.values
    assert pointed.values["lat"] == pytest.approx(CHARTRONS[1], abs=1e-7)
    assert multi.values["lon"] == pytest.approx(CHARTRONS[0], abs=1e-7)
    assert line.errors == ["Géométrie : LineString reçue, un point ou une zone (polygone) attendu."]
    premises = parse_table(path, "premises").rows
    assert premises[0].errors == ["Géométrie : Polygon reçue, un point attendu."]


def test_actors_from_xlsx(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["Réf", "Raison sociale", "SIREN", "Forme juridique", "Agrément ESUS", "Filière",
         "Stade", "Effectif", "Tél.", "E-mail"],
        ["A-7", "Vélo Solidaire", "552 100 554", "Asso", "non", "mobilite", "Scale-up", 12.0,
         556123456, "contact@velo.example"],
        ["A-8", "La Cagette", 5521005, "SARL", "oui", "alimentation", "croissance", "dix",
         None, None],
    ]  # fmt: skip
    table = parse_table(write_xlsx(tmp_path / "acteurs.xlsx", rows), "actors")
    good, bad = table.rows
    assert good.errors == []
    assert good.values == {
        "ref": "A-7",
        "nom": "Vélo Solidaire",
        "siren": "552100554",
        "forme_juridique": "association",
        "agrement_esus": False,
        "filiere": "mobilite",
        "stade": "changement_echelle",
        "effectif": 12,
        "contact_telephone": "0556123456",
        "contact_email": "contact@velo.example",
    }
    assert [error.split(" : ")[0:2] for error in bad.errors] == [
        ["Colonne « SIREN »", "« 5521005 » n'est pas un numéro SIREN"],
        ["Colonne « Effectif »", "« dix » n'est pas un nombre entier"],
    ]
    # An unknown legal form passes as a code: administrators extend the list, and the use
    # case checks the code against it (naming the allowed ones).
    assert bad.values["forme_juridique"] == "sarl"
    assert bad.values["stade"] == "developpement"


def test_an_unknown_kind_is_invalid_input(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["Réf"], ["A"]])
    with pytest.raises(InvalidInput, match="Genre d'import inconnu : « parcelles »"):
        parse_table(path, "parcelles")  # type: ignore[arg-type]
