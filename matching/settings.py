"""Matching settings: criterion weights and parameters, with documented defaults.

An administrator edits them; every run records the settings it used and ``ALGORITHM_VERSION``
so that a run can be reproduced and explained later.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

ALGORITHM_VERSION = "1.0.0"

CRITERIA = (
    "location",  # 1 inside a wished zone, then decaying with the distance outside it
    "area",  # how well the floor area fits the wished range (or a lot of a divisible one)
    "cost",  # rent plus charges against the budget
    "timing",  # available by the earliest move-in date, or how long the wait is
    "nice_to_have",  # share of the wished features the premises has
    "accessibility",  # step-free access (and ground floor)
    "priority_sector",  # the Métropole's priority sectors (ESS plan, action 2.1)
    "stage",  # the plan favours développement and changement d'échelle
    "qpv",  # premises in a priority urban district (politique de la ville)
)

CRITERIA_LABELS: dict[str, str] = {
    "location": "Localisation",
    "area": "Surface",
    "cost": "Coût",
    "timing": "Disponibilité",
    "nice_to_have": "Équipements souhaités",
    "accessibility": "Accessibilité",
    "priority_sector": "Filière prioritaire",
    "stage": "Stade de développement",
    "qpv": "Quartier prioritaire (QPV)",
}

DEFAULT_WEIGHTS: dict[str, float] = {
    "location": 0.22,
    "area": 0.20,
    "cost": 0.20,
    "timing": 0.10,
    "nice_to_have": 0.06,
    "accessibility": 0.05,
    "priority_sector": 0.07,
    "stage": 0.06,
    "qpv": 0.04,
}


@dataclass(frozen=True)
class Settings:
    """Weights are normalised to sum to 1; parameters are in metres, euros, days."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    # Hard constraint: rent + charges may exceed the budget by this share at most.
    budget_tolerance: float = 0.10
    # Cost: rent + charges at or under this share of the budget scores 1 (comfortable margin),
    # then the score falls linearly to 0 at budget × (1 + budget_tolerance).
    cost_comfort_share: float = 0.8
    # Location: exp(-distance / scale) outside the wished zone.
    distance_scale_m: float = 2000.0
    # Area: the score falls linearly to 0 at this relative gap outside the wished range.
    area_tolerance: float = 0.5
    # Timing: the score falls linearly to 0 over this many days of waiting past the earliest
    # move-in date (when the need gives no latest date).
    wait_horizon_days: int = 180
    # Stage scores (the plan favours développement and changement d'échelle).
    stage_scores: dict[str, float] = field(
        default_factory=lambda: {
            "emergence": 0.4,
            "developpement": 1.0,
            "changement_echelle": 1.0,
        }
    )
    # A criterion resting on a default rather than data scores this.
    default_score: float = 0.5
    # Near misses: how far outside a hard constraint a pair may be to get a hint.
    near_miss_area_share: float = 0.3
    near_miss_budget_share: float = 0.3
    near_miss_days: int = 120
    # Near misses: metres beyond the need's maximum distance (or outside its zone).
    near_miss_distance_m: float = 1000.0

    def normalised_weights(self) -> dict[str, float]:
        unknown = set(self.weights) - set(CRITERIA)
        if unknown:
            raise ValueError(f"critères inconnus : {', '.join(sorted(unknown))}")
        if any(w < 0 for w in self.weights.values()):
            raise ValueError("les poids sont positifs ou nuls")
        total = sum(self.weights.get(c, 0.0) for c in CRITERIA)
        if total <= 0:
            raise ValueError("au moins un poids doit être positif")
        return {c: self.weights.get(c, 0.0) / total for c in CRITERIA}

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def with_weights(self, **weights: float) -> Settings:
        return replace(self, weights={**self.weights, **weights})
