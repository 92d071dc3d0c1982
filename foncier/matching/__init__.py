"""Matching over the store: candidate pairs from PostGIS, stored runs, the settings in force."""
