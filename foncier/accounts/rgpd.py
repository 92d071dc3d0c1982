"""Rights of access and erasure on an actor's contact, and the retention rule (RGPD).

Erasure removes the contact from the actor and from every line of its history (the only
update the history accepts, see migration 0007); its needs, proposals and matching runs stay.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import and_, exists, func, select, text
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from foncier.accounts.audit import Evenement, record_event
from foncier.accounts.privacy import PERSONAL_FIELDS
from foncier.accounts.rules import RETENTION_MONTHS
from foncier.db import transaction
from foncier.errors import NotFound
from foncier.models import Acteur, Besoin, Historique
from foncier.vocabulary import StatutBesoin

CONTACT = PERSONAL_FIELDS["acteurs"]
CLOSED = (StatutBesoin.SATISFAIT, StatutBesoin.ABANDONNE)


def _actor(session: Session, actor_id: int) -> Acteur:
    actor = session.get(Acteur, actor_id) if 0 < actor_id < 2**31 else None
    if actor is None:
        raise NotFound(f"Aucun acteur ne porte le numéro « {actor_id} ».")
    return actor


def export_contact(session: Session, actor_id: int, by: str) -> dict[str, Any]:
    """Right of access: what the service keeps about the actor's contact, and where from."""
    with transaction(session, by):
        actor = _actor(session, actor_id)
        mentions = session.scalar(
            select(func.count()).where(
                Historique.table_name == "acteurs", Historique.record_id == str(actor_id)
            )
        )
        record_event(
            session,
            Evenement.EXPORT_DONNEES_PERSONNELLES,
            by,
            acteur=actor_id,
            motif="droit d'accès",
        )
        return {
            "acteur": {"id": actor.id, "ref": actor.ref, "nom": actor.nom, "siren": actor.siren},
            "contact": {field: getattr(actor, field) for field in CONTACT},
            "source": actor.source,
            "cree_le": actor.created_at.isoformat(),
            "modifie_le": actor.updated_at.isoformat(),
            "lignes_historique": mentions,
            "besoins": [
                {"ref": b.ref, "intitule": b.intitule, "statut": b.statut.value}
                for b in actor.besoins
            ],
            "finalite": "Mise en relation avec des locaux par l'agence immobilière solidaire.",
            "exporte_le": datetime.now(UTC).isoformat(),
        }


def erase_contact(
    session: Session, actor_id: int, by: str, reason: str = "droit à l'effacement"
) -> int:
    """Right to erasure; returns how many history lines lost the contact."""
    with transaction(session, by):
        return _erase(session, _actor(session, actor_id), by, reason)


def _erase(session: Session, actor: Acteur, by: str, reason: str) -> int:
    for field in CONTACT:
        setattr(actor, field, None)
    session.flush()  # the history trigger copies the old contact: it is removed just below
    session.execute(text("SELECT set_config('foncier.effacement_contact', 'on', true)"))
    keys = "ARRAY[" + ", ".join(f"'{f}'" for f in CONTACT) + "]"
    scrubbed = cast(
        CursorResult[Any],
        session.execute(
            text(
                f"UPDATE historique SET avant = avant - {keys}, apres = apres - {keys} "
                "WHERE table_name = 'acteurs' AND record_id = :id "
                f"AND (avant ?| {keys} OR apres ?| {keys})"
            ),
            {"id": str(actor.id)},
        ),
    ).rowcount
    session.execute(text("SELECT set_config('foncier.effacement_contact', 'off', true)"))
    record_event(
        session,
        Evenement.EFFACEMENT_CONTACT,
        by,
        acteur=actor.id,
        motif=reason,
        lignes_historique=scrubbed,
    )
    return int(scrubbed)


def expired_actors(session: Session, months: int = RETENTION_MONTHS) -> list[Acteur]:
    """Actors with a contact, at least one need, and every need closed for ``months``."""
    cutoff = text(f"now() - interval '{int(months)} months'")
    recent_or_open = exists().where(
        Besoin.acteur_id == Acteur.id,
        ~and_(Besoin.statut.in_(CLOSED), Besoin.updated_at < cutoff),
    )
    has_need = exists().where(Besoin.acteur_id == Acteur.id)
    has_contact = (
        Acteur.contact_nom.is_not(None)
        | Acteur.contact_email.is_not(None)
        | (Acteur.contact_telephone.is_not(None))
    )
    query = select(Acteur).where(has_need, ~recent_or_open, has_contact).order_by(Acteur.id)
    return list(session.scalars(query))


def apply_retention(
    session: Session, by: str, months: int = RETENTION_MONTHS, dry_run: bool = False
) -> list[str]:
    """Erase the contacts the retention rule no longer allows to keep; their references."""
    with transaction(session, by):
        actors = expired_actors(session, months)
        if not dry_run:
            for actor in actors:
                _erase(session, actor, by, f"conservation : besoins clos depuis {months} mois")
            record_event(session, Evenement.CONSERVATION, by, mois=months, acteurs=len(actors))
        return [actor.ref for actor in actors]
