"""Search and sort of the registry lists, as agents read them: accents and case aside.

The comparison is done in SQL with plain functions (``translate``, ``lower``,
``regexp_replace``) rather than the ``unaccent`` extension: nothing to install on a server
``DATABASE_URL`` names, and the same folding as :func:`foncier.french.plain` in Python.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, select
from sqlalchemy.orm import Session, aliased

from foncier.french import french_key, plain
from foncier.models import Acteur, Besoin
from foncier.registry.kind import Kind
from foncier.registry.lists import display_lists
from foncier.vocabulary import VALUE_LABELS


def _accent_table() -> tuple[str, str]:
    """Accented Latin letters and their bare letter, for SQL's ``translate``: upper case too,
    as ``lower`` only folds ASCII in a database whose collation is C. Latin-1 and "Ÿ" cover
    French (and Spanish, Portuguese, German names); a longer table made ``translate`` five
    times slower over a list."""
    accented, bare = [], []
    for char in [*map(chr, range(0xC0, 0x100)), "Ÿ"]:
        base = unicodedata.normalize("NFKD", char)[0].lower()
        if char.isalpha() and base.isascii() and base.isalpha() and base != char.lower():
            accented.append(char)
            bare.append(base)
    return "".join(accented), "".join(bare)


_ACCENTED, _BARE = _accent_table()


def plain_sql(value: Any) -> ColumnElement[str]:
    """SQL's :func:`foncier.french.plain`: lower case, no accents, punctuation as spaces."""
    text = func.translate(func.coalesce(value, ""), _ACCENTED, _BARE)
    text = func.replace(func.replace(func.lower(text), "œ", "oe"), "æ", "ae")
    text = func.replace(func.replace(text, "Œ", "oe"), "Æ", "ae")
    return func.trim(func.regexp_replace(text, "[^a-z0-9]+", " ", "g"))


def _searched(kind: Kind) -> list[Any]:
    """What a query is looked for in: name, address, reference (an actor's SIREN/SIRET, a
    need's actor)."""
    model: Any = kind.model
    if model is Besoin:
        # An alias of its own: a filter on the actor's sector or stage joins Acteur already.
        owner = aliased(Acteur)
        actor = select(owner.nom).where(owner.id == Besoin.acteur_id).scalar_subquery()
        return [Besoin.ref, Besoin.intitule, actor]
    found = [model.ref, model.nom, model.adresse]
    if model is Acteur:
        found += [Acteur.siren, Acteur.siret]
    return found


def matching(kind: Kind, query: Select[Any], words: str) -> Select[Any]:
    """Records whose searched fields hold every word of ``words``, in any case or accents."""
    haystack = plain_sql(func.concat_ws(" ", *_searched(kind)))
    # The words keep only [a-z0-9]: no LIKE wildcard can come from the user.
    return query.where(
        *(haystack.contains(word, autoescape=False) for word in plain(words).split())
    )


def ordered(session: Session, kind: Kind, query: Select[Any], sort: str | None) -> Select[Any]:
    """``sort`` is a column name, ``-name`` for descending; empty values last either way, and
    the id breaks ties so that pages never repeat or skip a record."""
    model: Any = kind.model
    if not sort:
        return query.order_by(model.id)
    name = sort.removeprefix("-")
    key = _sort_key(session, model, name)
    direction = key.desc() if sort.startswith("-") else key.asc()
    return query.order_by(direction.nulls_last(), model.id)


def _sort_key(session: Session, model: Any, name: str) -> ColumnElement[Any]:
    column = getattr(model, name)
    labels = display_lists(session).get(name) or _enum_labels(column)
    if labels:  # codes sort by the label the page shows
        ranks = {code: rank for rank, code in enumerate(sorted(labels, key=_label_key(labels)))}
        return case(ranks, value=column, else_=literal(len(ranks)))
    if isinstance(column.type.python_type, type) and issubclass(column.type.python_type, str):
        return plain_sql(column)
    return column


def _label_key(labels: dict[str, str]) -> Any:
    return lambda code: french_key(labels[code])


def _enum_labels(column: Any) -> dict[str, str]:
    enum = getattr(column.type, "enum_class", None)
    return {m.value: VALUE_LABELS.get(m.value, m.value) for m in enum} if enum else {}
