"""Price caps in everyday matching: an adopted scenario caps the rent of registered premises
inside its operation, and the matcher uses the capped rent."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.matching.candidates import Scope, candidate_pairs
from foncier.models import Acteur, PlafondLoyer
from foncier.registry import KINDS, create
from foncier.scenarios.caps import cap_in_force, rent_caps
from foncier.scenarios.document import read_document
from foncier.scenarios.store import adopt, copy_scenario, save, update_clause
from matching.settings import Settings

EXAMPLE = Path(__file__).parents[2] / "data" / "scenario-exemple.yaml"


def test_the_example_caps_offices_shops_and_workshops() -> None:
    caps = rent_caps(read_document(EXAMPLE))
    assert caps == {
        "bureau": {"loyer_max_m2_an": None, "part_du_marche": 0.7},
        "activite": {"loyer_max_m2_an": 75.0, "part_du_marche": None},
        "commerce": {"loyer_max_m2_an": None, "part_du_marche": 0.7},
    }


def test_a_capped_sale_price_caps_the_foncieres_rent() -> None:
    document = read_document(EXAMPLE)
    document["lots"][0].update(cap_share_of_market=None, cap_price_eur_m2=2400.0)
    # The Foncière buys at 2,400 €/m² and lets at 5 %: 120 €/m²/year.
    assert rent_caps(document)["bureau"] == {"loyer_max_m2_an": 120.0, "part_du_marche": None}


def _office_and_need(session: Session) -> tuple[int, int]:
    """An office inside the example's perimeter at 300 €/m²/year, and a need that can pay 230."""
    office = create(
        session,
        KINDS["premises"],
        {
            "nom": "Bureaux rive droite",
            "type_local": "bureau",
            "origine": "operation_amenagement",
            "surface_m2": 120,
            "loyer_m2_an": 300,
            "loyer_marche_m2_an": 300,
            "disponible_le": "2026-01-01",
            "geometry": {"type": "Point", "coordinates": [-0.5490, 44.8570]},
        },
        "tests",
    )
    actor = session.scalars(select(Acteur.id).order_by(Acteur.id)).first()
    need = create(
        session,
        KINDS["needs"],
        {
            "acteur_id": actor,
            "intitule": "Bureaux pour 8 personnes",
            "types_acceptes": ["bureau"],
            "surface_min_m2": 100,
            "surface_max_m2": 150,
            "budget_loyer_m2_an": 200,
            "communes_souhaitees": ["33063"],
            "emmenagement_au_plus_tot": date.today().isoformat(),
        },
        "tests",
    )
    return int(office["id"]), int(need["id"])


def test_an_adopted_scenario_caps_the_rent_the_matcher_sees(session: Session) -> None:
    office, need = _office_and_need(session)

    def offered() -> list[float]:
        pairs = candidate_pairs(session, Settings(), Scope(need_id=need, premises_id=office))
        return pairs["rent_m2_year"].tolist()

    assert offered() == []  # 300 > 200 × 1.1: too dear
    scenario = save(session, read_document(EXAMPLE), "tests")
    scenario = adopt(session, scenario.ref, "tests")
    assert offered() == [pytest.approx(210.0)]  # 70 % of its 300 market rent: affordable
    assert cap_in_force(session, office) == {
        "loyer_m2_an": pytest.approx(210.0),
        "scenario_ref": scenario.ref,
        "scenario_nom": scenario.name,
    }
    # Editing the adopted clause moves the cap in force with it.
    document = scenario.document
    document["lots"][0]["cap_share_of_market"] = 0.5
    update_clause(session, scenario.ref, document, scenario.version, "tests")
    assert offered() == [pytest.approx(150.0)]
    # Adopting a scenario without ESS share lifts the caps.
    plain = copy_scenario(session, scenario.ref, "Sans clause", "tests")
    document = plain.document
    for lot in document["lots"]:
        lot["ess_share"] = 0.0
    update_clause(session, plain.ref, document, plain.version, "tests")
    adopt(session, plain.ref, "tests")
    assert offered() == []
    assert session.scalars(select(PlafondLoyer)).all() == []
    assert cap_in_force(session, office) is None
