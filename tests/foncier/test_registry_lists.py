"""Lists agents work with: search, sort and filters in any case or accents, French order."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from foncier.errors import InvalidInput
from foncier.french import french_key, french_sorted
from foncier.registry import KINDS, create, get, search
from foncier.registry.filters import ALL, Page
from foncier.registry.lists import choices, communes
from foncier.schemas.fields import load
from foncier.schemas.filters import FILTERS
from tests.factories import premises

PREMISES, ACTORS, NEEDS = KINDS["premises"], KINDS["actors"], KINDS["needs"]


def test_french_order_puts_accents_among_their_letter() -> None:
    names = [("1", "Bruges"), ("2", "Écoles"), ("3", "Bègles"), ("4", "Eysines"), ("5", "abbaye")]
    assert [label for _, label in french_sorted(names)] == [
        "abbaye",
        "Bègles",
        "Bruges",
        "Écoles",
        "Eysines",
    ]


def test_every_list_offered_is_in_french_order(session: Session) -> None:
    names = [name for _, name in communes(session)]
    assert names.index("Bègles") < names.index("Bordeaux") < names.index("Bruges")
    for options in choices(session, "actors").values():
        assert options == french_sorted(options)


def test_search_ignores_case_accents_and_punctuation(session: Session) -> None:
    made = create(
        session,
        PREMISES,
        premises(nom="Atelier Sainte-Thérèse", adresse="12 rue Émile Zola"),
        "agent:test",
    )
    for query in ("sainte therese", "SAINTE-THÉRÈSE", "emile zola", made["ref"].lower()):
        total, found = search(session, PREMISES, {"q": query}, ALL)
        assert made["id"] in [r["id"] for r in found], query
    total, _ = search(session, PREMISES, {"q": "therese introuvable"}, ALL)
    assert total == 0


def test_an_actor_is_found_by_its_siren(session: Session) -> None:
    _, actors = search(session, ACTORS, {}, Page(1, 1))
    _, found = search(session, ACTORS, {"q": actors[0]["siren"]}, ALL)
    assert actors[0]["id"] in [a["id"] for a in found]


def test_sort_by_rent_both_ways_with_empty_values_last(session: Session) -> None:
    _, rising = search(session, PREMISES, {"tri": "loyer_m2_an"}, ALL)
    _, falling = search(session, PREMISES, {"tri": "-loyer_m2_an"}, ALL)
    rents = [r["loyer_m2_an"] for r in rising if r["loyer_m2_an"] is not None]
    assert rents == sorted(rents) and rents[0] < rents[-1]
    assert [r["loyer_m2_an"] for r in falling if r["loyer_m2_an"] is not None] == rents[::-1]
    assert rising[-1]["loyer_m2_an"] is None or None not in [r["loyer_m2_an"] for r in rising]


def test_sort_ties_are_broken_by_id_so_pages_neither_repeat_nor_skip(session: Session) -> None:
    pages = [search(session, PREMISES, {"tri": "type_local"}, Page(n, 40))[1] for n in (1, 2, 3)]
    ids = [r["id"] for page in pages for r in page]
    _, whole = search(session, PREMISES, {"tri": "type_local"}, Page(1, 120))
    assert ids == [r["id"] for r in whole] and len(set(ids)) == len(ids)


def test_codes_sort_by_their_label_and_communes_by_name(session: Session) -> None:
    names = dict(communes(session))
    _, found = search(session, PREMISES, {"tri": "commune_insee"}, ALL)
    shown = [names[r["commune_insee"]] for r in found if r["commune_insee"]]
    assert shown == sorted(shown, key=french_key) and len(set(shown)) > 3


def test_filters_take_labels_in_any_case_or_accents(session: Session) -> None:
    coded = load(FILTERS["premises"](), {"type_local": "bureau", "commune_insee": "33063"})
    typed = load(FILTERS["premises"](), {"type_local": "Bureau", "commune_insee": "BORDEAUX"})
    assert typed["type_local"] == "bureau"
    assert search(session, PREMISES, typed, ALL)[0] == search(session, PREMISES, coded, ALL)[0] > 0
    _, actors = search(session, ACTORS, {}, Page(1, 1))
    sector = actors[0]["filiere"]
    assert search(session, ACTORS, {"filiere": sector.upper()}, ALL)[0] > 0


def test_an_unknown_sort_column_is_refused_in_french() -> None:
    with pytest.raises(InvalidInput) as caught:
        load(FILTERS["premises"](), {"tri": "mot_de_passe"})
    assert "Valeurs permises" in str(caught.value.errors)


def test_a_need_is_found_by_its_actor_also_under_a_filter_on_the_actor(session: Session) -> None:
    _, needs = search(session, NEEDS, {}, Page(1, 1))
    actor = get(session, ACTORS, needs[0]["acteur_id"])
    query = {"q": actor["nom"].upper(), "stade": actor["stade"], "filiere": actor["filiere"]}
    total, found = search(session, NEEDS, query, ALL)
    assert needs[0]["id"] in [n["id"] for n in found] and total == len(found)
