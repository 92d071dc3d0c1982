"""Learn the criteria weights from the engagement committee's decisions.

Each decision is a proposal the committee judged, favourable or not, with the nine criterion
values of ``matching.settings.CRITERIA`` it was scored on (``value_<criterion>``, as
``matching.scoring.score_pairs`` gives them). The model is the L2-penalised logistic loss of
scikit-learn's ``LogisticRegression`` (the same objective, ``C`` included), minimised under
the constraint that every coefficient is non-negative (scipy's L-BFGS-B): a criterion may
count for nothing, never against a candidate. The coefficients, divided by their sum, are
weights the score can use as they are, since the score is the weighted sum of the same values.

What tells whether to trust them:

- the AUC of the model cross-validated by session (``GroupKFold``: a session's decisions are
  never both learned from and judged), beside the AUC of the current weights' score;
- how often the current and the learned weights (out of fold) rank the favoured candidate of
  a premises first, over the premises where the committee favoured one of several;
- each weight's bootstrap interval (sessions drawn with replacement, 5th–95th percentiles);
- warnings when there are too few decisions, sessions, or decisions of either kind: then the
  learned weights should not be adopted (``LearnedWeights.adoptable`` is False).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.optimize import minimize
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

from matching.settings import CRITERIA

FloatArray = npt.NDArray[np.float64]
FEATURES = tuple(f"value_{c}" for c in CRITERIA)
# The columns a decisions frame must have, besides the nine FEATURES.
KEYS = ("session_id", "premises_id", "favourable")


@dataclass(frozen=True)
class Thresholds:
    """Below these, the data cannot tell weights apart: the result warns and is not adoptable."""

    decisions: int = 100
    sessions: int = 5
    each_kind: int = 20  # favourable and unfavourable decisions, each


@dataclass(frozen=True)
class LearnedWeights:
    weights: dict[str, float]  # learned, summing to 1 (the current ones if nothing was learned)
    low: dict[str, float]  # bootstrap 5th percentile of each weight
    high: dict[str, float]  # bootstrap 95th percentile
    current: dict[str, float]  # normalised
    auc: float | None  # learned model, cross-validated by session
    auc_current: float | None  # the current weights' score, on the same decisions
    first_current: float | None  # share of premises whose favoured candidate ranks first
    first_learned: float | None  # the same with the learned weights, out of fold
    decisions: int
    sessions: int
    contests: int  # premises where the committee favoured one of several candidates
    warnings: tuple[str, ...] = field(default=())

    @property
    def adoptable(self) -> bool:
        return not self.warnings


def fit_nonnegative_logistic(
    features: FloatArray, favourable: npt.NDArray[np.bool_], c: float = 10.0
) -> tuple[FloatArray, float]:
    """Coefficients (all ≥ 0) and intercept minimising C·Σ log-loss + ½‖coef‖².

    Examples
    --------
    >>> x = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 0.0], [1.0, 1.0]] * 10)
    >>> y = np.array([False, True, False, True] * 10)
    >>> coef, intercept = fit_nonnegative_logistic(x, y)
    >>> bool(coef[0] > 3), float(coef[1])
    (True, 0.0)
    """
    x = np.asarray(features, dtype=np.float64)
    y = np.where(np.asarray(favourable, dtype=bool), 1.0, -1.0)
    start = np.zeros(x.shape[1] + 1)
    bounds = [(0.0, None)] * x.shape[1] + [(None, None)]
    result = minimize(_loss, start, args=(x, y, c), jac=True, method="L-BFGS-B", bounds=bounds)
    coef = np.maximum(np.asarray(result.x[:-1], dtype=np.float64), 0.0)
    return coef, float(result.x[-1])


def _loss(theta: FloatArray, x: FloatArray, y: FloatArray, c: float) -> tuple[float, FloatArray]:
    coef, intercept = theta[:-1], theta[-1]
    margin = y * (x @ coef + intercept)
    loss = c * float(np.sum(np.logaddexp(0.0, -margin))) + 0.5 * float(coef @ coef)
    slope = -y / (1.0 + np.exp(margin))  # d log-loss / d (x·coef + intercept)
    gradient = np.append(c * (x.T @ slope) + coef, c * float(np.sum(slope)))
    return loss, gradient


def learn_weights(
    decisions: pd.DataFrame,
    current: dict[str, float],
    *,
    thresholds: Thresholds = Thresholds(),
    folds: int = 5,
    bootstrap: int = 200,
    seed: int = 0,
) -> LearnedWeights:
    """Fit the weights on ``decisions`` and say how far to trust them.

    ``decisions`` has ``session_id``, ``premises_id`` (the candidates weighed together are
    those of one premises in one session), ``favourable`` (bool) and the nine
    ``value_<criterion>`` columns in [0, 1]. ``current`` maps criteria to weights.

    Examples
    --------
    >>> truth = dict(zip(CRITERIA, [0.3, 0.2, 0.15, 0.1, 0.08, 0.07, 0.05, 0.03, 0.02]))
    >>> learned = learn_weights(example_decisions(truth, 600, seed=1), truth, bootstrap=20)
    >>> learned.adoptable, max(learned.weights, key=learned.weights.get)
    (True, 'location')
    >>> few = learn_weights(example_decisions(truth, 10, seed=1), truth, bootstrap=20)
    >>> few.adoptable, few.warnings[0]
    (False, 'Trop peu de décisions pour conclure : 10, il en faut au moins 100.')
    """
    _check(decisions)
    x = decisions[list(FEATURES)].to_numpy(np.float64)
    y = decisions["favourable"].to_numpy(bool)
    groups = np.asarray(decisions["session_id"].astype(str), dtype=np.str_)
    now = _normalised(np.array([current.get(c, 0.0) for c in CRITERIA], dtype=np.float64))
    coef, _ = fit_nonnegative_logistic(x, y) if len(set(y)) == 2 else (np.zeros(x.shape[1]), 0.0)
    learned = _normalised(coef) if coef.sum() > 0 else now
    out_of_fold = _out_of_fold(x, y, groups, folds)
    low, high = _intervals(x, y, groups, bootstrap, seed, learned)
    contests = _contests(decisions)
    return LearnedWeights(
        weights=_named(learned),
        low=_named(low),
        high=_named(high),
        current=_named(now),
        auc=_auc(y, out_of_fold),
        auc_current=_auc(y, x @ now),
        first_current=_first(decisions, x @ now, contests),
        first_learned=_first(decisions, out_of_fold, contests),
        decisions=len(decisions),
        sessions=len(set(groups)),
        contests=len(contests),
        warnings=_warnings(y, groups, thresholds, coef),
    )


def _check(decisions: pd.DataFrame) -> None:
    missing = [c for c in (*KEYS, *FEATURES) if c not in decisions.columns]
    if missing:
        raise ValueError(f"colonnes manquantes dans les décisions : {', '.join(missing)}")
    values = decisions[list(FEATURES)].to_numpy(np.float64)
    bad = ~np.isfinite(values) | (values < 0) | (values > 1)
    if bad.any():
        columns = sorted({FEATURES[j] for j in np.nonzero(bad)[1]})
        raise ValueError(f"valeurs hors de [0, 1] ou manquantes : {', '.join(columns)}")


def _normalised(values: FloatArray) -> FloatArray:
    total = float(values.sum())
    return values / total if total > 0 else np.full(len(values), 1.0 / len(values))


def _named(values: FloatArray) -> dict[str, float]:
    return {c: float(v) for c, v in zip(CRITERIA, values, strict=True)}


def _out_of_fold(
    x: FloatArray, y: npt.NDArray[np.bool_], groups: npt.NDArray[np.str_], folds: int
) -> FloatArray | None:
    """Each decision scored by a model fitted without its session; None under two sessions."""
    splits = min(folds, len(set(groups)))
    if splits < 2:
        return None
    scores = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=splits).split(x, y, groups):
        if len(set(y[train])) < 2:
            return None
        coef, intercept = fit_nonnegative_logistic(x[train], y[train])
        scores[test] = x[test] @ coef + intercept
    return scores


def _intervals(
    x: FloatArray,
    y: npt.NDArray[np.bool_],
    groups: npt.NDArray[np.str_],
    rounds: int,
    seed: int,
    fallback: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """5th and 95th percentiles of the weights over bootstrap samples of whole sessions."""
    rng = np.random.default_rng(seed)
    sessions = np.unique(groups)
    if not len(sessions):
        return fallback, fallback
    rows = {s: np.flatnonzero(groups == s) for s in sessions}
    samples = []
    for _ in range(rounds):
        drawn = np.concatenate([rows[s] for s in rng.choice(sessions, len(sessions))])
        if len(set(y[drawn])) == 2:
            coef, _ = fit_nonnegative_logistic(x[drawn], y[drawn])
            if coef.sum() > 0:
                samples.append(_normalised(coef))
    if not samples:
        return fallback, fallback
    stacked = np.vstack(samples)
    return np.percentile(stacked, 5, axis=0), np.percentile(stacked, 95, axis=0)


def _auc(y: npt.NDArray[np.bool_], scores: FloatArray | None) -> float | None:
    if scores is None or len(set(y)) < 2:
        return None
    return float(roc_auc_score(y, scores))


def _contests(decisions: pd.DataFrame) -> list[npt.NDArray[np.intp]]:
    """Row positions of each premises × session where one of several candidates was favoured."""
    if decisions.empty:
        return []
    keys = decisions[["session_id", "premises_id"]].astype(str).agg("\x1f".join, axis=1)
    found = []
    for rows in pd.Series(np.arange(len(decisions))).groupby(keys.to_numpy()).groups.values():
        positions = np.asarray(rows, dtype=np.intp)
        favoured = decisions["favourable"].to_numpy(bool)[positions]
        if len(positions) > 1 and favoured.any() and not favoured.all():
            found.append(positions)
    return found


def _first(
    decisions: pd.DataFrame, scores: FloatArray | None, contests: list[npt.NDArray[np.intp]]
) -> float | None:
    if scores is None or not contests:
        return None
    favoured = decisions["favourable"].to_numpy(bool)
    hits = [bool(favoured[rows[int(np.argmax(scores[rows]))]]) for rows in contests]
    return sum(hits) / len(hits)


def _warnings(
    y: npt.NDArray[np.bool_],
    groups: npt.NDArray[np.str_],
    thresholds: Thresholds,
    coef: FloatArray,
) -> tuple[str, ...]:
    found = []
    if len(y) < thresholds.decisions:
        found.append(
            f"Trop peu de décisions pour conclure : {len(y)}, "
            f"il en faut au moins {thresholds.decisions}."
        )
    sessions = len(set(groups))
    if sessions < thresholds.sessions:
        found.append(
            f"Trop peu de séances pour valider par séance : {sessions}, "
            f"il en faut au moins {thresholds.sessions}."
        )
    favourable, unfavourable = int(y.sum()), int((~y).sum())
    if min(favourable, unfavourable) < thresholds.each_kind:
        found.append(
            f"Trop peu de décisions de chaque sens : {favourable} favorables et "
            f"{unfavourable} défavorables, il en faut au moins {thresholds.each_kind} de chaque."
        )
    if coef.sum() <= 0:
        found.append("Aucun critère n'explique les décisions : les poids actuels sont gardés.")
    return tuple(found)


def example_decisions(
    weights: dict[str, float],
    n: int,
    *,
    per_premises: int = 3,
    per_session: int = 30,
    sharpness: float = 12.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Synthetic decisions from known ``weights``: a proposal is favoured with probability
    sigmoid(sharpness × (score − mean score)), the noise of a committee's judgement.

    Examples
    --------
    >>> frame = example_decisions({"location": 1.0}, 6, per_premises=2, per_session=4)
    >>> frame[["session_id", "premises_id"]].to_numpy().tolist()
    [[0, 0], [0, 0], [0, 1], [0, 1], [1, 2], [1, 2]]
    """
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, (n, len(CRITERIA)))
    w = _normalised(np.array([weights.get(c, 0.0) for c in CRITERIA], dtype=np.float64))
    score = values @ w
    centre = float(score.mean()) if n else 0.0
    chance = 1.0 / (1.0 + np.exp(-sharpness * (score - centre)))
    frame = pd.DataFrame(values, columns=list(FEATURES))
    frame.insert(0, "favourable", rng.uniform(0.0, 1.0, n) < chance)
    frame.insert(0, "premises_id", np.arange(n) // per_premises)
    frame.insert(0, "session_id", np.arange(n) // per_session)
    return frame
