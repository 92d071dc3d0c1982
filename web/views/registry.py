"""Pages of the registries: filtered lists with their map, detail with history, forms."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from foncier import registry
from foncier.committee.proposals import open_proposals
from foncier.errors import Conflict, InvalidInput
from foncier.models import Friche
from foncier.registry import KINDS, Kind
from foncier.registry.filters import ALL, Page
from foncier.registry.lists import choices, display_lists
from foncier.scenarios.caps import cap_in_force
from foncier.schemas.fields import load
from foncier.schemas.filters import FILTERS, SORTABLE, load_filters
from web import store
from web.context import acting_user, geocoder
from web.downloads import export_response
from web.forms import form_fields, form_values, payload_from_form
from web.kept import cached, geojson_response
from web.labels import field_label
from web.listing import (
    FILTER_LABELS,
    SEARCH_HINTS,
    count_text,
    filter_fields,
    headers,
    kept_search,
)
from web.record_maps import list_map, points_geojson, record_map, record_points
from web.views.home import kept_map_parts, map_assets

# What the lists show: the columns they sort by, and a need's kinds (a list of codes).
COLUMNS = {kind: list(names) for kind, names in SORTABLE.items()}
COLUMNS["needs"].insert(COLUMNS["needs"].index("statut") + 1, "types_acceptes")
PAGE_SIZE = 50
WITHDRAWN = {
    "premises": "Le local est retiré : il n'est plus proposé.",
    "actors": "L'acteur est archivé.",
    "needs": "Le besoin est abandonné : il n'est plus apparié.",
}


def registry_pages(kind: Kind) -> Blueprint:
    bp = Blueprint(f"pages_{kind.name}", __name__, url_prefix=f"/{kind.segment}")

    @bp.get("/")
    def index() -> tuple[str, int]:
        return _list_page(kind)

    @bp.get("/<int:record_id>")
    def detail(record_id: int) -> str:
        return _detail_page(kind, record_id)

    @bp.route("/nouveau", methods=["GET", "POST"])
    def create() -> str | Response:
        return _form_page(kind, None)

    @bp.route("/<int:record_id>/modifier", methods=["GET", "POST"])
    def edit(record_id: int) -> str | Response:
        return _form_page(kind, record_id)

    bp.add_url_rule("/carte.geojson", "points", lambda: _points(kind))  # the list's map

    @bp.get("/export.<ext>")
    def export(ext: str) -> Response:
        return _export(kind, ext)

    @bp.route("/<int:record_id>/retirer", methods=["GET", "POST"])
    def withdraw(record_id: int) -> str | Response:
        """Asked first on its own page, then done and said on the record's page."""
        if request.method == "GET":
            record = registry.get(store.session(), kind, record_id)
            return render_template("registre_retrait.html", kind=kind, record=record)
        version = request.form.get("version", type=int)
        registry.withdraw(store.session(), kind, record_id, version, acting_user("web"))
        flash(WITHDRAWN[kind.name])
        return redirect(url_for(".detail", record_id=record_id))

    return bp


def _detail_page(kind: Kind, record_id: int) -> str:
    session = store.session()
    shown = cached(
        session, ("fiche", kind.name, record_id), lambda: _record(session, kind, record_id)
    )
    lists, assets = shown_lists(session), map_assets()
    return render_template(
        "registre_fiche.html",
        kind=kind,
        title=kind.title,
        **shown,
        names=lists["commune_insee"],
        lists=lists,
        # One map per kind; the record's features come with the page.
        **kept_map_parts(session, ("fiche", kind.name, assets), lambda: record_map(kind, assets)),
    )


def _record(session: Session, kind: Kind, record_id: int) -> dict[str, Any]:
    """What a record's page shows, read once per version of the data (8 statements)."""
    record = registry.get(session, kind, record_id)
    return {
        "record": record,
        "history": registry.history(session, kind, record_id),
        "cap": cap_in_force(session, record_id) if kind.name == "premises" else None,
        **_links(session, kind, record),
        "proposals": _open_proposals(session, kind.name, record_id),
        "points": record_points(record, kind, shown_lists(session)),
    }


