"""French business identifiers: SIREN (9 digits) and SIRET (14) end with a Luhn check digit."""

from __future__ import annotations


def luhn_valid(digits: str) -> bool:
    """Whether ``digits`` passes the Luhn check used by SIREN and SIRET numbers."""
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def luhn_complete(prefix: str) -> str:
    """``prefix`` followed by the one digit that makes it Luhn-valid."""
    for check in "0123456789":
        if luhn_valid(prefix + check):
            return prefix + check
    raise AssertionError("unreachable: one Luhn digit always exists")
