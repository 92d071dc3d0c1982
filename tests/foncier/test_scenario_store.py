"""Saved scenarios: a round trip, copies, stale edits, adoption, history and comparison."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.errors import Conflict, InvalidInput, NotFound
from foncier.models import Historique, Scenario
from foncier.scenarios.document import read_document
from foncier.scenarios.evaluate import evaluate
from foncier.scenarios.service import compare_saved
from foncier.scenarios.store import (
    adopt,
    copy_scenario,
    get_scenario,
    save,
    saved_scenario,
    update_clause,
)

EXAMPLE = Path(__file__).parents[2] / "data" / "scenario-exemple.yaml"


def test_a_saved_scenario_computes_as_its_file(session: Session) -> None:
    document = read_document(EXAMPLE)
    saved = save(session, document, "tests")
    assert saved.ref.startswith("SC-") and saved.operation_ref.startswith("OP-")
    again = saved.document
    before, after = evaluate(document)[1], evaluate(again)[1]
    assert after["balance_after_eur"] == pytest.approx(before["balance_after_eur"])
    assert after["revenue_loss_eur"] == pytest.approx(before["revenue_loss_eur"])
    assert [lot["ref"] for lot in again["lots"]] == ["B1", "A1", "C1", "L1"]
    assert again["indices"]["ILAT"]["series"] == {"2023-T1": 128.59, "2024-T1": 135.13}


def test_copy_edit_and_a_stale_edit(session: Session) -> None:
    original = save(session, read_document(EXAMPLE), "tests")
    variant = copy_scenario(session, original.ref, "Plafond à 50 %", "tests")
    assert variant.operation_ref == original.operation_ref and variant.ref != original.ref
    document = variant.document
    for lot in document["lots"]:
        lot["cap_share_of_market"], lot["cap_rent_eur_m2_year"] = 0.5, None
    variant = update_clause(session, variant.ref, document, variant.version, "tests")
    assert variant.version == 2
    cheaper = evaluate(variant.document)[1]
    assert cheaper["revenue_loss_eur"] > evaluate(read_document(EXAMPLE))[1]["revenue_loss_eur"]
    with pytest.raises(Conflict, match="modifié entre-temps"):
        update_clause(session, variant.ref, read_document(EXAMPLE), 1, "tests")
    variant = saved_scenario(session, variant.ref)
    assert variant.version == 2  # the stale edit wrote nothing
    assert get_scenario(session, variant.ref).clause["lots"]["B1"]["cap_share_of_market"] == 0.5
    document["lots"] = document["lots"][:2]
    with pytest.raises(InvalidInput, match="lot C1 : Propre à l'opération"):
        update_clause(session, variant.ref, document, 2, "tests")
    costly = variant.document
    costly["other_expenditures_eur"] = 99_000_000
    with pytest.raises(InvalidInput, match="other_expenditures_eur : Propre à l'opération"):
        update_clause(session, variant.ref, costly, 2, "tests")


def test_adopting_one_scenario_sets_aside_the_others(session: Session) -> None:
    first = save(session, read_document(EXAMPLE), "tests")
    second = copy_scenario(session, first.ref, "Variante", "tests")
    adopt(session, first.ref, "tests")
    second = adopt(session, second.ref, "tests")
    first = saved_scenario(session, first.ref)
    assert second.adopted and not first.adopted
    second_id = get_scenario(session, second.ref).id
    history = session.scalars(
        select(Historique).where(
            Historique.table_name == "scenarios", Historique.record_id == str(second_id)
        )
    ).all()
    assert [h.action for h in history][:1] == ["INSERT"] and len(history) >= 2
    assert {h.utilisateur for h in history} == {"tests"}


def test_saving_over_an_operation_with_other_lots_is_refused(session: Session) -> None:
    first = save(session, read_document(EXAMPLE), "tests")
    document = read_document(EXAMPLE)
    document["lots"] = document["lots"][:1]
    with pytest.raises(Conflict, match="diffère de ce scénario \\(lot A1, lot C1, lot L1\\)"):
        save(session, document, "tests", operation_ref=first.operation_ref)
    count = len(session.scalars(select(Scenario)).all())
    same = save(session, read_document(EXAMPLE), "tests", operation_ref=first.operation_ref)
    assert same.operation_ref == first.operation_ref
    assert len(session.scalars(select(Scenario)).all()) == count + 1


def test_compare_side_by_side(session: Session) -> None:
    first = save(session, read_document(EXAMPLE), "tests")
    second = copy_scenario(session, first.ref, "Sans clause", "tests")
    document = second.document
    for lot in document["lots"]:
        lot["ess_share"] = 0.0
    update_clause(session, second.ref, document, second.version, "tests")
    table = compare_saved(session, [first.ref, second.ref])
    assert list(table.columns) == [f"{first.ref} {first.name}", f"{second.ref} Sans clause"]
    assert table.loc["revenue_loss_eur"].iloc[1] == 0
    assert table.loc["revenue_loss_eur"].iloc[0] > 0
    assert table.loc["needs_served"].iloc[1] == 0
    with pytest.raises(NotFound, match="« SC-9999 »"):
        compare_saved(session, ["SC-9999"])