def _list_page(kind: Kind) -> tuple[str, int]:
    """The filtered list; an invalid filter shows the error and no list (422): the whole
    list under a filter the user believes applied would be silently wrong."""
    session = store.session()
    known = FILTERS[kind.name]().fields  # other parameters (a link's extras) are no filter
    given = {k: v for k, v in request.args.items() if v != "" and k in known}
    filters, errors = load_filters(kind.name, given)
    number = max(1, request.args.get("page", 1, type=int))
    total, items = 0, list[dict[str, Any]]()
    if not errors:
        total, items = kept_search(session, kind, filters, Page(number, PAGE_SIZE))
    lists, assets = shown_lists(session), map_assets()
    points = _points_url(given, bool(errors))
    page = render_template(
        "registre_liste.html",
        kind=kind,
        title=kind.title,
        total=total,
        page=number,
        pages=max(1, -(-total // PAGE_SIZE)),
        table=_table(session, kind, given, number, items, lists),
        count=count_text(kind, total),
        search_hint=SEARCH_HINTS[kind.name],
        filters=filter_fields(kind, lists, given),
        given=given,
        errors={FILTER_LABELS.get(k, field_label(k)): m for k, m in errors.items()},
        query=urlencode(given),
        # The map's points come apart from the page (an invalid filter draws none).
        **kept_map_parts(
            session, ("liste", kind.name, points, assets), lambda: list_map(kind, assets, points)
        ),
    )
    return page, 422 if errors else 200


def _table(
    session: Session,
    kind: Kind,
    given: dict[str, str],
    number: int,
    items: list[dict[str, Any]],
    lists: dict[str, dict[str, str]],
) -> Markup:
    """The rows, rendered once per version of the data and query: the longest part to draw."""

    def draw() -> Markup:
        columns = COLUMNS[kind.name]
        return Markup(
            render_template(
                "_registre_tableau.html",
                items=items,
                columns=columns,
                headers=headers(kind, columns, given),
                names=lists["commune_insee"],
                lists=lists,
            )
        )

    return cached(session, ("tableau", kind.name, tuple(sorted(given.items())), number), draw)


def shown_lists(session: Session) -> dict[str, dict[str, str]]:
    """Code → label of the database's lists, read once per version of the data."""
    return cached(session, "listes", lambda: display_lists(session))


def _points_url(given: dict[str, str], refused: bool) -> str:
    arguments: dict[str, Any] = {**given, **({"vide": "1"} if refused else {})}
    return url_for(".points", **arguments)


def _points(kind: Kind) -> Response:
    """The filtered list's located records as GeoJSON, computed once per data version."""
    session = store.session()
    known = FILTERS[kind.name]().fields
    given = {k: v for k, v in request.args.items() if v != "" and k in known}
    filters, errors = load_filters(kind.name, given)
    if errors or request.args.get("vide"):
        return jsonify({"type": "FeatureCollection", "features": []})

    def compute() -> dict[str, Any]:
        _, everything = registry.search(session, kind, filters, ALL)
        return points_geojson(everything, kind, shown_lists(session))

    return geojson_response(session, (kind.name, tuple(sorted(given.items()))), compute)


def _links(session: Any, kind: Kind, record: dict[str, Any]) -> dict[str, Any]:
    """The records a record's page links to, by name: an actor's needs, a need's actor, a
    premises' parent site and its Cartofriches brownfield."""
    if kind.name == "actors":
        _, needs = registry.search(session, KINDS["needs"], {"acteur_id": record["id"]}, ALL)
        return {"actor_needs": needs}
    if kind.name == "needs" and record.get("acteur_id"):
        return {"actor": registry.get(session, KINDS["actors"], record["acteur_id"])}
    if kind.name == "premises":
        parent = record.get("parent_id")
        friche = session.get(Friche, record["friche_id"]) if record.get("friche_id") else None
        return {
            "parent": registry.get(session, kind, parent) if parent else None,
            "friche": friche,
        }
    return {}


def _form_page(kind: Kind, record_id: int | None) -> str | Response:
    session = store.session()
    fields_ = form_fields(kind, choices(session, kind.name))
    creating = record_id is None
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        payload = payload_from_form(fields_, request.form, creating)
        try:
            saved = _save(kind, record_id, payload)
            return redirect(url_for(f"pages_{kind.name}.detail", record_id=saved["id"]))
        except InvalidInput as error:
            errors = error.errors or {"formulaire": [error.message]}
        except Conflict as error:  # keep what the user typed: nothing they entered is lost
            errors = {"version": [error.message]}
        shown = {**request.form.to_dict(), **_lists(request.form)}
    elif creating:  # a link may choose a value: "ajouter un besoin" from an actor's page
        shown = {f.name: request.args[f.name] for f in fields_ if f.name in request.args}
    else:
        shown = form_values(registry.get(session, kind, record_id))  # type: ignore[arg-type]
    return render_template(
        "registre_formulaire.html",
        kind=kind,
        title=kind.title,
        fields=fields_,
        values=shown,
        errors=errors,
        record_id=record_id,
        message=_summary(errors, {f.name for f in fields_}),
    )


def _save(kind: Kind, record_id: int | None, payload: dict[str, Any]) -> dict[str, Any]:
    session = store.session()
    if record_id is None:
        return registry.create(session, kind, payload, acting_user("web"), geocoder())
    return registry.update(session, kind, record_id, payload, acting_user("web"), geocoder())


def _lists(form: Any) -> dict[str, list[str]]:
    """Checkbox lists survive a refused submission, like every other box the user filled."""
    return {key: form.getlist(key) for key in form if len(form.getlist(key)) > 1}


def _summary(errors: dict[str, list[str]], shown: set[str]) -> str | None:
    """What the alert says; a message about a field the form has no box for (a need's zone:
    communes, drawn area or point) is quoted here, else the user would never read it."""
    if not errors:
        return None
    general = errors.get("formulaire")
    if general:
        return f"La fiche n'est pas enregistrée : {' '.join(general)}"
    elsewhere = [
        f"{field_label(name)} : {' '.join(messages)}"
        for name, messages in errors.items()
        if name not in shown | {"geometry", "version"}
    ]
    count = len(errors)
    text = f"{count} champ{'s' if count > 1 else ''} à corriger"
    return f"La fiche n'est pas enregistrée : {text}. {' '.join(elsewhere)}".strip()


def _export(kind: Kind, ext: str) -> Response:
    """The filtered list as a file; the same filters as the page."""
    given = {k: v for k, v in request.args.items() if v != ""}
    return export_response(kind, ext, load(FILTERS[kind.name](), given))


def _open_proposals(session: Session, kind_name: str, record_id: int) -> list[dict[str, Any]]:
    """The committee proposals still awaiting a decision that name this need or premises."""
    if kind_name == "needs":
        return open_proposals(session, need_id=record_id)
    if kind_name == "premises":
        return open_proposals(session, premises_id=record_id)
    return []
