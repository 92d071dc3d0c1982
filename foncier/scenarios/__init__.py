"""Price-cap scenarios of an urban development operation: the planners' tool.

``document`` reads and validates a scenario (file, API, page) and ``perimeter`` its perimeter;
``evaluate`` hands it to the pure model (``matching.pricecap.operation``); ``coverage`` lets
the matcher place the real open needs in the ESS premises it would create; ``service`` runs,
sweeps and draws the curves; ``store`` saves, copies, adopts and compares saved scenarios, and
``caps`` puts an adopted scenario's rent caps in force; ``indices`` reads INSEE series and
``charts`` draws the figures.
"""
