"""Closed lists of the domain, in French as the users speak them (value, label)."""

from __future__ import annotations

from enum import StrEnum

# The source of the demo records: `foncier demo clear` deletes these, so no user may use it.
DEMO_SOURCE = "demo"


class TypeLocal(StrEnum):
    BUREAU = "bureau"
    ACTIVITE = "activite"  # activités / artisanat / atelier
    COMMERCE = "commerce"
    STOCKAGE = "stockage"
    TIERS_LIEU = "tiers_lieu"
    TERRAIN = "terrain"


class StatutLocal(StrEnum):
    DISPONIBLE = "disponible"
    SOUS_OPTION = "sous_option"
    RESERVE = "reserve"
    OCCUPE = "occupe"
    RETIRE = "retire"


class OrigineLocal(StrEnum):
    """Why the AIS can offer it: owned, managed, offered by a partner, or planned."""

    FONCIERE = "fonciere"
    MANDAT = "mandat_gestion"
    PARTENAIRE = "partenaire"
    OPERATION = "operation_amenagement"
    FRICHE = "friche"


class ModeOccupation(StrEnum):
    LOCATION = "location"
    ACHAT = "achat"
    OCCUPATION_TEMPORAIRE = "occupation_temporaire"


class FormeJuridique(StrEnum):
    ASSOCIATION = "association"
    FONDATION = "fondation"
    MUTUELLE = "mutuelle"
    SCOP = "scop"
    SCIC = "scic"
    COOPERATIVE = "autre_cooperative"
    SOCIETE_ESUS = "societe_commerciale_esus"


class Stade(StrEnum):
    EMERGENCE = "emergence"
    DEVELOPPEMENT = "developpement"
    CHANGEMENT_ECHELLE = "changement_echelle"


class StatutBesoin(StrEnum):
    OUVERT = "ouvert"
    EN_PROPOSITION = "en_proposition"
    SATISFAIT = "satisfait"
    ABANDONNE = "abandonne"


# Needs still waiting for premises (a proposal is not yet a decision): what matching serves.
OPEN_NEEDS: tuple[str, ...] = (StatutBesoin.OUVERT.value, StatutBesoin.EN_PROPOSITION.value)


class NatureLocal(StrEnum):
    """A single space, or a site made of buildings made of lots (as premises exchanges do)."""

    LOCAL = "local"
    SITE = "site"
    BATIMENT = "batiment"
    LOT = "lot"


class Geocodage(StrEnum):
    """Where a record's point comes from."""

    SAISI = "saisi"  # typed coordinates or placed on the map by a user
    BAN = "ban"  # Base Adresse Nationale, with a good score
    A_CONFIRMER = "a_confirmer"  # BAN answered with a low score: a user must confirm
    A_GEOCODER = "a_geocoder"  # the geocoder was down: `foncier geocode pending` retries


class ClasseEnergie(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"
    G = "G"


class Equipement(StrEnum):
    """Features a premises has and a need can require (must-have) or wish (nice-to-have)."""

    ACCES_PMR = "acces_pmr"
    REZ_DE_CHAUSSEE = "rez_de_chaussee"
    ACCES_LIVRAISON = "acces_livraison"
    STATIONNEMENT = "stationnement"
    ERP = "erp"  # may receive the public (établissement recevant du public)


FORMES_JURIDIQUES_DEFAUT: tuple[tuple[str, str], ...] = (
    (FormeJuridique.ASSOCIATION, "Association"),
    (FormeJuridique.FONDATION, "Fondation"),
    (FormeJuridique.MUTUELLE, "Mutuelle"),
    (FormeJuridique.SCOP, "SCOP (société coopérative et participative)"),
    (FormeJuridique.SCIC, "SCIC (société coopérative d'intérêt collectif)"),
    (FormeJuridique.COOPERATIVE, "Autre coopérative"),
    (FormeJuridique.SOCIETE_ESUS, "Société commerciale de l'ESS (agrément ESUS)"),
)

# Default sectors (filières); administrators edit them in the `filieres` table. The priority
# flags follow the themes Bordeaux Métropole lists as supported in its ESS policy (réemploi,
# mobilité, alimentation durable / circuits courts, politique de la ville).
FILIERES_DEFAUT: tuple[tuple[str, str, bool], ...] = (
    ("reemploi", "Réemploi et économie circulaire", True),
    ("alimentation", "Alimentation durable et circuits courts", True),
    ("mobilite", "Mobilités durables", True),
    ("insertion", "Insertion par l'activité économique", True),
    ("batiment", "Bâtiment et habitat durable", False),
    ("culture", "Culture et industries créatives", False),
    ("numerique", "Numérique responsable", False),
    ("services_personne", "Services à la personne et santé", False),
    ("education", "Éducation populaire et formation", False),
    ("tourisme", "Tourisme solidaire", False),
)


# Life cycles: the moves a user may make from each status (any status may be withdrawn).
TRANSITIONS_LOCAL: dict[StatutLocal, frozenset[StatutLocal]] = {
    StatutLocal.DISPONIBLE: frozenset({StatutLocal.SOUS_OPTION, StatutLocal.RETIRE}),
    StatutLocal.SOUS_OPTION: frozenset(
        {StatutLocal.RESERVE, StatutLocal.DISPONIBLE, StatutLocal.RETIRE}
    ),
    StatutLocal.RESERVE: frozenset(
        {StatutLocal.OCCUPE, StatutLocal.DISPONIBLE, StatutLocal.RETIRE}
    ),
    StatutLocal.OCCUPE: frozenset({StatutLocal.DISPONIBLE, StatutLocal.RETIRE}),
    StatutLocal.RETIRE: frozenset({StatutLocal.DISPONIBLE}),
}
TRANSITIONS_BESOIN: dict[StatutBesoin, frozenset[StatutBesoin]] = {
    StatutBesoin.OUVERT: frozenset({StatutBesoin.EN_PROPOSITION, StatutBesoin.ABANDONNE}),
    StatutBesoin.EN_PROPOSITION: frozenset(
        {StatutBesoin.SATISFAIT, StatutBesoin.OUVERT, StatutBesoin.ABANDONNE}
    ),
    StatutBesoin.SATISFAIT: frozenset({StatutBesoin.OUVERT}),
    StatutBesoin.ABANDONNE: frozenset({StatutBesoin.OUVERT}),
}
