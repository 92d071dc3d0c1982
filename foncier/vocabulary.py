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


# French labels of the coded values, as pages, maps, exports and messages show them; imports
# read them back (with or without accents, any case).
VALUE_LABELS: dict[str, str] = {
    "bureau": "bureaux",
    "activite": "activité / atelier",
    "commerce": "commerce",
    "stockage": "stockage",
    "tiers_lieu": "tiers-lieu",
    "terrain": "terrain",
    "disponible": "disponible",
    "sous_option": "sous option",
    "reserve": "réservé",
    "occupe": "occupé",
    "retire": "retiré",
    "ouvert": "ouvert",
    "en_proposition": "en proposition",
    "satisfait": "satisfait",
    "abandonne": "abandonné",
    "fonciere": "propriété de la foncière",
    "mandat_gestion": "mandat de gestion",
    "partenaire": "offert par un partenaire",
    "operation_amenagement": "opération d'aménagement",
    "friche": "friche",
    "emergence": "émergence",
    "developpement": "développement",
    "changement_echelle": "changement d'échelle",
    "location": "location",
    "achat": "achat",
    "occupation_temporaire": "occupation temporaire",
    "acces_pmr": "accès PMR",
    "rez_de_chaussee": "rez-de-chaussée",
    "acces_livraison": "accès livraison",
    "stationnement": "stationnement",
    "erp": "peut recevoir du public",
    "local": "local seul",
    "site": "site",
    "batiment": "bâtiment",
    "lot": "lot",
    "saisi": "placé à la main",
    "ban": "Base Adresse Nationale",
    "a_confirmer": "à confirmer",
    "a_geocoder": "à géocoder",
}


# French labels of the fields: page and form labels, headers of the CSV and XLSX exports
# (which imports map back exactly).
FIELD_LABELS: dict[str, str] = {
    "ref": "Référence",
    "source": "Source",
    "nom": "Nom",
    "nature": "Nature",
    "parent_id": "Site ou bâtiment parent (n°)",
    "type_local": "Type de local",
    "statut": "Statut",
    "origine": "Origine",
    "adresse": "Adresse",
    "surface_m2": "Surface (m²)",
    "divisible": "Divisible en lots",
    "surface_lot_min_m2": "Surface minimale d'un lot (m²)",
    "partageable": "Partageable (tiers-lieu)",
    "loyer_m2_an": "Loyer (€/m²/an HT HC)",
    "loyer_marche_m2_an": "Loyer de marché (€/m²/an)",
    "prix_vente_m2": "Prix de vente (€/m² HT)",
    "charges_m2_an": "Charges (€/m²/an)",
    "disponible_le": "Disponible le",
    "disponible_jusqu_au": "Disponible jusqu'au (occupation temporaire)",
    "acces_pmr": "Accès PMR",
    "rez_de_chaussee": "Rez-de-chaussée",
    "acces_livraison": "Accès livraison",
    "stationnement": "Stationnement",
    "categorie_erp": "Catégorie ERP",
    "classe_energie": "Classe énergie",
    "friche_id": "Friche (Cartofriches)",
    "description": "Description",
    "siren": "SIREN",
    "siret": "SIRET",
    "forme_juridique": "Forme juridique",
    "agrement_esus": "Agrément ESUS",
    "filiere": "Filière",
    "stade": "Stade",
    "effectif": "Effectif",
    "emplois_prevus": "Emplois prévus",
    "contact_nom": "Contact",
    "contact_email": "Courriel du contact",
    "contact_telephone": "Téléphone du contact",
    "archive": "Archivé",
    "acteur_id": "Acteur (n°)",
    "intitule": "Intitulé",
    "types_acceptes": "Types de locaux acceptés",
    "modes_occupation": "Modes d'occupation",
    "surface_min_m2": "Surface minimale (m²)",
    "surface_max_m2": "Surface maximale (m²)",
    "budget_loyer_m2_an": "Budget loyer (€/m²/an HT HC)",
    "budget_achat_m2": "Budget achat (€/m²)",
    "communes_souhaitees": "Communes souhaitées",
    "zone_souhaitee": "Zone dessinée",
    "distance_max_m": "Distance maximale (m)",
    "emmenagement_au_plus_tot": "Emménagement au plus tôt",
    "emmenagement_au_plus_tard": "Emménagement au plus tard",
    "criteres_obligatoires": "Critères obligatoires",
    "criteres_souhaites": "Critères souhaités",
    "partage_accepte": "Accepte de partager",
    "emplois_accueillis": "Emplois accueillis",
    "geometry": "Position",
    "commune_insee": "Commune",
    "en_qpv": "En QPV",
    "code_qp": "QPV",
    "geocodage": "Géocodage",
    "geocodage_label": "Adresse trouvée",
    "geocodage_score": "Score du géocodage",
    "hors_metropole_confirme": "Hors Métropole confirmé",
    "version": "Version",
    "created_at": "Créé le",
    "updated_at": "Modifié le",
    "id": "Identifiant",
    "lon": "Longitude",
    "lat": "Latitude",
    "zone_souhaitee_wkt": "Zone souhaitée (WKT)",
    "acteur_ref": "Référence de l'acteur",
}

# Headers of the exported columns no import reads (the database computes or keeps them), named
# so that no spreadsheet header means them by chance: the import reads them as nothing.
EXPORT_ONLY_HEADERS: dict[str, str] = {
    "id": "Identifiant interne",
    "version": "Version de la fiche",
    "created_at": "Fiche créée le",
    "updated_at": "Fiche modifiée le",
    "commune_insee": "Commune (code INSEE, calculé)",
    "code_qp": "QPV (code, calculé)",
    "en_qpv": "En QPV (calculé)",
    "geocodage": "Géocodage (méthode)",
    "geocodage_label": "Géocodage (adresse trouvée)",
    "geocodage_score": "Géocodage (score)",
    "nature": "Nature (site, bâtiment, lot)",
}
