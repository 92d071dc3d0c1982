"""Urban development operations and their price-cap scenarios, as planners save them.

An operation holds what the market gives (perimeter, programme of lots, the public
developer's other receipts and expenditures); a scenario holds one clause over it. Both are
versioned and recorded in the append-only history.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from foncier.models.base import Base, Registered, enum_column, multipolygon
from foncier.vocabulary import TypeLocal


class Operation(Registered, Base):
    """An opération d'aménagement: its perimeter (Lambert-93) and its programme."""

    __tablename__ = "operations"
    __table_args__ = (UniqueConstraint("source", "ref"),)

    nom: Mapped[str] = mapped_column(String(200))
    perimetre: Mapped[Any] = mapped_column(multipolygon())
    # lots (market inputs, point), other_receipts_eur, other_expenditures_eur
    programme: Mapped[dict[str, Any]] = mapped_column(JSONB)

    scenarios: Mapped[list[Scenario]] = relationship(back_populates="operation")


class Scenario(Registered, Base):
    """One clause over an operation; ``retenu`` makes its caps apply in everyday matching."""

    __tablename__ = "scenarios"
    __table_args__ = (UniqueConstraint("source", "ref"),)

    operation_id: Mapped[int] = mapped_column(
        ForeignKey("operations.id", ondelete="RESTRICT"), index=True
    )
    nom: Mapped[str] = mapped_column(String(200))
    # per-lot clause keys by lot ref, and the scenario's parameters (duration, indices…)
    clause: Mapped[dict[str, Any]] = mapped_column(JSONB)
    retenu: Mapped[bool] = mapped_column(default=False, server_default="false")
    archive: Mapped[bool] = mapped_column(default=False, server_default="false")

    operation: Mapped[Operation] = relationship(back_populates="scenarios")


class PlafondLoyer(Base):
    """A rent cap in force: premises of this kind inside the operation of an adopted scenario
    are offered at most at this rent (derived from the scenario when it is adopted)."""

    __tablename__ = "plafonds_loyer"
    __table_args__ = (
        CheckConstraint(
            "loyer_max_m2_an IS NOT NULL OR part_du_marche IS NOT NULL", name="un_plafond"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    type_local: Mapped[TypeLocal] = mapped_column(enum_column(TypeLocal, "type_local"))
    loyer_max_m2_an: Mapped[float | None] = mapped_column(Float)
    # A share of the premises' market rent (loyer_marche_m2_an, else its rent).
    part_du_marche: Mapped[float | None] = mapped_column(Float)


class ResultatScenario(Base):
    """A scenario's computed page (figures, coverage, sweep, curves, charts), kept for the
    scenario's and its operation's versions, the data its coverage read (the newest history
    entry of the open needs and what they depend on) and the day (the default availability
    date). Derived data, rewritten at will: no history trigger."""

    __tablename__ = "resultats_scenarios"

    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int]
    version_operation: Mapped[int]
    version_donnees: Mapped[int] = mapped_column(BigInteger)
    jour: Mapped[date] = mapped_column(Date)
    calcule_le: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    contenu: Mapped[dict[str, Any]] = mapped_column(JSONB)
