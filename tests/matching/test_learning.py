"""Learning the weights from decisions: recovery of known weights, warnings, the model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr
from sklearn.linear_model import LogisticRegression

from matching.learning import (
    FEATURES,
    Thresholds,
    example_decisions,
    fit_nonnegative_logistic,
    learn_weights,
)
from matching.settings import CRITERIA, DEFAULT_WEIGHTS

# Known weights, all different, evenly spaced from 0.2 down to 0.022 (they sum to 1).
TRUTH = dict(zip(CRITERIA, np.linspace(0.2, 0.0222, 9).tolist(), strict=True))


def rank_correlation(learned: dict[str, float]) -> float:
    return float(spearmanr([TRUTH[c] for c in CRITERIA], [learned[c] for c in CRITERIA]).statistic)


@pytest.mark.parametrize("seed", range(6))
def test_500_decisions_recover_known_weights(seed: int) -> None:
    # A committee that mostly agrees with the known weights, with noise: a proposal is
    # favoured with probability sigmoid(30 × (score − mean score)).
    decisions = example_decisions(TRUTH, 500, sharpness=30.0, seed=seed)
    learned = learn_weights(decisions, DEFAULT_WEIGHTS, bootstrap=30, seed=seed)
    assert rank_correlation(learned.weights) >= 0.9
    assert learned.adoptable and learned.warnings == ()
    assert sum(learned.weights.values()) == pytest.approx(1.0)
    assert learned.auc is not None and learned.auc_current is not None
    assert learned.auc > 0.7
    assert learned.first_learned is not None and learned.first_current is not None
    assert all(learned.low[c] <= learned.weights[c] + 1e-9 for c in CRITERIA)
    assert all(learned.weights[c] <= learned.high[c] + 1e-9 for c in CRITERIA)


def test_ten_decisions_warn_rather_than_adopt() -> None:
    learned = learn_weights(example_decisions(TRUTH, 10, seed=3), DEFAULT_WEIGHTS, bootstrap=10)
    assert not learned.adoptable
    assert learned.warnings[0] == (
        "Trop peu de décisions pour conclure : 10, il en faut au moins 100."
    )
    assert any("séances" in w for w in learned.warnings)


def test_learned_weights_beat_the_current_ones_when_the_committee_disagrees_with_them() -> None:
    # The committee only cares about cost; the current weights mostly about location.
    decisions = example_decisions({"cost": 1.0}, 600, sharpness=30.0, seed=5)
    learned = learn_weights(decisions, {"location": 1.0}, bootstrap=10)
    assert max(learned.weights, key=lambda c: learned.weights[c]) == "cost"
    assert learned.auc is not None and learned.auc_current is not None
    assert learned.auc > learned.auc_current + 0.2
    assert learned.first_learned is not None and learned.first_current is not None
    assert learned.first_learned > learned.first_current


def test_the_fit_is_scikit_learns_logistic_regression_when_no_bound_binds() -> None:
    decisions = example_decisions(dict.fromkeys(CRITERIA, 1.0), 800, sharpness=20.0, seed=2)
    x, y = decisions[list(FEATURES)].to_numpy(float), decisions["favourable"].to_numpy(bool)
    reference = LogisticRegression(C=10.0, tol=1e-10, max_iter=10_000).fit(x, y)
    assert (reference.coef_ > 0).all()
    coef, intercept = fit_nonnegative_logistic(x, y, c=10.0)
    assert coef == pytest.approx(reference.coef_[0], rel=1e-3, abs=1e-3)
    assert intercept == pytest.approx(reference.intercept_[0], rel=1e-3, abs=1e-3)


def test_a_criterion_that_counts_against_gets_zero_not_a_negative_weight() -> None:
    decisions = example_decisions({"location": 1.0}, 400, sharpness=30.0, seed=4)
    decisions["value_qpv"] = 1.0 - decisions["value_location"]  # the opposite of what counts
    coef, _ = fit_nonnegative_logistic(
        decisions[list(FEATURES)].to_numpy(float), decisions["favourable"].to_numpy(bool)
    )
    assert (coef >= 0).all() and coef[CRITERIA.index("qpv")] == 0.0


def test_one_kind_of_decision_only_keeps_the_current_weights() -> None:
    decisions = example_decisions(TRUTH, 200, seed=1).assign(favourable=True)
    learned = learn_weights(decisions, DEFAULT_WEIGHTS, bootstrap=5)
    assert learned.weights == pytest.approx(learned.current)
    assert learned.auc is None and not learned.adoptable


def test_no_decision_at_all_warns() -> None:
    empty = example_decisions(TRUTH, 0)
    learned = learn_weights(empty, DEFAULT_WEIGHTS, bootstrap=5)
    assert learned.decisions == 0 and not learned.adoptable
    assert learned.weights == pytest.approx(learned.current)


def test_thresholds_are_settings() -> None:
    decisions = example_decisions(TRUTH, 60, per_session=10, sharpness=30.0, seed=1)
    strict = learn_weights(decisions, DEFAULT_WEIGHTS, bootstrap=5)
    lenient = learn_weights(
        decisions, DEFAULT_WEIGHTS, bootstrap=5, thresholds=Thresholds(50, 5, 10)
    )
    assert not strict.adoptable and lenient.adoptable


def test_bad_decisions_are_refused_naming_the_columns() -> None:
    with pytest.raises(ValueError, match="colonnes manquantes dans les décisions : favourable"):
        learn_weights(example_decisions(TRUTH, 20).drop(columns="favourable"), DEFAULT_WEIGHTS)
    bad = example_decisions(TRUTH, 20).assign(value_cost=np.nan)
    with pytest.raises(ValueError, match="manquantes : value_cost"):
        learn_weights(bad, DEFAULT_WEIGHTS)


def test_example_decisions_follow_the_contract() -> None:
    frame = example_decisions(TRUTH, 90)
    assert list(frame.columns[:3]) == ["session_id", "premises_id", "favourable"]
    assert frame["session_id"].nunique() == 3 and isinstance(frame, pd.DataFrame)
