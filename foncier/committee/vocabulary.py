"""The committee's closed lists (value, then the label a page shows)."""

from __future__ import annotations

from enum import StrEnum


class EtatSeance(StrEnum):
    PREPARATION = "preparation"
    OUVERTE = "ouverte"
    CLOSE = "close"


class Voix(StrEnum):
    FAVORABLE = "favorable"
    DEFAVORABLE = "defavorable"
    ABSTENTION = "abstention"


class Issue(StrEnum):
    FAVORABLE = "favorable"
    DEFAVORABLE = "defavorable"
    AJOURNE = "ajourne"


class RegleEgalite(StrEnum):
    """What a tie between favourable and unfavourable votes gives."""

    AJOURNE = "ajourne"
    DEFAVORABLE = "defavorable"
    FAVORABLE = "favorable"


class ObjetProposition(StrEnum):
    """What an agenda item is about: a premises (ranked needs) or a need (ranked premises)."""

    LOCAL = "local"
    BESOIN = "besoin"


LABELS: dict[str, str] = {
    "preparation": "en préparation",
    "ouverte": "ouverte",
    "close": "close",
    "favorable": "favorable",
    "defavorable": "défavorable",
    "abstention": "abstention",
    "ajourne": "ajourné",
    "local": "local",
    "besoin": "besoin",
}
