"""The committee's decisions as the weight learning reads them (``foncier match learn``).

One row per proposal line whose decision in force is favourable or unfavourable: the newest
decision of the line, since a correction is a newer row pointing to the one it corrects (a
corrected decision never counts, an adjournment decides nothing). The criterion values are
those frozen in the line's snapshot when it was proposed, not today's: the committee judged
the pair as it was then.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from foncier.committee.vocabulary import Issue
from matching.learning import FEATURES, KEYS
from matching.settings import CRITERIA

_VALUES = ",\n       ".join(
    f"CAST(l.criteres -> '{c}' ->> 'value' AS double precision) AS value_{c}" for c in CRITERIA
)

# DISTINCT ON keeps each line's newest decision: the one in force.
_DECIDED = f"""
SELECT * FROM (
    SELECT DISTINCT ON (d.ligne_id)
           d.ligne_id AS line_id, d.seance_id AS session_id, l.local_id AS premises_id,
           l.besoin_id AS need_id, p.ref AS proposal, d.issue,
           {_VALUES}
    FROM decisions_comite d
    JOIN propositions_lignes l ON l.id = d.ligne_id
    JOIN propositions_comite p ON p.id = l.proposition_id
    ORDER BY d.ligne_id, d.id DESC
) AS in_force
WHERE issue IN ('{Issue.FAVORABLE.value}', '{Issue.DEFAVORABLE.value}')
ORDER BY session_id, line_id"""


def committee_decisions(session: Session) -> pd.DataFrame:
    """The decided lines: ``session_id``, ``premises_id``, ``favourable``, the nine
    ``value_<criterion>`` and, to trace them, ``line_id``, ``need_id`` and ``proposal``.

    A line whose snapshot lacks a criterion's value (one proposed before that criterion
    existed) is left out: the learning needs every value, and guessing one would teach it
    what the committee never saw.
    """
    rows = session.execute(text(_DECIDED)).mappings().all()
    columns = ["line_id", *KEYS, "need_id", "proposal", *FEATURES]
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in columns}).astype(
            {"favourable": bool}
        )
    frame = pd.DataFrame([dict(r) for r in rows])
    frame["favourable"] = frame.pop("issue") == Issue.FAVORABLE.value
    frame = frame.dropna(subset=list(FEATURES))
    return frame[columns].reset_index(drop=True)
