"""The demand observatory: where ESS needs for premises go unmet, for the Métropole's policy.

Figures are SQL aggregates over the store (no personal data), each a :class:`Table`.
"""

from foncier.observatory.page import (
    TABLES,
    Observatory,
    observatory,
    observatory_table,
    priced_out_page,
)
from foncier.observatory.table import Column, Table

__all__ = [
    "TABLES",
    "Column",
    "Observatory",
    "Table",
    "observatory",
    "observatory_table",
    "priced_out_page",
]
