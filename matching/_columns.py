"""Columns of a pairs frame as numpy arrays (private helpers shared by the matching modules).

Constraints, scores and explanations all read the pairs frame the same way: floats with NaN
for missing values, booleans, dates as float days; they take them from here rather than from
one another.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_DAY = pd.Timedelta(days=1)
_EPOCH = pd.Timestamp("1970-01-01")


def floats(pairs: pd.DataFrame, column: str) -> FloatArray:
    """A column as floats, NaN for missing values."""
    return pairs[column].to_numpy(dtype=np.float64, na_value=np.nan)


def bools(pairs: pd.DataFrame, column: str) -> BoolArray:
    """A boolean column as a numpy array."""
    return pairs[column].to_numpy(dtype=np.bool_)


def day_numbers(dates: pd.Series) -> FloatArray:
    """Dates as float days since 1970, NaN for NaT, so that date arithmetic is plain floats."""
    days = ((dates - _EPOCH) / _DAY).to_numpy(dtype=np.float64, na_value=np.nan)
    return np.asarray(days, dtype=np.float64)


def need_bounds(pairs: pd.DataFrame) -> tuple[FloatArray, FloatArray]:
    """The wished floor-area range; a missing bound is open (0 below, infinity above)."""
    low = floats(pairs, "need_min_m2")
    high = floats(pairs, "need_max_m2")
    return np.where(np.isnan(low), 0.0, low), np.where(np.isnan(high), np.inf, high)
