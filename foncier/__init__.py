"""Foncière solidaire de Bordeaux Métropole: the domain and its PostGIS store."""

__version__ = "0.1.0"
