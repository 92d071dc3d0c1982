"""Constants of the accounts: session length, rate limits, retention of closed needs."""

from __future__ import annotations

from zoneinfo import ZoneInfo

Paris = ZoneInfo("Europe/Paris")

# A signed-in session lasts a working day, then the user signs in again.
SESSION_HOURS = 8
# Failed logins allowed before 429: per account, and per address (an office shares one).
FAILURES_PER_ACCOUNT = "5 per 15 minutes"
FAILURES_PER_ADDRESS = "20 per 15 minutes"
# Retention: the contact of an actor whose needs are all closed (satisfied or abandoned)
# since more than this many months, and who has no other need, is erased by
# `foncier rgpd conservation`. The needs stay, without contact, for the observatory.
RETENTION_MONTHS = 36
