from __future__ import annotations

import math
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import pytest

from foncier.imports.values import (
    CellError,
    choice_labels,
    parse_boolean,
    parse_choice,
    parse_date,
    parse_integer,
    parse_list,
    parse_number,
    parse_phone,
    parse_siren,
    parse_siret,
    parse_text,
)
from foncier.vocabulary import (
    ClasseEnergie,
    Equipement,
    FormeJuridique,
    ModeOccupation,
    OrigineLocal,
    Stade,
    StatutBesoin,
    StatutLocal,
    TypeLocal,
)
from tests.foncier.imports.files import NBSP, NNBSP

VOCABULARIES: list[type[StrEnum]] = [
    TypeLocal,
    StatutLocal,
    OrigineLocal,
    ModeOccupation,
    FormeJuridique,
    Stade,
    StatutBesoin,
    ClasseEnergie,
    Equipement,
]
PARSERS = [parse_text, parse_number, parse_integer, parse_boolean, parse_date]


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("cell", [None, "", "   ", math.nan, "-", "N/A", "NC", "n.c."])
def test_an_empty_cell_is_missing_never_an_error(parser: Any, cell: Any) -> None:
    assert parser(cell) is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("120", 120.0),
        ("45,50", 45.5),
        ("0.5", 0.5),
        (f"1{NBSP}250,50 €", 1250.5),
        (f"1{NNBSP}250,50", 1250.5),
        ("1 250 000", 1_250_000.0),
        ("98,5 m²", 98.5),
        ("120 m2", 120.0),
        ("45,50 €/m²/an", 45.5),
        ("180 € HT HC", 180.0),
        ("€ 1 000", 1000.0),
        ("1.250,5", 1250.5),
        ("1,250.5", 1250.5),
        ("-12,5", -12.5),
        ("−3", -3.0),
        (12, 12.0),
        (3.5, 3.5),
    ],
)
def test_numbers_as_french_spreadsheets_write_them(cell: Any, expected: float) -> None:
    assert parse_number(cell) == expected


@pytest.mark.parametrize("cell", ["cent", "12 5", "1,2 k€", "3 €/m²/mois", "12,5,3", "2 km", True])
def test_a_bad_number_is_quoted_with_examples(cell: Any) -> None:
    with pytest.raises(CellError) as error:
        parse_number(cell)
    assert f"« {cell} » n'est pas un nombre" in str(error.value)
    assert "1 250,50" in str(error.value)


def test_integers() -> None:
    assert parse_integer("1 250") == 1250
    assert parse_integer(12.0) == 12
    assert parse_integer("12,0") == 12
    with pytest.raises(CellError, match="« 12,5 » n'est pas un nombre entier"):
        parse_integer("12,5")
    with pytest.raises(CellError, match="« douze » n'est pas un nombre entier"):
        parse_integer("douze")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        *[(word, True) for word in ["oui", "OUI", "Yes", "vrai", "TRUE", "1", "o", "x", "X", "✓"]],
        *[(word, False) for word in ["non", "Non", "no", "FAUX", "false", "0", "n"]],
        (True, True),
        (False, False),
        (1, True),
        (0.0, False),
    ],
)
def test_booleans_in_french_or_english(cell: Any, expected: bool) -> None:
    assert parse_boolean(cell) is expected


def test_a_bad_boolean_says_what_is_allowed() -> None:
    with pytest.raises(CellError) as error:
        parse_boolean("peut-être")
    assert str(error.value).startswith("« peut-être » n'est pas une réponse oui/non")
    assert "oui, non" in str(error.value)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("01/03/2026", date(2026, 3, 1)),
        ("1/3/2026", date(2026, 3, 1)),
        ("01/03/26", date(2026, 3, 1)),
        ("01-03-2026", date(2026, 3, 1)),
        ("01.03.2026", date(2026, 3, 1)),
        ("2026-03-01", date(2026, 3, 1)),
        ("2026-03-01T00:00:00", date(2026, 3, 1)),
        ("01/03/2026 08:30", date(2026, 3, 1)),
        (datetime(2026, 3, 1, 0, 0), date(2026, 3, 1)),
        (date(2026, 3, 1), date(2026, 3, 1)),
        (46082, date(2026, 3, 1)),  # an Excel serial in a cell not formatted as a date
    ],
)
def test_dates_day_first_or_iso_or_typed(cell: Any, expected: date) -> None:
    assert parse_date(cell) == expected


def test_a_date_that_does_not_exist_is_told_apart_from_an_unknown_format() -> None:
    with pytest.raises(CellError, match="« 31/02/2026 » n'est pas une date qui existe"):
        parse_date("31/02/2026")
    with pytest.raises(CellError) as error:
        parse_date("demain")
    assert str(error.value) == (
        "« demain » n'est pas une date reconnue : formats permis : "
        "jj/mm/aaaa, jj/mm/aa, jj-mm-aaaa, aaaa-mm-jj."
    )
    with pytest.raises(CellError):
        parse_date(2026)  # a year typed as a number is no Excel date


