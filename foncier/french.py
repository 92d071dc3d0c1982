"""How French users write: numbers with a decimal comma and grouped thousands, and words
compared without case, accents or plurals. One reader for forms, filters, imports and files."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": "'"})
_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, words in the singular."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_singular(word) for word in _NOT_ALPHANUMERIC.sub(" ", plain).split())


def plain(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, words as written: what searches compare
    (a query is a part of a name, so plurals stay as typed)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    kept = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_ALPHANUMERIC.sub(" ", kept).split())


def french_key(text: str) -> tuple[str, str]:
    """A sort key as a French reader orders words: accents and case aside first ("Bègles"
    before "Bruges", "Écoles" among the E's), then as written, so the order is total."""
    return plain(text), text


def french_sorted(choices: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(code, label) options in the French order of their labels: every list a page offers."""
    return sorted(choices, key=lambda choice: (*french_key(choice[1]), choice[0]))


def _singular(word: str) -> str:
    if word.endswith(("eaux", "eux")):  # bureaux, lieux
        return word[:-1]
    if word.endswith("aux") and len(word) > 4:  # locaux
        return word[:-3] + "al"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


_NUMBER = re.compile(
    r"^(?P<currency>€?)\s*(?P<sign>[-+−]?)\s*(?P<digits>\d(?:[\d\s.,'’]*\d)?)\s*(?P<unit>.*)$"
)
_GROUP_SEPARATORS = re.compile(r"[\s.,'’]+")
# Units that do not change the value in the fields we import; any other (k€, km, mois) would.
_NEUTRAL_UNIT_WORDS = frozenset(
    fold("m² m mètres meters an HT HC HTVA hors taxes charges € euros EUR sqm year par per").split()
)
NUMBER_EXAMPLES = "attendu par exemple 120, 1 250,50 ou 98,5 m²"


def read_number(text: str) -> float:
    """A number as French users type it: comma or point, grouped thousands (spaces, narrow
    spaces, points), a sign, an optional neutral unit ("98,5 m²", "1 250 €"). Raises
    ``ValueError`` for anything else.

    >>> read_number("1 250,50"), read_number("−12"), read_number("98,5 m²")
    (1250.5, -12.0, 98.5)
    """
    match = _NUMBER.match(text.strip())
    value = None
    if match and set(fold(match["unit"]).split()) <= _NEUTRAL_UNIT_WORDS:
        value = _digits_value(match["digits"])
    if match is None or value is None:
        raise ValueError(f"« {text} » n'est pas un nombre : {NUMBER_EXAMPLES}.")
    return -value if match["sign"] in ("-", "−") else value


def _digits_value(digits: str) -> float | None:
    decimal = _decimal_separator(digits)
    integer, fraction = digits.rsplit(decimal, 1) if decimal else (digits, "")
    groups = _GROUP_SEPARATORS.split(integer)
    # Thousands grouping must look like one: 1 250 000, not 12 50.
    if len(groups) > 1 and not (
        1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])
    ):
        return None
    if decimal and not fraction.isdigit():
        return None
    return float("".join(groups) + (f".{fraction}" if decimal else ""))


def _decimal_separator(digits: str) -> str | None:
    """The decimal mark: the last of comma and point, or a lone one (French: comma first)."""
    comma, point = digits.rfind(","), digits.rfind(".")
    if comma >= 0 and point >= 0:
        return "," if comma > point else "."
    for mark in (",", "."):
        if digits.count(mark) == 1:
            return mark
    return None  # none, or several of one kind: they group thousands
