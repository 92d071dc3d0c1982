"""Scenarios end to end: the documented file, its JSON keys, bad input, and coverage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from foncier.cli import main
from foncier.errors import InvalidInput
from foncier.scenarios.coverage import coverage_pairs, open_needs, virtual_premises
from foncier.scenarios.document import read_document, validate_document
from foncier.scenarios.evaluate import evaluate
from foncier.scenarios.service import at_cap, cap_curves, sweep_scenario
from matching.constraints import check_constraints
from matching.settings import Settings

EXAMPLE = Path(__file__).parents[2] / "data" / "scenario-exemple.yaml"
PERIMETER = {
    "type": "Polygon",
    "coordinates": [
        [
            [-0.551, 44.8555],
            [-0.547, 44.8555],
            [-0.547, 44.8595],
            [-0.551, 44.8595],
            [-0.551, 44.8555],
        ]
    ],
}


def one_lot(**overrides: Any) -> dict[str, Any]:
    lot = {
        "ref": "A",
        "use": "bureaux",
        "sdp_m2": 1000,
        "eta": 0.9,
        "price_eur_m2": 3000,
        "construction_eur_m2": 1500,
        "fees_technical": 0.1,
        "contingencies": 0.05,
        "taxes_eur": 50000,
        "margin": 0.08,
        "fees_commercial": 0.03,
        "fees_management": 0.02,
        "fees_financial": 0.02,
        "ess_share": 0.2,
        "cap_price_eur_m2": 2500,
    }
    return {**lot, **overrides}


def run_cli(url: str, *args: str) -> Any:
    env = {"DATABASE_URL": url, "FONCIER_GEOCODER_URL": "aucun"}
    return CliRunner().invoke(main, ["scenario", *args], env=env, catch_exceptions=False)


def test_the_documented_example_runs_with_the_promised_keys(loaded: Engine, empty_db: str) -> None:
    result = run_cli(empty_db, "run", str(EXAMPLE), "--json")
    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    for key in (
        "balance_before_eur",
        "balance_after_eur",
        "contribution_needed_eur",
        "needs_served",
        "ess_area_m2",
    ):
        assert key in output
    shares = {lot["ref"]: lot["ess_share"] for lot in read_document(EXAMPLE)["lots"]}
    for lot in output["lots"]:
        expected = shares[lot["ref"]] * lot["cfa_market_eur"] - lot["cfa_ess_eur"]
        assert lot["revenue_loss_eur"] == pytest.approx(expected)
    loss = sum(lot["revenue_loss_eur"] for lot in output["lots"])
    assert output["balance_after_eur"] == pytest.approx(output["balance_before_eur"] - loss)
    assert output["contribution_needed_eur"] == max(0.0, -output["balance_after_eur"])
    assert output["ess_area_m2"] == pytest.approx(6000 * 0.15 + 4000 * 0.3 + 1500 * 0.2)
    assert output["needs_served"] == output["coverage"]["needs_served"] > 0
    text = run_cli(empty_db, "run", str(EXAMPLE))
    assert "Bilan de l'aménageur" in text.output and "Couverture" in text.output


def test_a_hand_computed_lot_through_a_json_file(
    loaded: Engine, empty_db: str, tmp_path: Path
) -> None:
    # Market: CFA 520,000 €; ESS part at 2,500 €/m²: 27,500 €; ΔR 76,500 €.
    # Balance: 520,000 + 0 − 600,000 = −80,000 before; −156,500 after.
    path = tmp_path / "lot.json"
    document = {"perimeter": PERIMETER, "other_expenditures_eur": 600000, "lots": [one_lot()]}
    path.write_text(json.dumps(document), encoding="utf-8")
    output = json.loads(run_cli(empty_db, "run", str(path), "--json").output)
    (lot,) = output["lots"]
    assert lot["ref"] == "A"
    assert lot["cfa_market_eur"] == pytest.approx(520_000)
    assert lot["cfa_ess_eur"] == pytest.approx(27_500)
    assert lot["revenue_loss_eur"] == pytest.approx(76_500)
    assert output["balance_before_eur"] == pytest.approx(-80_000)
    assert output["balance_after_eur"] == pytest.approx(-156_500)
    assert output["contribution_needed_eur"] == pytest.approx(156_500)
    assert output["ess_area_m2"] == pytest.approx(200)


def test_a_fixed_ess_land_charge_reports_the_margin(loaded: Engine) -> None:
    document = validate_document(
        {"perimeter": PERIMETER, "lots": [one_lot(ess_land_charge_eur_m2=250)]}
    )
    per_lot, operation = evaluate(document)
    assert per_lot.loc[0, "cfa_ess_eur"] == pytest.approx(50_000)  # 250 € × 200 m²
    assert per_lot.loc[0, "developer_margin_ess"] == pytest.approx(0.03)
    assert operation["lots_below_minimum_margin"] == ["A"]


def test_bad_input_names_the_value_and_what_is_allowed(empty_db: str, tmp_path: Path) -> None:
    bad = {"perimeter": PERIMETER, "lots": [one_lot(use="usine", eta=1.4), one_lot(sdp_m2=-3)]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    result = run_cli(empty_db, "run", str(path))
    assert result.exit_code == 1
    assert "lots[0][use] : « usine » : Usage inconnu ; valeurs permises : bureaux" in result.output
    assert "lots[0][eta] : « 1.4 » : Doit être au plus 1." in result.output
    assert "lots[1][sdp_m2] : « -3 » : Doit être > 0." in result.output
    with pytest.raises(InvalidInput, match="price_eur_m2 \\(vente\\), soit rent_eur_m2_year"):
        validate_document({"perimeter": PERIMETER, "lots": [one_lot(rent_eur_m2_year=150)]})
    with pytest.raises(InvalidInput, match="« logement » : la clause ESS porte sur des lots"):
        validate_document({"perimeter": PERIMETER, "lots": [one_lot(use="logement")]})
    (tmp_path / "broken.yaml").write_text("lots: [\n", encoding="utf-8")
    broken = run_cli(empty_db, "run", str(tmp_path / "broken.yaml"))
    assert broken.exit_code == 1 and "n'est pas un YAML valide" in broken.output


def test_sweep_break_even_line_lies_where_the_balance_changes_sign() -> None:
    document = read_document(EXAMPLE)
    result = sweep_scenario(document, caps=[0.6, 0.8, 1.0], shares=[0.0, 0.1, 0.2, 0.3, 0.4, 0.5])
    grid = {(p["cap"], p["share"]): p["balance_after_eur"] for p in result["grid"]}
    crossings = {p["cap"]: p["share"] for p in result["break_even"]}
    assert crossings[1.0] is None  # no cap, no cost: the balance keeps its sign
    for cap in (0.6, 0.8):
        share = crossings[cap]
        assert share is not None
        below = [b for (c, s), b in grid.items() if c == cap and s < share]
        above = [b for (c, s), b in grid.items() if c == cap and s > share]
        assert below and above
        assert all(b > 0 for b in below) and all(b < 0 for b in above)
        exact = sweep_scenario(document, caps=[cap], shares=[share])["grid"][0]
        assert exact["balance_after_eur"] == pytest.approx(0.0, abs=0.01)


def test_sweep_refuses_a_cap_out_of_range() -> None:
    with pytest.raises(InvalidInput, match=r"« 1\.5, 0 » : chaque valeur doit être dans"):
        sweep_scenario(read_document(EXAMPLE), caps=[0.5, 1.5, 0.0], shares=[0.1])


def test_coverage_grows_as_the_cap_falls_on_the_demo_needs(session: Session) -> None:
    curves = cap_curves(session, read_document(EXAMPLE), caps=[1.0, 0.8, 0.6, 0.4])
    served = [point["needs_served"] for point in curves]
    assert served == sorted(served), served  # never fewer needs served at a lower cap
    assert served[-1] > served[0]
    costs = [point["cost_per_ess_m2_eur"] for point in curves]
    assert costs == sorted(costs)  # and a lower cap costs more per ESS m²


def test_no_served_need_breaks_a_hard_constraint(session: Session) -> None:
    document = at_cap(read_document(EXAMPLE), 0.5)
    per_lot, _ = evaluate(document)
    units = virtual_premises(session, document, per_lot)
    pairs = coverage_pairs(open_needs(session), units, document["available_from"])
    checks = check_constraints(pairs, Settings())
    from foncier.scenarios.coverage import summarise

    summary = summarise(pairs, open_needs(session), units, Settings())
    served = {(s["need_ref"], s["premises_ref"]) for s in summary["served"]}
    assert served
    needs = open_needs(session).set_index("need_id")["ref"]
    refs = units.set_index("premises_id")["unit_ref"]
    passing = {
        (needs[n], refs[p])
        for n, p in checks.loc[checks["passes"], ["need_id", "premises_id"]].values
    }
    assert served <= passing
    # Each virtual premises hosts one need at most, and no more m² than it has.
    assert len({p for _, p in served}) == len(served)
    assert sum(s["area_m2"] for s in summary["served"]) <= units["area_m2"].sum() + 1e-6


def test_the_cli_reads_caps_either_way_and_a_perimeter_file(
    loaded: Engine, empty_db: str, tmp_path: Path
) -> None:
    plain = json.loads(run_cli(empty_db, "sweep", str(EXAMPLE), "--caps", "0.5 1", "--json").output)
    french = json.loads(
        run_cli(empty_db, "sweep", str(EXAMPLE), "--caps", "0,5;1", "--json").output
    )
    assert [p["cap"] for p in plain["break_even"]] == [0.5, 1.0]
    assert plain == french
    refused = run_cli(empty_db, "sweep", str(EXAMPLE), "--caps", "beaucoup")
    assert refused.exit_code == 2 and "« beaucoup » : attendu des nombres" in refused.output
    one = json.loads(run_cli(empty_db, "sweep", str(EXAMPLE), "--shares", "0,1", "--json").output)
    assert {p["share"] for p in one["grid"]} == {0.1}  # a comma is decimal: one share of 10 %
    # A perimeter file elsewhere: the lots placed outside it are placed inside it.
    far = {
        "type": "Polygon",
        "coordinates": [[[-0.60, 44.83], [-0.59, 44.83], [-0.59, 44.84], [-0.60, 44.83]]],
    }
    path = tmp_path / "perimetre.geojson"
    path.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": far}), "utf-8")
    moved = run_cli(empty_db, "run", str(EXAMPLE), "--perimeter", str(path), "--json")
    assert moved.exit_code == 0, moved.output
    assert json.loads(moved.output)["ess_area_m2"] == pytest.approx(2400.0)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"indices": {"ILAT": {"base": "2023"}}}, "indices", "« 2023 » n'est pas un trimestre"),
        (
            {"indices": {"ILAT": {"base": "2023-T1", "series": {"2023-T1": 1, "2023-T5": 2}}}},
            "indices",
            "« 2023-T5 » n'est pas un trimestre",
        ),
        (
            {"indices": {"ILAT": {"series": {"2023-T1": 128.59, "2024-T1": 135.13}}}},
            "indices",
            "Obligatoire avec une série",
        ),
        (
            {"indices": {"ILAT": {"base": "2022-T1", "series": {"2023-T1": 1.0, "2024-T1": 2.0}}}},
            "indices",
            "« 2022-T1 » : trimestre absent de la série",
        ),
        ({"unit_sizes_m2": []}, "unit_sizes_m2", "Au moins une taille de local."),
        ({"unit_sizes_m2": [0.1]}, "unit_sizes_m2[0]", "« 0.1 » : Doit être ≥ 10."),
        ({"duration_years": 2_000_000}, "duration_years", "Doit être un entier de 1 à 99."),
        ({"ess_programme_share": 0.1}, "ess_programme_share", "« A » ont leur propre part ESS"),
    ],
)
def test_what_the_model_cannot_use_is_refused_up_front(
    change: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_document({"perimeter": PERIMETER, "lots": [one_lot()], **change})
    found = " ".join(
        m for key, ms in refused.value.errors.items() if key.startswith(field) for m in ms
    )
    assert message in found, refused.value.errors


def test_one_cap_per_lot_and_margins_flagged_only_under_a_fixed_charge() -> None:
    with pytest.raises(InvalidInput, match="un seul plafond par lot"):
        validate_document({"perimeter": PERIMETER, "lots": [one_lot(cap_share_of_market=0.7)]})
    free = validate_document({"perimeter": PERIMETER, "lots": [one_lot(margin=0.0)]})
    assert evaluate(free)[1]["lots_below_minimum_margin"] == []  # a residual keeps its rate
