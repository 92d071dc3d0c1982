"""Matching runs and the proposals they made: frozen records, never updated."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from foncier.models.base import Base


class Appariement(Base):
    """One run of the matcher: its inputs' fingerprint, settings, version and summary."""

    __tablename__ = "appariements"

    id: Mapped[int] = mapped_column(primary_key=True)
    horodatage: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    utilisateur: Mapped[str] = mapped_column(String(200))
    version_algorithme: Mapped[str] = mapped_column(String(32))
    empreinte: Mapped[str] = mapped_column(String(64), index=True)
    reglages: Mapped[dict[str, Any]] = mapped_column(JSONB)
    perimetre: Mapped[dict[str, Any]] = mapped_column(JSONB)
    resume: Mapped[dict[str, Any]] = mapped_column(JSONB)


class Proposition(Base):
    """A need–premises pair a run put forward, with the snapshot of its score and reasons."""

    __tablename__ = "propositions"

    id: Mapped[int] = mapped_column(primary_key=True)
    appariement_id: Mapped[int] = mapped_column(
        ForeignKey("appariements.id", ondelete="RESTRICT"), index=True
    )
    besoin_id: Mapped[int] = mapped_column(
        ForeignKey("besoins.id", ondelete="RESTRICT"), index=True
    )
    local_id: Mapped[int] = mapped_column(ForeignKey("locaux.id", ondelete="RESTRICT"), index=True)
    rang_besoin: Mapped[int | None]
    rang_local: Mapped[int | None]
    score: Mapped[float] = mapped_column(Float)
    distance_m: Mapped[float] = mapped_column(Float)
    completude: Mapped[float] = mapped_column(Float)
    criteres: Mapped[dict[str, Any]] = mapped_column(JSONB)
    attribue: Mapped[bool] = mapped_column(default=False)
    surface_attribuee_m2: Mapped[float | None] = mapped_column(Float)


class ReglagesAppariement(Base):
    """Matching settings as an administrator set them; the newest row is in force.

    Rows are only added, so that any past run's settings can be found and explained.
    """

    __tablename__ = "reglages_appariement"

    id: Mapped[int] = mapped_column(primary_key=True)
    horodatage: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    utilisateur: Mapped[str] = mapped_column(String(200))
    reglages: Mapped[dict[str, Any]] = mapped_column(JSONB)
