"""Registry use cases: validation in French, versions, life cycles, geocoding, history."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from foncier.errors import Conflict, InvalidInput
from foncier.geocoding import Geocoder
from foncier.models import Acteur, Local
from foncier.registry import KINDS, create, get, history, search, update, withdraw
from foncier.registry.filters import Page
from tests.ban_server import ban_server, closed_url

PREMISES, ACTORS, NEEDS = KINDS["premises"], KINDS["actors"], KINDS["needs"]
COMEDIE = {"type": "Point", "coordinates": [-0.5755, 44.8427]}


def premises(**overrides: Any) -> dict[str, Any]:
    return {
        "nom": "Bureaux rue Sainte-Catherine",
        "type_local": "bureau",
        "origine": "mandat_gestion",
        "surface_m2": 120,
        "loyer_m2_an": 150,
        "disponible_le": "2026-12-01",
        "geometry": COMEDIE,
        **overrides,
    }


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Local)) or 0


def test_create_computes_commune_and_records_history(session: Session) -> None:
    created = create(session, PREMISES, premises(), "agent:lea")
    assert created["commune_insee"] == "33063" and created["version"] == 1
    assert created["ref"].startswith("L-") and created["geocodage"] == "saisi"
    assert abs(created["geometry"].x - -0.5755) < 1e-6
    entries = history(session, PREMISES, created["id"])
    assert [(e["action"], e["utilisateur"]) for e in entries] == [("INSERT", "agent:lea")]


def test_bad_values_are_all_named_in_french_and_nothing_is_written(session: Session) -> None:
    before = count(session)
    with pytest.raises(InvalidInput) as caught:
        create(
            session,
            PREMISES,
            premises(
                surface_m2=-5,
                loyer_m2_an="cher",
                type_local="chateau",
                disponible_le="31/02/2026",
                couleur="bleu",
            ),
            "agent:lea",
        )
    errors = caught.value.errors
    assert errors["surface_m2"] == ["« -5 » : Doit être ≥ 1."]
    assert errors["loyer_m2_an"] == ["« cher » : Attendu : un nombre."]
    assert "« chateau » : Valeurs permises : bureau, activite" in errors["type_local"][0]
    assert errors["disponible_le"][0].startswith("« 31/02/2026 »")
    assert errors["couleur"] == ["« bleu » : Champ inconnu."]
    assert count(session) == before


def test_rules_between_fields(session: Session) -> None:
    with pytest.raises(InvalidInput) as caught:
        create(
            session,
            PREMISES,
            premises(divisible=True, surface_lot_min_m2=500, disponible_jusqu_au="2026-01-01"),
            "t",
        )
    errors = caught.value.errors
    assert "un lot ne peut dépasser la surface du local (120 m²)" in errors["surface_lot_min_m2"][0]
    assert "doit suivre le 2026-12-01" in errors["disponible_jusqu_au"][0]


def test_siren_check_digit(session: Session) -> None:
    actor = {
        "nom": "Atelier",
        "siren": "732 829 321",
        "forme_juridique": "scop",
        "filiere": "reemploi",
        "stade": "developpement",
    }
    with pytest.raises(InvalidInput) as caught:
        create(session, ACTORS, actor, "t")
    assert caught.value.errors["siren"] == [
        "« 732 829 321 » : Clé de contrôle du SIREN incorrecte."
    ]
    created = create(session, ACTORS, {**actor, "siren": "732 829 320"}, "t")
    assert created["siren"] == "732829320"


def test_unknown_sector_lists_the_allowed_ones(session: Session) -> None:
    actor = {
        "nom": "X",
        "siren": "732829320",
        "forme_juridique": "scop",
        "filiere": "spatial",
        "stade": "emergence",
    }
    with pytest.raises(InvalidInput) as caught:
        create(session, ACTORS, actor, "t")
    assert (
        "« spatial » n'est pas connu ; valeurs permises : alimentation"
        in (caught.value.errors["filiere"][0])
    )


def test_a_point_outside_the_metropole_needs_confirmation(session: Session) -> None:
    libourne = {"type": "Point", "coordinates": [-0.2430, 44.8940]}
    with pytest.raises(InvalidInput) as caught:
        create(session, PREMISES, premises(geometry=libourne), "t")
    assert "hors de Bordeaux Métropole" in caught.value.errors["geometry"][0]
    kept = create(session, PREMISES, premises(geometry=libourne, hors_metropole_confirme=True), "t")
    assert kept["commune_insee"] is None


def test_stale_update_is_refused_and_changes_nothing(session: Session) -> None:
    created = create(session, PREMISES, premises(), "a")
    updated = update(session, PREMISES, created["id"], {"nom": "Nouveau nom", "version": 1}, "b")
    assert updated["version"] == 2 and updated["surface_m2"] == 120  # untouched by the patch
    with pytest.raises(Conflict, match="version 2, vous aviez la version 1"):
        update(session, PREMISES, created["id"], {"nom": "Écrasé", "version": 1}, "c")
    assert get(session, PREMISES, created["id"])["nom"] == "Nouveau nom"


def test_life_cycle_of_premises(session: Session) -> None:
    created = create(session, PREMISES, premises(), "a")
    with pytest.raises(InvalidInput, match="depuis « disponible », un local peut passer à"):
        update(session, PREMISES, created["id"], {"statut": "occupe", "version": 1}, "a")
    step = update(session, PREMISES, created["id"], {"statut": "sous_option", "version": 1}, "a")
    gone = withdraw(session, PREMISES, created["id"], step["version"], "a")
    assert gone["statut"] == "retire"


@pytest.fixture
def actor_id(session: Session) -> int:
    return session.scalars(select(Acteur.id).order_by(Acteur.id)).first() or 0


def test_a_need_must_say_where(session: Session, actor_id: int) -> None:
    need = {
        "acteur_id": actor_id,
        "intitule": "Atelier",
        "types_acceptes": ["activite"],
        "surface_min_m2": 100,
        "surface_max_m2": 80,
        "emmenagement_au_plus_tot": "2027-01-01",
    }
    with pytest.raises(InvalidInput) as caught:
        create(session, NEEDS, need, "t")
    assert set(caught.value.errors) == {"surface_max_m2", "zone_souhaitee"}
    zone = {
        "type": "Polygon",
        "coordinates": [
            [[-0.58, 44.83], [-0.56, 44.83], [-0.56, 44.85], [-0.58, 44.85], [-0.58, 44.83]]
        ],
    }
    created = create(session, NEEDS, {**need, "surface_max_m2": 150, "zone_souhaitee": zone}, "t")
    assert created["commune_insee"] == "33063"
    assert created["zone_souhaitee"].geom_type == "MultiPolygon"


@pytest.fixture
def geocoder() -> Iterator[Geocoder]:
    with ban_server() as server:
        yield Geocoder(base_url=server.url, timeout=2)


def test_an_address_is_geocoded(session: Session, geocoder: Geocoder) -> None:
    created = create(
        session,
        PREMISES,
        premises(geometry=None, adresse="Place de la Comédie 33000 Bordeaux"),
        "t",
        geocoder,
    )
    assert created["geocodage"] == "ban" and created["commune_insee"] == "33063"
    assert created["geocodage_score"] > 0.9


def test_a_geocoder_outage_never_blocks_saving(session: Session) -> None:
    down = Geocoder(base_url=closed_url(), timeout=1)
    created = create(
        session,
        PREMISES,
        premises(geometry=None, adresse="Place de la Comédie 33000 Bordeaux"),
        "t",
        down,
    )
    assert created["geocodage"] == "a_geocoder" and created["geometry"] is None


def test_search_filters(session: Session) -> None:
    total, items = search(
        session,
        PREMISES,
        {"commune_insee": "33063", "type_local": "bureau", "surface_max": 200},
        Page(1, 10),
    )
    assert total > 0 and len(items) == min(total, 10)
    assert all(i["commune_insee"] == "33063" and i["surface_m2"] <= 200 for i in items)
    needs_total, _ = search(session, NEEDS, {"filiere": "reemploi"}, Page(1, 5))
    assert needs_total > 0
