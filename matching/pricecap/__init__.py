"""The price-cap clause model: land-charge residuals, the ESS clause, indexation and sweeps.

Pure computation on frames of lots whose columns are the keys of a scenario file (``sdp_m2``,
``eta``, ``price_eur_m2`` …; see :mod:`matching.pricecap.residual`). Money in euros excluding
VAT, areas in m², rents per m² per year.
"""

from matching.pricecap.clause import Balance, apply_clause, operation_balance
from matching.pricecap.indexation import index_ratios, quarter_variation, tenant_savings
from matching.pricecap.residual import land_charge
from matching.pricecap.sweep import break_even_shares, sweep

__all__ = [
    "Balance",
    "apply_clause",
    "break_even_shares",
    "index_ratios",
    "land_charge",
    "operation_balance",
    "quarter_variation",
    "sweep",
    "tenant_savings",
]
