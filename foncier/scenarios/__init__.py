"""Price-cap scenarios of an urban development operation: the planners' tool.

``document`` reads and validates a scenario (file, API, page); ``evaluate`` runs the pure
price-cap model of ``matching.pricecap`` on it; ``coverage`` lets the matcher place the real
open needs in the ESS premises it would create; ``service`` stores, copies and compares them.
"""
