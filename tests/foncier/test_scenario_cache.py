"""A scenario's page is computed once per version and data version, then read back; and
the comparison shows the clause's parameters with their differences."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from foncier.db import transaction
from foncier.scenarios import service
from foncier.scenarios.comparison import compare_pages
from foncier.scenarios.document import read_document
from foncier.scenarios.store import copy_scenario, save, update_clause
from foncier.vocabulary import OPEN_NEEDS

EXAMPLE = Path(__file__).parents[2] / "data" / "scenario-exemple.yaml"


def test_a_page_is_computed_once_per_version_and_data(
    session: Session, computations: list[str]
) -> None:
    saved = save(session, read_document(EXAMPLE), "tests")
    first = service.scenario_page(session, saved.ref)
    again = service.scenario_page(session, saved.ref)
    assert computations == [saved.ref]  # the second view reads the stored page
    assert again.result == first.result and again.charts == first.charts
    assert again.computed_at == first.computed_at
    assert again.charts["heatmap"].startswith("<svg")

    document = saved.document
    document["lots"][0]["ess_share"] = 0.3
    update_clause(session, saved.ref, document, saved.version, "tests")
    newer = service.scenario_page(session, saved.ref)
    assert computations == [saved.ref] * 2  # a new version is computed afresh
    assert newer.result["ess_area_m2"] > first.result["ess_area_m2"]

    with transaction(session, "tests"):  # a need leaves the open needs: coverage may change
        session.execute(
            text(
                "UPDATE besoins SET statut = 'abandonne' WHERE id = "
                "(SELECT min(id) FROM besoins WHERE statut = ANY(:open))"
            ),
            {"open": list(OPEN_NEEDS)},
        )
    service.scenario_page(session, saved.ref)
    service.scenario_page(session, saved.ref)
    assert computations == [saved.ref] * 3


def test_the_comparison_shows_parameters_and_differences(session: Session) -> None:
    first = save(session, read_document(EXAMPLE), "tests")
    second = copy_scenario(session, first.ref, "Part ESS doublée", "tests")
    document = second.document
    document["lots"][0]["ess_share"] = 0.3  # B1: 15 % in the example
    document["lots"][0]["ess_land_charge_eur_m2"] = 250.0
    document["duration_years"] = 12
    update_clause(session, second.ref, document, second.version, "tests")
    table = compare_pages(session, [first.ref, second.ref])
    assert table.refs == [first.ref, second.ref]
    sections = dict(table.sections)
    rows = {row.label: row for row in sections["Paramètres de la clause"]}
    assert rows["Durée de la clause"].values == [9, 12]
    assert rows["Durée de la clause"].deltas[1] == 3
    assert rows["Durée de la clause"].relative[1] == pytest.approx(1 / 3)
    assert rows["Durée de la clause"].differs == [False, True]
    assert rows["Taux d'actualisation"].differs == [False, False]
    lot = {row.label: row for row in sections["Lot B1"]}
    assert lot["part ESS"].values == [0.15, 0.3]
    assert lot["part ESS"].deltas[1] == pytest.approx(0.15)
    assert lot["charge foncière ESS"].values == [None, 250.0]
    assert lot["charge foncière ESS"].differs == [False, True]
    figures = {row.label: row for row in sections["Chiffres clés"]}
    loss = figures["Recette perdue par l'aménageur"]
    assert loss.differs == [False, True]
    assert loss.deltas[1] == pytest.approx(loss.values[1] - loss.values[0])
    assert loss.relative[1] == pytest.approx(loss.deltas[1] / loss.values[0])
