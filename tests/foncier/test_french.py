"""French numbers: one reader for forms, list filters, imports, scenario forms and files."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from foncier.french import read_number
from foncier.schemas.filters import FILTERS


def french(value: float, decimals: int, group: str) -> str:
    """An independent writer: thousands grouped by ``group``, decimal comma."""
    whole, _, fraction = f"{abs(value):.{decimals}f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    text = group.join([whole, *groups]) + (f",{fraction}" if fraction else "")
    return ("−" if value < 0 else "") + text


@given(
    st.floats(-1e9, 1e9, allow_nan=False),
    st.integers(0, 3),
    st.sampled_from([" ", "\u202f", "\xa0", ""]),
)
def test_a_number_written_the_french_way_reads_back(
    value: float, decimals: int, group: str
) -> None:
    written = french(value, decimals, group)
    assert read_number(written) == pytest.approx(
        float(written.replace("−", "-").replace(group or "§", "").replace(",", ".")), abs=0
    )


@pytest.mark.parametrize("typed", ["abc", "12 50", "1,2,3,4", "5 km", ""])
def test_what_is_not_a_number_is_refused_by_name(typed: str) -> None:
    with pytest.raises(ValueError, match=f"« {typed} »"):
        read_number(typed)


def test_list_filters_read_a_decimal_comma_and_grouped_thousands() -> None:
    loaded = FILTERS["premises"]().load({"loyer_max": "150,5", "surface_min": "1 000"})
    assert loaded == {"loyer_max": 150.5, "surface_min": 1000.0}
