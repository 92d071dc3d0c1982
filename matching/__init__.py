"""The pure matching core: computation on frames and arrays, with no Flask and no database.

Scores, allocation and the price-cap model arrive here with their issues; this package must
stay importable and testable without a database session.
"""
