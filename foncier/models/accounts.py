"""Accounts, API tokens and the append-only audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from foncier.accounts.roles import Role
from foncier.models.base import Base, Timestamped, values_in


class Compte(Timestamped, Base):
    """A person who signs in. The e-mail is stored in lower case, so it is unique as typed."""

    __tablename__ = "comptes"
    __table_args__ = (values_in("roles", Role, "roles_connus"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    mot_de_passe: Mapped[str] = mapped_column(Text)  # an argon2id hash, never the password
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    actif: Mapped[bool] = mapped_column(default=True)
    # Changes with the password or when disabled: every session opened before is then void.
    jeton_session: Mapped[str] = mapped_column(String(64))

    jetons: Mapped[list[JetonApi]] = relationship(back_populates="compte")


class JetonApi(Base):
    """A token for scripts, kept as its SHA-256 digest: the token itself is shown once."""

    __tablename__ = "jetons_api"
    __table_args__ = (values_in("roles", Role, "roles_connus"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    compte_id: Mapped[int] = mapped_column(ForeignKey("comptes.id", ondelete="CASCADE"))
    nom: Mapped[str] = mapped_column(String(100), unique=True)
    empreinte: Mapped[str] = mapped_column(String(64), unique=True)
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    cree_le: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    dernier_usage: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoque_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    compte: Mapped[Compte] = relationship(back_populates="jetons")


class EvenementAudit(Base):
    """One line of the audit log; a trigger refuses any update or delete (migration 0007)."""

    __tablename__ = "journal_audit"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    horodatage: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
    evenement: Mapped[str] = mapped_column(String(32), index=True)
    compte: Mapped[str | None] = mapped_column(String(320), index=True)
    adresse: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


class LimiteDebit(Base):
    """A rate-limit counter (web/ratelimits.py): one row per account and limit, for a window.
    The table is UNLOGGED (migration 0011): a crash only resets a minute's allowance."""

    __tablename__ = "limites_debit"

    cle: Mapped[str] = mapped_column(String(400), primary_key=True)
    compte: Mapped[int] = mapped_column(Integer)
    expire_a: Mapped[datetime] = mapped_column(DateTime(timezone=True))
