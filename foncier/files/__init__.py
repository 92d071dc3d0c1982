"""Files users hand in: text decoded whatever its encoding, vector files read safely."""
