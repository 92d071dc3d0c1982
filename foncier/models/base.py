"""Declarative base and the column kinds every table shares."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import cast

from geoalchemy2 import Geometry
from sqlalchemy import CheckConstraint, DateTime, Enum, MetaData, String, Table, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from foncier.geo import STORE_SRID
from foncier.vocabulary import Geocodage

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class (typed as such, for inserts and upserts)."""
    return cast(Table, model.__table__)


def enum_column(enum: type[StrEnum], name: str) -> Enum:
    """A text column restricted to the enum's values by a CHECK (no native type to migrate)."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def values_in(column: str, enum: type[StrEnum], name: str) -> CheckConstraint:
    """CHECK that an array column only holds the enum's values."""
    allowed = ", ".join(f"'{m.value}'" for m in enum)
    return CheckConstraint(f"{column} <@ ARRAY[{allowed}]::varchar[]", name=name)


def point() -> Geometry:
    return Geometry("POINT", srid=STORE_SRID, spatial_index=True)


def multipolygon() -> Geometry:
    return Geometry("MULTIPOLYGON", srid=STORE_SRID, spatial_index=True)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class Registered(Timestamped):
    """A record a user maintains: a stable external reference per source, and a version."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-3)
    source: Mapped[str] = mapped_column(String(64), default="saisie", sort_order=-2)
    ref: Mapped[str] = mapped_column(String(128), sort_order=-1)
    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, object]:
        # Optimistic locking: a stale update fails instead of overwriting newer work.
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Located:
    """A point in Lambert-93 with the commune and QPV that PostGIS computes for it."""

    geom = mapped_column(point(), nullable=True)
    commune_insee: Mapped[str | None] = mapped_column(String(5), index=True)
    code_qp: Mapped[str | None] = mapped_column(String(16))
    en_qpv: Mapped[bool] = mapped_column(default=False, server_default="false")
    geocodage: Mapped[Geocodage] = mapped_column(
        enum_column(Geocodage, "geocodage"), default=Geocodage.SAISI, server_default="saisi"
    )
    geocodage_label: Mapped[str | None] = mapped_column(String(300))
    geocodage_score: Mapped[float | None]
    # A point outside the Métropole is kept only once a user has confirmed it.
    hors_metropole_confirme: Mapped[bool] = mapped_column(default=False, server_default="false")
