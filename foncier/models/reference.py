"""Reference layers: communes, QPV, brownfields (friches), sectors (filières)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, Float, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from foncier.models.base import Base, Timestamped, multipolygon, point


class Commune(Base):
    __tablename__ = "communes"

    code_insee: Mapped[str] = mapped_column(String(5), primary_key=True)
    nom: Mapped[str] = mapped_column(String(100))
    codes_postaux: Mapped[list[str]] = mapped_column(ARRAY(String(5)))
    siren: Mapped[str] = mapped_column(String(9))
    population: Mapped[int]
    geom = mapped_column(multipolygon(), nullable=False)


class Qpv(Base):
    __tablename__ = "qpv"

    code_qp: Mapped[str] = mapped_column(String(16), primary_key=True)
    nom: Mapped[str] = mapped_column(String(200))
    communes_insee: Mapped[list[str]] = mapped_column(ARRAY(String(5)))
    geom = mapped_column(multipolygon(), nullable=False)


class Friche(Base):
    """A Cartofriches site; the ones with a compatible status become candidate land."""

    __tablename__ = "friches"

    site_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    nom: Mapped[str | None] = mapped_column(String(300))
    statut: Mapped[str] = mapped_column(String(64))
    type_site: Mapped[str | None] = mapped_column(String(64))
    adresse: Mapped[str | None] = mapped_column(Text)
    commune_insee: Mapped[str] = mapped_column(String(5))
    surface_m2: Mapped[float | None] = mapped_column(Float)
    bati_surface_m2: Mapped[float | None] = mapped_column(Float)
    activite: Mapped[str | None] = mapped_column(Text)
    zone_urbanisme: Mapped[str | None] = mapped_column(Text)
    pollution: Mapped[str | None] = mapped_column(String(32))
    date_maj: Mapped[date | None] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(Text)
    attributs: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    geom = mapped_column(point(), nullable=False)


class Filiere(Timestamped, Base):
    """A sector; ``prioritaire`` marks the Métropole's priority sectors (editable)."""

    __tablename__ = "filieres"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    libelle: Mapped[str] = mapped_column(String(200))
    prioritaire: Mapped[bool] = mapped_column(default=False)


class FormeJuridiqueRef(Timestamped, Base):
    """A legal form an actor may have; administrators can add to the list."""

    __tablename__ = "formes_juridiques"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    libelle: Mapped[str] = mapped_column(String(200))
