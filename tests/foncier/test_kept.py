"""The version of the data moves with every write, a late commit too."""

from __future__ import annotations

from sqlalchemy import Engine, select, update

from foncier.db import make_sessionmaker, transaction
from foncier.db.kept import data_version, forget, kept
from foncier.models import Commune, Local, VersionDonnees


def test_a_transaction_committed_after_a_newer_one_still_moves_the_version(
    loaded: Engine,
) -> None:
    sessions = make_sessionmaker(loaded)
    with sessions() as early, sessions() as late, sessions() as reader:
        (first, name), (second, other) = early.execute(
            select(Local.id, Local.nom).order_by(Local.id).limit(2)
        ).all()
        with transaction(early, "tests"):
            early.execute(update(Local).where(Local.id == first).values(nom=f"{name} (bis)"))
            with transaction(late, "tests"):  # takes a newer history id, commits first
                late.execute(update(Local).where(Local.id == second).values(nom=f"{other} (bis)"))
            before = data_version(reader)
            reader.rollback()
        assert data_version(reader) != before
        with transaction(early, "tests"):  # the names other tests know
            for id_, old in ((first, name), (second, other)):
                early.execute(update(Local).where(Local.id == id_).values(nom=old))


def test_a_value_is_computed_once_per_version(loaded: Engine) -> None:
    sessions = make_sessionmaker(loaded)
    computed: list[int] = []

    def count() -> int:
        computed.append(1)
        return len(computed)

    forget()
    with sessions() as session:
        for _ in range(3):
            assert kept(session, "compte", count) == 1
        name = session.scalar(select(Local.nom).where(Local.id == 1))
        with transaction(session, "tests"):  # a write, then its undoing: two versions on
            for new in (f"{name} (bis)", name):
                session.execute(update(Local).where(Local.id == 1).values(nom=new))
        assert kept(session, "compte", count) == 2


def _number(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(VersionDonnees.numero)).scalar_one())


def test_a_transaction_moves_the_version_once_and_only_when_it_commits(loaded: Engine) -> None:
    sessions = make_sessionmaker(loaded)
    before = _number(loaded)
    with sessions() as writer:
        premises = writer.execute(select(Local.id, Local.nom).order_by(Local.id).limit(3)).all()
        with transaction(writer, "tests"):
            for id_, name in premises:
                writer.execute(update(Local).where(Local.id == id_).values(nom=f"{name} (ter)"))
            assert _number(loaded) == before  # not yet committed: nothing to see
        assert _number(loaded) == before + 1  # three records, one transaction
        with transaction(writer, "tests"):
            for id_, name in premises:
                writer.execute(update(Local).where(Local.id == id_).values(nom=name))
    assert _number(loaded) == before + 2


def test_a_reference_layer_change_moves_the_version(loaded: Engine) -> None:
    before = _number(loaded)
    with loaded.begin() as connection:  # as a reload does, through no record's history
        connection.execute(update(Commune).values(nom=Commune.nom))
    assert _number(loaded) == before + 1


def test_what_a_transaction_reads_of_its_own_writes_is_kept_for_it_alone(loaded: Engine) -> None:
    sessions = make_sessionmaker(loaded)
    with sessions() as writer, sessions() as reader:
        outside = data_version(reader)
        reader.rollback()
        first, name = writer.execute(select(Local.id, Local.nom).order_by(Local.id).limit(1)).one()
        writer.execute(update(Local).where(Local.id == first).values(nom=f"{name} (brouillon)"))
        inside = data_version(writer)  # uncommitted: the counter has not moved yet
        assert inside != outside and data_version(writer) == inside
        writer.rollback()
        assert data_version(writer) == outside
