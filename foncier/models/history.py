"""Append-only history of every change, written by PostgreSQL triggers (see migration 0001).

Triggers rather than ORM events so that no write path, not even plain SQL, escapes it. The
acting user comes from the transaction setting ``foncier.utilisateur``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from foncier.models.base import Base


class Historique(Base):
    __tablename__ = "historique"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    table_name: Mapped[str] = mapped_column(String(64), index=True)
    record_id: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(8))
    utilisateur: Mapped[str] = mapped_column(String(200))
    horodatage: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    avant: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    apres: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class VersionDonnees(Base):
    """One row: a number every transaction that writes moves once, when it commits (a
    deferred trigger, migration 0014). What pages keep is keyed by it (foncier.db.kept)."""

    __tablename__ = "version_donnees"
    __table_args__ = (CheckConstraint("seule", name="seule"),)

    seule: Mapped[bool] = mapped_column(Boolean, primary_key=True, server_default="true")
    numero: Mapped[int] = mapped_column(BigInteger)
