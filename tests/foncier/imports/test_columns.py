from __future__ import annotations

import pytest

from foncier.errors import InvalidInput
from foncier.imports.columns import (
    KINDS,
    Kind,
    fields,
    map_headers,
    mapping_problems,
    resolve_mapping,
)

PREMISES_HEADERS = {
    "Référence": "ref",
    "Réf.": "ref",
    "Id": "ref",
    "N°": "ref",
    "Nom du local": "nom",
    "TYPE DE LOCAUX": "type_local",
    "Surface (m²)": "surface_m2",
    "Surface utile m2": "surface_m2",
    "  surface   utile  ": "surface_m2",
    "Floor area (sqm)": "surface_m2",
    "Loyer HT HC (€/m²/an)": "loyer_m2_an",
    "Loyer annuel HT/m²": "loyer_m2_an",
    "Loyer hors charges": "loyer_m2_an",
    "Rent (EUR/sqm/year)": "loyer_m2_an",
    "Loyer de marché (€/m²/an)": "loyer_marche_m2_an",
    "Prix de vente (€/m²)": "prix_vente_m2",
    "Charges (€/m²/an)": "charges_m2_an",
    "Date de disponibilité": "disponible_le",
    "Disponible à partir du": "disponible_le",
    "Available from": "disponible_le",
    "Disponible jusqu'au": "disponible_jusqu_au",
    "Accessible PMR": "acces_pmr",
    "Step-free access": "acces_pmr",
    "Rez-de-chaussée": "rez_de_chaussee",
    "Catégorie ERP": "categorie_erp",
    "DPE": "classe_energie",
    "Longitude": "lon",
    "Lat": "lat",
    "X (Lambert 93)": "x",
    "Y (Lambert 93)": "y",
    "Adresse": "adresse",
}
ACTORS_HEADERS = {
    "SIREN": "siren",
    "N° SIRET": "siret",
    "Raison sociale": "nom",
    "Forme juridique": "forme_juridique",
    "Legal form": "forme_juridique",
    "Agrément ESUS": "agrement_esus",
    "Filière": "filiere",
    "Stade de développement": "stade",
    "Nombre de salariés": "effectif",
    "E-mail": "contact_email",
    "Tél.": "contact_telephone",
}
NEEDS_HEADERS = {
    "Réf. acteur": "acteur_ref",
    "Intitulé": "intitule",
    "Types de locaux recherchés": "types_acceptes",
    "Mode d'occupation": "modes_occupation",
    "Surface min (m²)": "surface_min_m2",
    "Surface maximale (m²)": "surface_max_m2",
    "Loyer max (€/m²/an)": "budget_loyer_m2_an",
    "Communes souhaitées": "communes_souhaitees",
    "Distance max (m)": "distance_max_m",
    "Emménagement au plus tôt": "emmenagement_au_plus_tot",
    "Emménagement au plus tard": "emmenagement_au_plus_tard",
    "Critères obligatoires": "criteres_obligatoires",
    "Nice to have": "criteres_souhaites",
    "Partage accepté": "partage_accepte",
}


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("premises", PREMISES_HEADERS), ("actors", ACTORS_HEADERS), ("needs", NEEDS_HEADERS)],
)
def test_headers_match_whatever_their_spelling(kind: Kind, expected: dict[str, str]) -> None:
    assert map_headers(expected, kind) == expected


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_name_matches_itself(kind: Kind) -> None:
    assert map_headers(fields(kind), kind) == {field: field for field in fields(kind)}


@pytest.mark.parametrize(
    "header",
    ["Commentaire libre", "Loyer (€/m²/mois)", "Loyer TTC", "Colonne 7", "M²"],
)
def test_unknown_headers_and_other_units_map_to_none(header: str) -> None:
    assert map_headers([header], "premises") == {header: None}


def test_a_distance_in_kilometres_is_not_read_as_metres() -> None:
    assert map_headers(["Distance max (km)"], "needs") == {"Distance max (km)": None}


def test_the_same_header_means_what_the_kind_says() -> None:
    assert map_headers(["Nom"], "needs") == {"Nom": "intitule"}
    assert map_headers(["Acteur"], "needs") == {"Acteur": "acteur_ref"}
    assert map_headers(["Acteur"], "actors") == {"Acteur": "nom"}


def test_two_headers_for_one_field_is_reported_in_french() -> None:
    mapping = map_headers(["Surface (m²)", "Surface utile", "Nom"], "premises")
    assert mapping_problems(mapping, "premises") == [
        "Les colonnes « Surface (m²) » et « Surface utile » correspondent toutes au champ "
        "« surface_m2 » : gardez-en une seule ou corrigez la correspondance."
    ]


def test_a_correction_wins_over_the_automatic_mapping() -> None:
    headers = ["Surface (m²)", "Surface utile", "Notes internes"]
    mapping = resolve_mapping(
        headers, "premises", {"Surface utile": None, "Notes internes": "description"}
    )
    assert mapping == {
        "Surface (m²)": "surface_m2",
        "Surface utile": None,
        "Notes internes": "description",
    }
    with pytest.raises(InvalidInput, match="« surface_m2 » : gardez-en une seule"):
        resolve_mapping(headers, "premises")


def test_a_correction_must_name_real_columns_and_fields() -> None:
    with pytest.raises(InvalidInput, match="colonnes absentes du fichier : « Loyer »"):
        resolve_mapping(["Surface"], "premises", {"Loyer": "loyer_m2_an"})
    with pytest.raises(InvalidInput) as error:
        resolve_mapping(["Surface"], "premises", {"Surface": "superficie"})
    assert error.value.message.startswith(
        "« superficie » n'est pas un champ des locaux (colonne « Surface ») : champs permis : "
        "ref, nom,"
    )
