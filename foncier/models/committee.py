"""The engagement committee: sessions, their members, proposals on the agenda, conflicts,
votes and decisions. Votes and decisions are an append-only log (triggers, migration 0009):
a correction is a new row that points to the one it corrects."""

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
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from foncier.committee.vocabulary import EtatSeance, Issue, ObjetProposition, RegleEgalite, Voix
from foncier.models.base import Base, enum_column


def _now() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now())


class Seance(Base):
    """A meeting of the committee: its date, quorum and tie rules, and its state."""

    __tablename__ = "seances"
    __table_args__ = (
        CheckConstraint("quorum > 0 AND quorum <= 1", name="quorum_fraction"),
        CheckConstraint("pouvoirs_max >= 0", name="pouvoirs_positifs"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    titre: Mapped[str] = mapped_column(String(200))
    date_seance: Mapped[date] = mapped_column(Date)
    etat: Mapped[EtatSeance] = mapped_column(
        enum_column(EtatSeance, "etat_seance"), default=EtatSeance.PREPARATION
    )
    # The share of members present or represented below which no vote is taken.
    quorum: Mapped[float] = mapped_column(Float, default=0.5)
    regle_egalite: Mapped[RegleEgalite] = mapped_column(
        enum_column(RegleEgalite, "regle_egalite"), default=RegleEgalite.AJOURNE
    )
    pouvoirs_max: Mapped[int] = mapped_column(default=1)
    cree_par: Mapped[str] = mapped_column(String(320))
    cree_le: Mapped[datetime] = _now()

    membres: Mapped[list[MembreSeance]] = relationship(
        back_populates="seance", order_by="MembreSeance.id"
    )
    propositions: Mapped[list[PropositionComite]] = relationship(
        back_populates="seance", order_by="PropositionComite.ordre"
    )


class MembreSeance(Base):
    """A member convened to a session, whether present, and to whom an absent one gave a
    proxy. Frozen once the session is closed (the use cases refuse, a trigger too)."""

    __tablename__ = "seance_membres"
    __table_args__ = (
        UniqueConstraint("seance_id", "compte_id"),
        CheckConstraint("NOT (present AND pouvoir_a IS NOT NULL)", name="present_sans_pouvoir"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seance_id: Mapped[int] = mapped_column(ForeignKey("seances.id", ondelete="RESTRICT"))
    compte_id: Mapped[int] = mapped_column(ForeignKey("comptes.id", ondelete="RESTRICT"))
    present: Mapped[bool] = mapped_column(default=False)
    pouvoir_a: Mapped[int | None] = mapped_column(ForeignKey("comptes.id", ondelete="RESTRICT"))

    seance: Mapped[Seance] = relationship(back_populates="membres")


class PropositionComite(Base):
    """An agenda item: for a premises a ranked list of needs, or for a need a ranked list of
    premises (its lines), put forward by an agent."""

    __tablename__ = "propositions_comite"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    objet: Mapped[ObjetProposition] = mapped_column(
        enum_column(ObjetProposition, "objet_proposition")
    )
    local_id: Mapped[int | None] = mapped_column(ForeignKey("locaux.id", ondelete="RESTRICT"))
    besoin_id: Mapped[int | None] = mapped_column(ForeignKey("besoins.id", ondelete="RESTRICT"))
    seance_id: Mapped[int | None] = mapped_column(
        ForeignKey("seances.id", ondelete="RESTRICT"), index=True
    )
    ordre: Mapped[int] = mapped_column(default=0)
    propose_par: Mapped[str] = mapped_column(String(320))
    propose_le: Mapped[datetime] = _now()

    seance: Mapped[Seance | None] = relationship(back_populates="propositions")
    lignes: Mapped[list[LigneProposition]] = relationship(
        back_populates="proposition", order_by="LigneProposition.rang"
    )


class LigneProposition(Base):
    """One ranked pair of a proposal with the frozen snapshot of its score and reasons, and
    the digests of the need and premises as they were (a refused pair comes back only when
    one of them changes)."""

    __tablename__ = "propositions_lignes"
    __table_args__ = (UniqueConstraint("proposition_id", "rang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposition_id: Mapped[int] = mapped_column(
        ForeignKey("propositions_comite.id", ondelete="RESTRICT"), index=True
    )
    rang: Mapped[int]
    besoin_id: Mapped[int] = mapped_column(ForeignKey("besoins.id", ondelete="RESTRICT"))
    local_id: Mapped[int] = mapped_column(ForeignKey("locaux.id", ondelete="RESTRICT"))
    score: Mapped[float] = mapped_column(Float)
    completude: Mapped[float] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float)
    criteres: Mapped[dict[str, Any]] = mapped_column(JSONB)
    empreinte_besoin: Mapped[str] = mapped_column(String(64))
    empreinte_local: Mapped[str] = mapped_column(String(64))

    proposition: Mapped[PropositionComite] = relationship(back_populates="lignes")


class ConflitInteret(Base):
    """A member's declared conflict of interest on an agenda item."""

    __tablename__ = "conflits_interet"
    __table_args__ = (UniqueConstraint("proposition_id", "compte_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposition_id: Mapped[int] = mapped_column(
        ForeignKey("propositions_comite.id", ondelete="RESTRICT")
    )
    compte_id: Mapped[int] = mapped_column(ForeignKey("comptes.id", ondelete="RESTRICT"))
    motif: Mapped[str] = mapped_column(Text, default="")
    declare_le: Mapped[datetime] = _now()


class VoteComite(Base):
    """A member's vote on a line, cast by the member or by the holder of their proxy."""

    __tablename__ = "votes_comite"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    ligne_id: Mapped[int] = mapped_column(
        ForeignKey("propositions_lignes.id", ondelete="RESTRICT"), index=True
    )
    compte_id: Mapped[int] = mapped_column(ForeignKey("comptes.id", ondelete="RESTRICT"))
    porte_par: Mapped[int] = mapped_column(ForeignKey("comptes.id", ondelete="RESTRICT"))
    voix: Mapped[Voix] = mapped_column(enum_column(Voix, "voix"))
    horodatage: Mapped[datetime] = _now()
    corrige_id: Mapped[int | None] = mapped_column(
        ForeignKey("votes_comite.id", ondelete="RESTRICT")
    )


class DecisionComite(Base):
    """The committee's decision on a line: its outcome, reasons, tally and recorder."""

    __tablename__ = "decisions_comite"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    ligne_id: Mapped[int] = mapped_column(
        ForeignKey("propositions_lignes.id", ondelete="RESTRICT"), index=True
    )
    seance_id: Mapped[int] = mapped_column(ForeignKey("seances.id", ondelete="RESTRICT"))
    issue: Mapped[Issue] = mapped_column(enum_column(Issue, "issue_decision"))
    motifs: Mapped[str] = mapped_column(Text)
    decompte: Mapped[dict[str, Any]] = mapped_column(JSONB)
    enregistre_par: Mapped[str] = mapped_column(String(320))
    horodatage: Mapped[datetime] = _now()
    corrige_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions_comite.id", ondelete="RESTRICT")
    )
