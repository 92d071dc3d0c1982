"""A scenario document evaluated by the pure price-cap model (``matching.pricecap``)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np
import pandas as pd

from foncier.scenarios.document import lots_frame
from matching.pricecap.operation import Terms, evaluate_operation

LOT_KEYS = (
    "ref",
    "use",
    "cfa_market_eur",
    "cf_market_eur_m2",
    "ess_share",
    "ess_sdp_m2",
    "ess_su_m2",
    "ess_price_eur_m2",
    "ess_rent_eur_m2_year",
    "cfa_ess_eur",
    "cf_ess_eur_m2",
    "revenue_loss_eur",
    "developer_margin_ess",
    "developer_margin_loss_eur",
    "margin_below_minimum",
    "tenant_savings_pv_eur",
)


def terms(document: dict[str, Any]) -> Terms:
    """The operation's terms, read from a validated document."""
    return Terms(**{f.name: document[f.name] for f in fields(Terms)})


def evaluate(document: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The per-lot frame and the operation's figures (without coverage, which needs the store)."""
    return evaluate_operation(lots_frame(document), terms(document))


def lot_rows(per_lot: pd.DataFrame) -> list[dict[str, Any]]:
    """The per-lot figures as JSON-ready rows (NaN becomes null)."""
    frame = per_lot[list(LOT_KEYS)].astype(object)
    return [{str(k): _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _plain(value: Any) -> Any:
    """A JSON-ready value: numpy scalars as Python's, NaN as null."""
    value = value.item() if hasattr(value, "item") else value
    return None if isinstance(value, float) and np.isnan(value) else value
