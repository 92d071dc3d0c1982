"""Learn the matching weights from the committee's decisions, and adopt them if they hold.

The decisions come from a reader, a function of the session returning the frame
``matching.learning`` reads: one row per proposal the committee decided, with ``session_id``,
``premises_id``, ``favourable`` (bool) and the nine ``value_<criterion>`` columns of its
frozen snapshot. The committee's store provides the reader
(``foncier.committee.decided.committee_decisions``); :func:`no_decisions` stands for a store
without a committee, and the command line can read the same frame from a CSV file.

Adopting adds a settings row (``save_settings``): the old version stays on record, and every
run keeps the settings it used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from foncier.errors import InvalidInput
from foncier.matching.stored_settings import current_settings, save_settings
from matching.learning import FEATURES, KEYS, LearnedWeights, learn_weights
from matching.settings import Settings

DecisionReader = Callable[[Session], pd.DataFrame]
_TRUE = {"true", "1", "oui", "favorable", "vrai"}
_FALSE = {"false", "0", "non", "defavorable", "défavorable", "faux"}


def no_decisions(session: Session) -> pd.DataFrame:
    """No committee on record yet: an empty frame with the columns a reader returns."""
    return pd.DataFrame({name: pd.Series(dtype=float) for name in (*KEYS, *FEATURES)}).astype(
        {"favourable": bool}
    )


def decisions_file(path: Path) -> DecisionReader:
    """A reader of decisions from a CSV file (``;`` and decimal comma, or ``,`` and point)."""

    def read(_: Session) -> pd.DataFrame:
        text = path.read_text(encoding="utf-8-sig")
        french = text.split("\n", 1)[0].count(";") > 0
        frame = pd.read_csv(path, sep=";" if french else ",", decimal="," if french else ".")
        if "favourable" not in frame.columns:
            return frame  # learning names every missing column at once
        words = frame["favourable"].astype(str).str.strip().str.lower()
        unknown = sorted(set(words) - _TRUE - _FALSE)
        if unknown:
            raise InvalidInput(
                f"« favourable » : valeurs inconnues {', '.join(unknown)} ; "
                f"permises : {', '.join(sorted(_TRUE | _FALSE))}."
            )
        return frame.assign(favourable=words.isin(_TRUE))

    return read


@dataclass(frozen=True)
class LearnReport:
    learned: LearnedWeights
    adopted: Settings | None  # the new settings version, when adopted


def learn_from_decisions(
    session: Session,
    read: DecisionReader,
    *,
    adopt: bool = False,
    user: str,
    bootstrap: int = 200,
    seed: int = 0,
) -> LearnReport:
    """Fit the weights; with ``adopt``, save them as a new settings version unless the fit
    warns (then nothing is written and the warnings say why)."""
    current = current_settings(session)
    try:
        learned = learn_weights(read(session), current.weights, bootstrap=bootstrap, seed=seed)
    except ValueError as error:
        raise InvalidInput(f"Décisions illisibles : {error}.") from None
    if not adopt:
        return LearnReport(learned, None)
    if not learned.adoptable:
        raise InvalidInput("Poids appris non adoptés : " + " ".join(learned.warnings))
    weights = {c: round(w, 6) for c, w in learned.weights.items()}
    return LearnReport(learned, save_settings(session, {"weights": weights}, user))
