"""Reference layers load idempotently; PostGIS gives every record its commune and QPV."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from foncier import config
from foncier.models import Commune, Friche, Local, Qpv
from foncier.reference import load_reference
from tests.factories import COMEDIE, a_local

GRAND_PARC = (-0.58228, 44.85867)  # inside the Grand-Parc QPV, Bordeaux
GRAND_PARC_QP = "QN03310M"


def counts(session: Session) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        session.scalar(select(func.count()).select_from(model)) for model in (Commune, Qpv, Friche)
    )


def test_the_28_communes_23_qpv_and_138_friches_are_loaded(session: Session) -> None:
    assert counts(session) == (28, 23, 138)
    assert session.scalar(select(func.sum(Commune.population))) == 854_334
    names = set(session.scalars(select(Commune.nom)))
    assert {"Bordeaux", "Le Bouscat", "Ambarès-et-Lagrave", "Villenave-d'Ornon"} <= names


def test_loading_twice_changes_nothing(session: Session) -> None:
    before = counts(session)
    result = load_reference(session, config.reference_data_dir())
    assert counts(session) == before
    assert (result.communes, result.qpv, result.friches) == (28, 23, 138)
    assert result.relocalises == 0


def test_a_qpv_spanning_two_communes_keeps_both(session: Session) -> None:
    champ_de_course = session.get(Qpv, "QN03301I")
    assert champ_de_course is not None
    assert champ_de_course.communes_insee == ["33069", "33162"]


def test_a_point_in_grand_parc_is_in_bordeaux_and_in_its_qpv(session: Session) -> None:
    session.add_all([a_local("GP-1", *GRAND_PARC), a_local("CO-1", *COMEDIE)])
    session.flush()
    grand_parc = session.scalars(select(Local).where(Local.ref == "GP-1")).one()
    comedie = session.scalars(select(Local).where(Local.ref == "CO-1")).one()
    session.refresh(grand_parc)
    session.refresh(comedie)
    assert (grand_parc.commune_insee, grand_parc.code_qp, grand_parc.en_qpv) == (
        "33063",
        GRAND_PARC_QP,
        True,
    )
    assert (comedie.commune_insee, comedie.code_qp, comedie.en_qpv) == ("33063", None, False)


def test_moving_a_point_recomputes_its_commune(session: Session) -> None:
    local = a_local("MV-1", *COMEDIE)
    session.add(local)
    session.flush()
    local.geom = a_local("tmp", -0.6440, 44.8370).geom  # Mérignac centre
    session.flush()
    session.refresh(local)
    assert local.commune_insee == "33281"
    assert local.en_qpv is False


def test_a_point_outside_the_metropole_has_no_commune(session: Session) -> None:
    local = a_local("OUT-1", -0.2430, 44.8940)  # Libourne, outside Bordeaux Métropole
    session.add(local)
    session.flush()
    session.refresh(local)
    assert local.commune_insee is None and local.en_qpv is False
