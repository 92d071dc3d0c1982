"""Generate the demo records from a seed: pure, no database. Same seed, same records."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import Point

from foncier.demo import _catalogue as cat
from foncier.demo._places import Places
from foncier.identifiers import luhn_complete
from foncier.limits import grouped
from foncier.vocabulary import (
    ClasseEnergie,
    Equipement,
    ModeOccupation,
    OrigineLocal,
    Stade,
    StatutBesoin,
    TypeLocal,
)

K = TypeVar("K")
Row = dict[str, Any]


@dataclass
class DemoData:
    locaux: list[Row] = field(default_factory=list)
    acteurs: list[Row] = field(default_factory=list)
    besoins: list[Row] = field(default_factory=list)  # `acteur_ref` stands for the actor id


def generate(
    communes: gpd.GeoDataFrame,
    friches: gpd.GeoDataFrame,
    *,
    seed: int = cat.DEFAULT_SEED,
    anchor: date = cat.ANCHOR,
) -> DemoData:
    """Demo premises, actors and needs over ``communes`` (Lambert-93 frames, sorted by code)."""
    rng = np.random.default_rng(seed)
    places = Places(communes, friches)
    names = dict(zip(communes["code_insee"], communes["nom"], strict=True))
    data = DemoData(locaux=_friche_locaux(friches, names, anchor))
    for i in range(cat.N_LOCAUX - len(data.locaux)):
        data.locaux.append(_local(rng, places, names, i + 1, anchor))
    taken: set[str] = set()
    for i in range(cat.N_ACTEURS):
        acteur, point = _acteur(rng, places, names, i + 1, taken)
        data.acteurs.append(acteur)
        data.besoins.extend(_besoins(rng, places, acteur, point, anchor))
    return data


def _pick(rng: np.random.Generator, weights: Mapping[K, float]) -> K:
    keys = list(weights)
    p = np.array(list(weights.values()), dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def _lognormal(rng: np.random.Generator, spec: tuple[float, float, float, float]) -> float:
    median, sigma, low, high = spec
    return float(np.clip(rng.lognormal(np.log(median), sigma), low, high))


def _friche_locaux(friches: gpd.GeoDataFrame, names: dict[str, str], anchor: date) -> list[Row]:
    """Brownfields confirmed without a project become candidate land premises."""
    rows = []
    compatible = friches[friches["statut"].isin(cat.FRICHE_STATUTS_COMPATIBLES)]
    compatible = compatible.sort_values("site_id")
    for friche, point in zip(compatible.itertuples(), compatible.geometry, strict=True):
        rows.append(
            {
                "ref": f"DEMO-F-{friche.site_id}",
                "nom": _friche_name(friche.nom, friche.site_id, names[friche.commune_insee]),
                "type_local": TypeLocal.TERRAIN,
                "origine": OrigineLocal.FRICHE,
                "friche_id": friche.site_id,
                "surface_m2": round(float(friche.surface_m2 or 1000), 1),
                "disponible_le": anchor,
                "description": f"Friche Cartofriches ({friche.statut}). Ancienne activité : "
                f"{_text(friche.activite) or 'inconnue'}.",
                "geom": point,
            }
        )
    return rows


def _text(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _friche_name(nom: Any, site_id: str, commune: str) -> str:
    """Unnamed Cartofriches sites carry their identifier as a name: say where they are."""
    name = _text(nom)
    return f"Friche – {commune}" if not name or name == site_id else f"Friche {name}"


def _local(
    rng: np.random.Generator, places: Places, names: dict[str, str], n: int, anchor: date
) -> Row:
    kind = _pick(rng, cat.TYPES_LOCAUX)
    if kind is TypeLocal.BUREAU and rng.random() < cat.PART_BUREAUX_QUARTIERS_AFFAIRES:
        code, point = places.office_district(rng)
    else:
        code = places.commune(rng)
        point = places.point_in(rng, code)
    zone = places.market_zone(point)
    quality = _pick(rng, cat.QUALITY_WEIGHTS)
    surface = round(_lognormal(rng, cat.SURFACES[kind]))
    if kind is TypeLocal.BUREAU:
        market = cat.LOYER_BUREAU_PRIME[zone] * cat.QUALITY[quality] * rng.normal(1, 0.05)
    else:
        market = rng.uniform(*cat.LOYERS[kind][zone])
    origine = _pick(rng, cat.ORIGINES)
    solidaire = origine in (OrigineLocal.FONCIERE, OrigineLocal.MANDAT)
    rent = market * (1 - rng.uniform(*cat.DECOTE_SOLIDAIRE)) if solidaire else market
    for_sale = not solidaire and kind is not TypeLocal.TIERS_LIEU and rng.random() < 0.15
    disponible = anchor + timedelta(days=int(rng.integers(-120, 270)))
    divisible = surface >= 200 and rng.random() < 0.3
    temporary = rng.random() < 0.1
    return {
        "ref": f"DEMO-L-{n:04d}",
        "nom": f"{cat.LIBELLES_TYPES[kind]} {quality_label(quality, kind)} – {names[code]}",
        "type_local": kind,
        "origine": origine,
        "statut": _pick(rng, cat.STATUTS_LOCAUX),
        "surface_m2": float(surface),
        "divisible": divisible,
        "surface_lot_min_m2": float(round(surface * rng.uniform(0.2, 0.5))) if divisible else None,
        "partageable": kind is TypeLocal.TIERS_LIEU or rng.random() < 0.1,
        "loyer_marche_m2_an": round(float(market), 1),
        "loyer_m2_an": None if for_sale else round(float(rent), 1),
        "prix_vente_m2": round(float(market) / rng.uniform(0.065, 0.085), -1) if for_sale else None,
        "charges_m2_an": round(float(rng.uniform(*cat.CHARGES[kind])), 1),
        "disponible_le": disponible,
        "disponible_jusqu_au": disponible + timedelta(days=int(rng.integers(180, 1100)))
        if temporary
        else None,
        **_features(rng, kind, quality, zone),  # drawn after the rest: the seed keeps its data
        "geom": point,
    }


def _features(rng: np.random.Generator, kind: TypeLocal, quality: str, zone: str) -> Row:
    """Access, parking, ERP category and energy class, likelier where they usually are."""
    return {
        "acces_pmr": rng.random() < (0.85 if quality == "neuf" else 0.45),
        "rez_de_chaussee": rng.random() < (0.3 if kind is TypeLocal.BUREAU else 0.85),
        "acces_livraison": rng.random()
        < (0.8 if kind in (TypeLocal.ACTIVITE, TypeLocal.STOCKAGE) else 0.25),
        "stationnement": rng.random() < (0.25 if zone == "centre" else 0.6),
        "categorie_erp": ("5" if rng.random() < 0.8 else "4")
        if kind in (TypeLocal.COMMERCE, TypeLocal.TIERS_LIEU)
        else None,
        "classe_energie": ClasseEnergie(str(rng.choice(list(cat.ENERGIE[quality]))))
        if kind is not TypeLocal.TERRAIN
        else None,
    }


def quality_label(quality: str, kind: TypeLocal) -> str:
    """The adjective agreeing in gender and number with the type's name."""
    return cat.QUALITES[quality][cat.ACCORD_TYPES.get(kind, "ms")]


