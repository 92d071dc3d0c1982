"""The engagement committee: proposals, sessions, presence and proxies, conflicts, votes,
decisions that flow back into the registries, the dossier and the minutes.

Each module offers use cases that own their transaction; :mod:`rules` holds the pure rules
(quorum, tally, ties, proxies), testable without a database."""
