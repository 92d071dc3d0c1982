"""Blueprints: each view parses input, calls one use case, renders."""
