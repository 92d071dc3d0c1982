"""Decisions flow back into the registries' statuses (the history triggers record each move).

A favourable decision reserves the premises and satisfies the need; the others on the same
agenda item are released (need ``ouvert``, premises ``disponible``) unless they hold other
proposals still awaiting the committee. A refusal releases the pair's parties the same way.
An adjournment changes nothing. The caller owns the transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from foncier.committee import _store
from foncier.committee.vocabulary import Issue
from foncier.models import Besoin, Local
from foncier.models.committee import LigneProposition
from foncier.vocabulary import StatutBesoin, StatutLocal

_UNDER_PROPOSAL_NEED = (StatutBesoin.EN_PROPOSITION,)
_UNDER_PROPOSAL_PREMISES = (StatutLocal.SOUS_OPTION,)


def apply(
    session: Session, line: LigneProposition, issue: Issue, correcting: Issue | None = None
) -> None:
    if correcting == Issue.FAVORABLE and issue != Issue.FAVORABLE:
        # The earlier decision settled the whole item: its pairs are under proposal again.
        for other in line.proposition.lignes:
            _reopen(session, other)
    if issue == Issue.FAVORABLE:
        _grant(session, line)
        for other in line.proposition.lignes:
            if other.id != line.id:
                _release_pair(session, other)
    elif issue == Issue.DEFAVORABLE:
        _release_pair(session, line)


def _grant(session: Session, line: LigneProposition) -> None:
    need = session.get(Besoin, line.besoin_id, with_for_update=True)
    premises = session.get(Local, line.local_id, with_for_update=True)
    if need is not None and need.statut in (StatutBesoin.OUVERT, StatutBesoin.EN_PROPOSITION):
        need.statut = StatutBesoin.SATISFAIT
    if premises is not None and premises.statut in (
        StatutLocal.DISPONIBLE,
        StatutLocal.SOUS_OPTION,
    ):
        premises.statut = StatutLocal.RESERVE


def _reopen(session: Session, line: LigneProposition) -> None:
    need = session.get(Besoin, line.besoin_id, with_for_update=True)
    premises = session.get(Local, line.local_id, with_for_update=True)
    if need is not None and need.statut in (StatutBesoin.OUVERT, StatutBesoin.SATISFAIT):
        need.statut = StatutBesoin.EN_PROPOSITION
    if premises is not None and premises.statut in (StatutLocal.DISPONIBLE, StatutLocal.RESERVE):
        premises.statut = StatutLocal.SOUS_OPTION


def _release_pair(session: Session, line: LigneProposition) -> None:
    _release_need(session, line.besoin_id, _UNDER_PROPOSAL_NEED)
    _release_premises(session, line.local_id, _UNDER_PROPOSAL_PREMISES)


def _release_need(session: Session, need_id: int, when: tuple[StatutBesoin, ...]) -> None:
    session.flush()
    if _store.pending_lines(session, need_id=need_id):
        return
    need = session.get(Besoin, need_id, with_for_update=True)
    if need is not None and need.statut in when:
        need.statut = StatutBesoin.OUVERT


def _release_premises(session: Session, premises_id: int, when: tuple[StatutLocal, ...]) -> None:
    session.flush()
    if _store.pending_lines(session, premises_id=premises_id):
        return
    premises = session.get(Local, premises_id, with_for_update=True)
    if premises is not None and premises.statut in when:
        premises.statut = StatutLocal.DISPONIBLE
