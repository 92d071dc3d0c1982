"""The scenario document: an operation's perimeter and programme of lots, with its clause.

The same schema validates the file of ``foncier scenario run``, the API and the planner's
page, and produces the OpenAPI description. Keys are English, as the issue fixed them; the
values follow DESIGN §6 (euros excluding VAT, m², rents per m² per year, shares as 0–1).
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from foncier import limits
from foncier.french import fold
from foncier.schemas.fields import FrenchSchema, Geometry, choices, day, integer, number, text
from matching.pricecap.clause import ESS_USES
from matching.pricecap.indexation import parse_quarter

USES = ["bureaux", "activites", "commerce", "logement", "equipement"]
# How planners write a lot's use in their programmes; compared folded (no accent, any case,
# singular), so that "Activités/artisanat", "équipement" or "BUREAUX" are read.
USE_ALIASES = {
    "bureaux": "bureaux|bureau|tertiaire",
    "activites": "activites|activités|activités/artisanat|activité artisanat|artisanat|ateliers",
    "commerce": "commerce|commerces|commerces de pied d'immeuble|pied d'immeuble",
    "logement": "logement|logements|habitat",
    "equipement": "equipement|équipement|équipements publics|équipement public",
}


class UseField(fields.String):
    """A lot's use, given by its code or as planners write it."""

    default_error_messages = {  # noqa: RUF012
        "invalid": "Attendu : du texte.",
        "unknown": "Usage inconnu ; valeurs permises : "
        "bureaux, activités/artisanat, commerce, logement, équipement.",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        found = _USE_INDEX.get(fold(text))
        if found is None:
            raise self.make_error("unknown")
        return found


_USE_INDEX = {
    fold(alias): code for code, aliases in USE_ALIASES.items() for alias in aliases.split("|")
}
INDICES = ["ILAT", "ILC"]


def share(**kwargs: Any) -> fields.Float:
    """A share between 0 and 1 (0.08 is 8 %)."""
    return number(0, maximum=1, **kwargs)


SMALLEST_UNIT_M2 = 10.0  # smaller than any premises let to an actor: a typing slip
CAPS = ("cap_price_eur_m2", "cap_rent_eur_m2_year", "cap_share_of_market")


def unit_sizes(**kwargs: Any) -> fields.List:
    """Sizes of the premises the ESS part is split into (m², taken in turn)."""
    return fields.List(
        number(SMALLEST_UNIT_M2, maximum=100_000),
        validate=validate.Length(min=1, error="Au moins une taille de local."),
        **kwargs,
    )


def _quarter(text: str) -> None:
    try:
        parse_quarter(text)
    except ValueError as exc:
        raise ValidationError(f"« {text} » n'est pas un trimestre (ex. 2024-T1).") from exc


class LotSchema(FrenchSchema):
    ref = text(80, required=True)
    use = UseField(required=True, error_messages={"required": "Champ obligatoire."})
    sdp_m2 = number(0, strict_min=True, required=True)
    eta = number(0, strict_min=True, maximum=1, load_default=1.0)
    price_eur_m2 = number(0, strict_min=True, load_default=None)
    rent_eur_m2_year = number(0, strict_min=True, load_default=None)
    # Named "yield" in the file; a Python keyword, hence the data_key.
    yield_ = number(0, strict_min=True, maximum=1, data_key="yield", load_default=None)
    vacancy = number(0, maximum=0.99, load_default=0.0)
    buyer_costs = number(0, maximum=1, load_default=0.0)
    construction_eur_m2 = number(0, required=True)
    fees_technical = share(load_default=0.0)
    contingencies = share(load_default=0.0)
    taxes_eur = number(0, load_default=0.0)
    margin = share(load_default=0.0)
    fees_commercial = share(load_default=0.0)
    fees_management = share(load_default=0.0)
    fees_financial = share(load_default=0.0)
    ess_share = share(load_default=0.0)
    cap_price_eur_m2 = number(0, strict_min=True, load_default=None)
    cap_rent_eur_m2_year = number(0, strict_min=True, load_default=None)
    cap_share_of_market = number(0, strict_min=True, maximum=1, load_default=None)
    ess_land_charge_eur_m2 = number(None, load_default=None)
    unit_sizes_m2 = unit_sizes(load_default=None)
    point = Geometry("Point", load_default=None)

    @validates_schema
    def _coherent(self, data: dict[str, Any], **_: Any) -> None:
        errors: dict[str, list[str]] = {}
        market = [k for k in ("price_eur_m2", "rent_eur_m2_year") if data.get(k) is not None]
        if len(market) != 1:
            given = " et ".join(f"{k} = {data[k]:g}" for k in market) or "aucun des deux"
            errors["price_eur_m2"] = [
                f"« {given} » : donnez soit price_eur_m2 (vente), soit rent_eur_m2_year "
                "(investisseur)."
            ]
        caps = [k for k in CAPS if data.get(k) is not None]
        if len(caps) > 1:
            errors[caps[1]] = [
                f"« {', '.join(caps)} » : un seul plafond par lot (prix, loyer ou part du marché)."
            ]
        renting = data.get("rent_eur_m2_year") is not None or (
            data.get("cap_rent_eur_m2_year") is not None and data.get("cap_price_eur_m2") is None
        )
        if renting and data.get("yield_") is None:
            errors["yield"] = ["Obligatoire avec un loyer : le taux de capitalisation."]
        fees = sum(
            data.get(k, 0.0) or 0.0
            for k in ("margin", "fees_commercial", "fees_management", "fees_financial")
        )
        if fees >= 1:
            errors["margin"] = [f"« {fees:g} » : marge et frais doivent faire moins de 1."]
        if data.get("fees_technical", 0) + data.get("contingencies", 0) > 1:
            errors["fees_technical"] = ["Honoraires et aléas : au plus 1 (100 %) ensemble."]
        if data.get("ess_share", 0) > 0 and data.get("use") not in ESS_USES:
            errors["ess_share"] = [
                f"« {data.get('use')} » : la clause ESS porte sur des lots {', '.join(ESS_USES)}."
            ]
        if errors:
            raise ValidationError(errors)


class IndexSchema(FrenchSchema):
    annual_change = number(-0.5, maximum=0.5, load_default=0.02)
    base = fields.String(load_default=None, validate=_quarter)
    series = fields.Dict(
        keys=fields.String(validate=_quarter), values=number(0, strict_min=True), load_default={}
    )

    @validates_schema
    def _base_in_series(self, data: dict[str, Any], **_: Any) -> None:
        """A series is read from its base quarter: without it, it would be silently unused."""
        series, base = data.get("series") or {}, data.get("base")
        if not series:
            return
        if base is None:
            raise ValidationError(
                {"base": ["Obligatoire avec une série : le trimestre de départ."]}
            )
        known = {parse_quarter(q) for q in series}
        if parse_quarter(base) not in known:
            raise ValidationError({"base": [f"« {base} » : trimestre absent de la série."]})


def _lot_count(lots: list[Any]) -> None:
    if not lots:
        raise ValidationError("Au moins un lot.")
    if len(lots) > limits.MAX_LOTS:
        raise ValidationError(f"{len(lots)} lots : {limits.MAX_LOTS} au plus.")


class ScenarioSchema(FrenchSchema):
    name = text(200, load_default="Scénario")
    perimeter = Geometry("Polygon", "MultiPolygon", required=True)
    lots = fields.List(
        fields.Nested(LotSchema),
        required=True,
        validate=_lot_count,
    )
    ess_programme_share = share(load_default=None)
    other_receipts_eur = number(0, load_default=0.0)
    other_expenditures_eur = number(0, load_default=0.0)
    min_margin = share(load_default=0.05)
    duration_years = integer(1, maximum=99, load_default=9)
    discount_rate = number(0, maximum=0.5, load_default=0.04)
    market_rent_growth = number(-0.5, maximum=0.5, load_default=0.015)
    indices = fields.Dict(
        keys=fields.String(validate=choices(INDICES)),
        values=fields.Nested(IndexSchema),
        load_default={},
    )
    unit_sizes_m2 = unit_sizes(load_default=[80.0, 150.0, 300.0])
    fonciere_yield = number(0, strict_min=True, maximum=1, load_default=0.05)
    available_from = day(load_default=None)

    @validates_schema
    def _one_kind_of_share(self, data: dict[str, Any], **_: Any) -> None:
        """A programme share replaces the lots' own: both would leave one silently unused."""
        if data.get("ess_programme_share") is None:
            return
        given = [lot["ref"] for lot in data.get("lots", []) if lot.get("ess_share")]
        if given:
            raise ValidationError(
                {
                    "ess_programme_share": [
                        f"« {', '.join(given)} » ont leur propre part ESS : donnez soit une part "
                        "par lot, soit une part du programme."
                    ]
                }
            )

    @validates_schema
    def _unique_refs(self, data: dict[str, Any], **_: Any) -> None:
        refs = [lot["ref"] for lot in data.get("lots", [])]
        twice = {
            i: {"ref": ["Déjà la référence d'un autre lot : chaque lot a la sienne."]}
            for i, ref in enumerate(refs)
            if ref in refs[:i]
        }
        if twice:
            raise ValidationError({"lots": twice})

    @validates_schema
    def _lots_inside(self, data: dict[str, Any], **_: Any) -> None:
        """A lot's point lies in the perimeter (within about 50 m, for a hand-placed point)."""
        perimeter = data.get("perimeter")
        if perimeter is None:
            return
        reach = perimeter.buffer(0.0005)
        outside = {
            i: {"point": [f"Le point du lot « {lot['ref']} » est hors du périmètre."]}
            for i, lot in enumerate(data.get("lots", []))
            if lot.get("point") is not None and not reach.contains(lot["point"])
        }
        if outside:
            raise ValidationError({"lots": outside})


class CopySchema(FrenchSchema):
    name = text(200, min_length=1, required=True)
