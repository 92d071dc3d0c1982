"""Split the ESS part of a lot into premises of given sizes, as the agency would let them."""

from __future__ import annotations

from collections.abc import Sequence

MAX_UNITS = 5000  # beyond this, the sizes are a typing slip rather than a programme


def split_area(area_m2: float, sizes_m2: Sequence[float]) -> list[float]:
    """Take the sizes in turn while they fit; a remainder smaller than every size joins the
    last premises (nobody lets 7 m²), or stands alone when it is all there is.

    Examples
    --------
    >>> split_area(500.0, [80.0, 150.0])
    [80.0, 150.0, 80.0, 190.0]
    >>> split_area(50.0, [80.0])
    [50.0]
    """
    if not sizes_m2 or min(sizes_m2) <= 0:
        raise ValueError("tailles de locaux : au moins une, toutes > 0")
    units: list[float] = []
    remaining = area_m2
    while remaining > 1e-9:
        size = sizes_m2[len(units) % len(sizes_m2)]
        if remaining < size:
            if units and remaining < min(sizes_m2):
                units[-1] += remaining
            else:
                units.append(remaining)
            break
        units.append(size)
        remaining -= size
        if len(units) > MAX_UNITS:
            raise ValueError(
                f"plus de {MAX_UNITS} locaux pour {area_m2:g} m² : tailles trop petites"
            )
    return units
