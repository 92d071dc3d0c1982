"""The value object every observatory figure comes as: a titled table with labelled columns.

The page draws it, the exports write it, the notebook reads it as a DataFrame: one shape for
all three, so that a figure on screen and in a file are the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # French, with its unit: what a spreadsheet header shows


@dataclass(frozen=True)
class Table:
    """Rows of plain values (str, int, float, None), in the order of ``columns``."""

    name: str  # stable: the export's file name and URL
    title: str
    columns: tuple[Column, ...]
    rows: tuple[dict[str, Any], ...]
    note: str = ""  # how to read it, shown under the table

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame keyed by column keys (the notebook's view)."""
        return pd.DataFrame(list(self.rows), columns=[c.key for c in self.columns])

    def labelled(self) -> pd.DataFrame:
        """The rows under their French headers (the exports' view)."""
        return self.frame().rename(columns={c.key: c.label for c in self.columns})


def rows_of(result: Any) -> tuple[dict[str, Any], ...]:
    """SQL rows as plain dicts; numeric types as Python's float or int."""
    return tuple({k: _plain(v) for k, v in row._mapping.items()} for row in result)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    try:
        return float(value)  # Decimal from sum() and percentile_cont over integers
    except (TypeError, ValueError):
        return str(value)