def _acteur(
    rng: np.random.Generator,
    places: Places,
    names: dict[str, str],
    n: int,
    taken: set[str],
) -> tuple[Row, Point]:
    filiere = _pick(rng, cat.FILIERES)
    stade = _pick(rng, cat.STADES)
    forme = _pick(rng, cat.FORMES)
    code = places.commune(rng)
    point = places.point_in(rng, code)
    median, sigma = cat.EFFECTIFS[stade]
    effectif = max(1, round(float(rng.lognormal(np.log(median), sigma))))
    growth = rng.uniform(0.5, 1.5) if stade is Stade.EMERGENCE else rng.uniform(0.1, 0.6)
    siren = luhn_complete(str(int(rng.integers(30_000_000, 99_999_999))))
    prenom, nom = str(rng.choice(cat.PRENOMS)), str(rng.choice(cat.NOMS_FAMILLE))
    raison = _unique_name(rng, filiere, names[code], taken)
    return {
        "ref": f"DEMO-A-{n:04d}",
        "nom": raison,
        "siren": siren,
        "siret": luhn_complete(siren + f"{int(rng.integers(1, 99)):04d}"),
        "forme_juridique": forme,
        "agrement_esus": rng.random() < cat.PART_ESUS.get(forme, 0.1),
        "filiere": filiere,
        "stade": stade,
        "effectif": effectif,
        "emplois_prevus": max(1, round(effectif * growth)),
        "contact_nom": f"{prenom} {nom}",
        "contact_email": f"{_ascii(prenom)}.{_ascii(nom)}@example.org",
        "contact_telephone": "05 56 "
        + " ".join(f"{int(rng.integers(0, 100)):02d}" for _ in range(3)),
        "geom": point,
        "_commune": code,
    }, point


