"""The tables of the accounts; declared with the other models (one metadata, one import)."""

from foncier.models.accounts import Compte, EvenementAudit, JetonApi

__all__ = ["Compte", "EvenementAudit", "JetonApi"]