@pytest.mark.parametrize(
    ("vocabulary", "cell", "expected"),
    [
        (TypeLocal, "Bureau", "bureau"),
        (TypeLocal, "bureaux", "bureau"),
        (TypeLocal, "OFFICES", "bureau"),
        (TypeLocal, "activité", "activite"),
        (TypeLocal, "Local d'activité", "activite"),
        (TypeLocal, "locaux d’activités", "activite"),
        (TypeLocal, "Atelier", "activite"),
        (TypeLocal, "workshop", "activite"),
        (TypeLocal, "artisanat", "activite"),
        (TypeLocal, "tiers-lieu", "tiers_lieu"),
        (TypeLocal, "Tiers lieux", "tiers_lieu"),
        (TypeLocal, "coworking", "tiers_lieu"),
        (TypeLocal, "shared space", "tiers_lieu"),
        (TypeLocal, "Entrepôt", "stockage"),
        (StatutLocal, "sous option", "sous_option"),
        (StatutLocal, "Under option", "sous_option"),
        (StatutLocal, "RÉSERVÉ", "reserve"),
        (OrigineLocal, "mandat de gestion", "mandat_gestion"),
        (OrigineLocal, "Opération d'aménagement", "operation_amenagement"),
        (ModeOccupation, "Location", "location"),
        (ModeOccupation, "occupation temporaire", "occupation_temporaire"),
        (ModeOccupation, "purchase", "achat"),
        (FormeJuridique, "asso", "association"),
        (FormeJuridique, "Association loi 1901", "association"),
        (FormeJuridique, "SCOP", "scop"),
        (FormeJuridique, "Scic", "scic"),
        (FormeJuridique, "coopérative", "autre_cooperative"),
        (Stade, "changement d'échelle", "changement_echelle"),
        (Stade, "Scaling up", "changement_echelle"),
        (Stade, "scale-up", "changement_echelle"),
        (Stade, "Émergence", "emergence"),
        (StatutBesoin, "en proposition", "en_proposition"),
        (StatutBesoin, "Abandonné", "abandonne"),
        (ClasseEnergie, "c", "C"),
        (ClasseEnergie, "classe D", "D"),
        (ClasseEnergie, "DPE a", "A"),
        (Equipement, "PMR", "acces_pmr"),
        (Equipement, "step-free access", "acces_pmr"),
        (Equipement, "RDC", "rez_de_chaussee"),
        (Equipement, "Quai de livraison", "acces_livraison"),
        (Equipement, "parking", "stationnement"),
    ],
)
def test_closed_list_values_in_french_or_english(
    vocabulary: type[StrEnum], cell: str, expected: str
) -> None:
    assert parse_choice(cell, vocabulary) == expected


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_every_value_is_recognised_by_its_value_name_and_label(
    vocabulary: type[StrEnum],
) -> None:
    labels = choice_labels(vocabulary)
    assert len(labels) == len(vocabulary)
    for member, label in zip(vocabulary, labels, strict=True):
        for spelling in (member.value, member.name, label, label.upper()):
            assert parse_choice(spelling, vocabulary) == member.value


def test_an_unknown_value_lists_the_allowed_labels() -> None:
    with pytest.raises(CellError) as error:
        parse_choice("bureaux-open", TypeLocal)
    assert str(error.value) == (
        "« bureaux-open » n'est pas un type de local connu : valeurs permises : "
        "bureau, activité, commerce, stockage, tiers-lieu, terrain."
    )
    with pytest.raises(CellError, match="une forme juridique connue : valeurs permises : asso"):
        parse_choice("SARL", FormeJuridique)


def test_lists_split_on_the_usual_separators() -> None:
    def types(cell: Any) -> list[str] | None:
        return parse_list(cell, lambda item: parse_choice(item, TypeLocal))

    assert types("Bureaux, atelier") == ["bureau", "activite"]
    assert types("bureau; activité / commerce | stockage") == [
        "bureau",
        "activite",
        "commerce",
        "stockage",
    ]
    assert types("tiers-lieu et bureaux") == ["tiers_lieu", "bureau"]
    assert types("office and workshop") == ["bureau", "activite"]
    assert types("bureau, bureaux, Bureau") == ["bureau"]
    assert types(["bureau", "commerce"]) == ["bureau", "commerce"]
    assert types("") is None
    with pytest.raises(CellError) as error:
        types("bureau, hangar, garage")
    assert "« hangar » n'est pas un type de local connu" in str(error.value)
    assert "« garage » n'est pas un type de local connu" in str(error.value)


def test_communes_stay_text() -> None:
    communes = parse_list("Bordeaux, Bègles et 33522", parse_text)
    assert communes == ["Bordeaux", "Bègles", "33522"]
    assert parse_list(33063, parse_text) == ["33063"]


def test_identifiers_and_phones() -> None:
    assert parse_siren("552 100 554") == "552100554"
    assert parse_siren(552100554) == "552100554"
    assert parse_siret("552 100 554 00013") == "55210055400013"
    with pytest.raises(CellError, match="« 55210 » n'est pas un numéro SIREN : 9 chiffres"):
        parse_siren("55210")
    assert parse_phone(556123456) == "0556123456"  # Excel dropped the leading zero
    assert parse_phone("05 56 12 34 56") == "05 56 12 34 56"


def test_text_keeps_references_whole() -> None:
    assert parse_text(12.0) == "12"
    assert parse_text("  L-001 ") == "L-001"
    assert parse_text(date(2026, 3, 1)) == "2026-03-01"