def _unique_name(rng: np.random.Generator, filiere: str, commune: str, taken: set[str]) -> str:
    for _ in range(10):
        name = f"{rng.choice(cat.NOMS_PAR_FILIERE[filiere])} {rng.choice(cat.SUFFIXES)}"
        if name not in taken:
            break
    else:
        name = f"{name} ({commune}, {len(taken)})"
    taken.add(name)
    return name


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _besoins(
    rng: np.random.Generator, places: Places, acteur: Row, point: Point, anchor: date
) -> list[Row]:
    count = int(rng.choice([0, 1, 2], p=[0.05, 0.85, 0.10]))
    return [_besoin(rng, places, acteur, point, anchor, k + 1) for k in range(count)]


def _besoin(
    rng: np.random.Generator, places: Places, acteur: Row, point: Point, anchor: date, k: int
) -> Row:
    kinds, per_person = cat.TYPES_PAR_FILIERE[acteur["filiere"]]
    types = [kinds[0], *(t for t in kinds[1:] if rng.random() < 0.5)]
    people = acteur["effectif"] + acteur["emplois_prevus"]
    surface_min = max(10, round(people * per_person * rng.uniform(0.7, 1.0)))
    surface_max = round(surface_min * rng.uniform(1.2, 2.0))
    stade = acteur["stade"]
    earliest = anchor + timedelta(days=int(rng.integers(0, 270)))
    row: Row = {
        "ref": f"{acteur['ref'].replace('-A-', '-B-')}-{k}",
        "acteur_ref": acteur["ref"],
        "intitule": (
            f"{cat.LIBELLES_TYPES[types[0]]} de {grouped(surface_min)} à {grouped(surface_max)} m²"
        ),
        "statut": _pick(
            rng,
            {
                StatutBesoin.OUVERT: 0.85,
                StatutBesoin.EN_PROPOSITION: 0.08,
                StatutBesoin.SATISFAIT: 0.05,
                StatutBesoin.ABANDONNE: 0.02,
            },
        ),
        "types_acceptes": [t.value for t in types],
        "surface_min_m2": float(surface_min),
        "surface_max_m2": float(surface_max),
        "budget_loyer_m2_an": None
        if rng.random() < 0.1
        else round(float(rng.uniform(*cat.BUDGETS[types[0]])), 0),
        "emmenagement_au_plus_tot": earliest,
        "emmenagement_au_plus_tard": None
        if rng.random() < 0.2
        else earliest + timedelta(days=int(rng.integers(90, 365))),
        "partage_accepte": rng.random() < (0.55 if stade is Stade.EMERGENCE else 0.35),
        "emplois_accueillis": people,
        **_modes(rng, stade),
        **_zone(rng, places, acteur["_commune"], point),
        **_criteres(rng, types),
    }
    return row


def _modes(rng: np.random.Generator, stade: Stade) -> Row:
    modes = [ModeOccupation.LOCATION.value]
    if rng.random() < (0.45 if stade is Stade.EMERGENCE else 0.2):
        modes.append(ModeOccupation.OCCUPATION_TEMPORAIRE.value)
    buys = stade is not Stade.EMERGENCE and rng.random() < 0.08
    if buys:
        modes.append(ModeOccupation.ACHAT.value)
    return {
        "modes_occupation": modes,
        "budget_achat_m2": round(float(rng.uniform(1200, 2800)), -1) if buys else None,
    }


def _zone(rng: np.random.Generator, places: Places, code: str, point: Point) -> Row:
    """Wished zone as communes (half), a point and a distance, or a drawn area."""
    draw = rng.random()
    if draw < 0.5:
        near = places.neighbours(code)
        extra = (
            [
                str(c)
                for c in rng.choice(
                    near, size=min(len(near), int(rng.integers(0, 3))), replace=False
                )
            ]
            if near
            else []
        )
        return {"communes_souhaitees": [code, *extra], "geom": point}
    if draw < 0.8:
        return {"distance_max_m": float(rng.choice([2000, 3000, 5000, 8000])), "geom": point}
    zone = places.drawn_zone(rng, point)
    return {"zone_souhaitee": zone, "geom": zone.representative_point()}


def _criteres(rng: np.random.Generator, types: list[TypeLocal]) -> Row:
    must: list[str] = []
    if TypeLocal.ACTIVITE in types and rng.random() < 0.4:
        must.append(Equipement.ACCES_LIVRAISON.value)
    if rng.random() < 0.2:
        must.append(Equipement.ACCES_PMR.value)
    if rng.random() < 0.1:
        must.append(Equipement.REZ_DE_CHAUSSEE.value)
    others = [e.value for e in Equipement if e.value not in must]
    nice = [str(e) for e in rng.choice(others, size=int(rng.integers(0, 3)), replace=False)]
    return {"criteres_obligatoires": must, "criteres_souhaites": sorted(nice)}
