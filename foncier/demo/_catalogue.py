"""Proportions and price calibration of the demo dataset.

Rents in €/m²/year excluding VAT and charges. Office prime rents for 2023 as published for the
Bordeaux market: about 310 for new space in central Bordeaux, 230 at Euratlantique, 170 in the
periphery; activity and craft premises 50–155. Older stock lets below prime (QUALITY). The
Foncière's own and managed premises let at a solidarity rent 30–70 % below market.
"""

from __future__ import annotations

from datetime import date

from foncier.vocabulary import DEMO_SOURCE, FormeJuridique, OrigineLocal, Stade, TypeLocal

SOURCE = DEMO_SOURCE  # every demo record carries it: `foncier demo clear` deletes these only
DEFAULT_SEED = 33
ANCHOR = date(2026, 9, 1)  # dates are drawn around a fixed day so that the demo is reproducible
N_LOCAUX = 300
N_ACTEURS = 200

# Only a site confirmed without a project is free for an ESS project.
FRICHE_STATUTS_COMPATIBLES = ("friche sans projet",)

# Premises kinds among generated (non-brownfield) premises.
TYPES_LOCAUX: dict[TypeLocal, float] = {
    TypeLocal.BUREAU: 0.40,
    TypeLocal.ACTIVITE: 0.27,
    TypeLocal.COMMERCE: 0.12,
    TypeLocal.STOCKAGE: 0.08,
    TypeLocal.TIERS_LIEU: 0.08,
    TypeLocal.TERRAIN: 0.05,
}

# Median floor area (m²) and log-normal spread, by kind.
SURFACES: dict[TypeLocal, tuple[float, float, float, float]] = {
    # median, sigma, min, max
    TypeLocal.BUREAU: (110, 0.8, 15, 1500),
    TypeLocal.ACTIVITE: (260, 0.8, 40, 3000),
    TypeLocal.COMMERCE: (85, 0.6, 20, 600),
    TypeLocal.STOCKAGE: (220, 0.7, 30, 2000),
    TypeLocal.TIERS_LIEU: (700, 0.6, 150, 4000),
    TypeLocal.TERRAIN: (2500, 0.9, 300, 30000),
}

# Office prime rent by market zone; other kinds: (low, high) by zone.
LOYER_BUREAU_PRIME = {"centre": 310.0, "euratlantique": 230.0, "peripherie": 170.0}
LOYERS: dict[TypeLocal, dict[str, tuple[float, float]]] = {
    TypeLocal.ACTIVITE: {"centre": (100, 155), "euratlantique": (90, 140), "peripherie": (50, 100)},
    TypeLocal.COMMERCE: {
        "centre": (180, 380),
        "euratlantique": (150, 280),
        "peripherie": (90, 180),
    },
    TypeLocal.STOCKAGE: {"centre": (60, 95), "euratlantique": (55, 85), "peripherie": (35, 65)},
    TypeLocal.TIERS_LIEU: {
        "centre": (120, 200),
        "euratlantique": (110, 180),
        "peripherie": (70, 130),
    },
    TypeLocal.TERRAIN: {"centre": (8, 20), "euratlantique": (8, 18), "peripherie": (3, 10)},
}
QUALITY = {"neuf": 1.0, "recent": 0.82, "ancien": 0.65}
QUALITY_WEIGHTS = {"neuf": 0.2, "recent": 0.35, "ancien": 0.45}
CHARGES: dict[TypeLocal, tuple[float, float]] = {
    TypeLocal.BUREAU: (25, 45),
    TypeLocal.ACTIVITE: (8, 20),
    TypeLocal.COMMERCE: (15, 35),
    TypeLocal.STOCKAGE: (5, 12),
    TypeLocal.TIERS_LIEU: (20, 40),
    TypeLocal.TERRAIN: (0, 2),
}
DECOTE_SOLIDAIRE = (0.30, 0.70)
ENERGIE = {"neuf": "ABC", "recent": "BCD", "ancien": "CDEFG"}  # energy classes by age
# What ESS actors can pay (€/m²/year), by the first kind of premises they look for.
BUDGETS: dict[TypeLocal, tuple[float, float]] = {
    TypeLocal.BUREAU: (90, 220),
    TypeLocal.ACTIVITE: (40, 110),
    TypeLocal.COMMERCE: (80, 200),
    TypeLocal.STOCKAGE: (30, 70),
    TypeLocal.TIERS_LIEU: (60, 150),
    TypeLocal.TERRAIN: (2, 12),
}


ORIGINES: dict[OrigineLocal, float] = {
    OrigineLocal.FONCIERE: 0.25,
    OrigineLocal.MANDAT: 0.35,
    OrigineLocal.PARTENAIRE: 0.32,
    OrigineLocal.OPERATION: 0.08,
}
STATUTS_LOCAUX = {"disponible": 0.75, "sous_option": 0.08, "reserve": 0.07, "occupe": 0.10}

# Centre of the market zones (WGS84): Place de la Comédie; Gare Saint-Jean for Euratlantique.
CENTRE_BORDEAUX = (-0.5755, 44.8427)
CENTRE_EURATLANTIQUE = (-0.5560, 44.8260)
RAYON_CENTRE_M = 2500
RAYON_EURATLANTIQUE_M = 1500
PART_BUREAUX_QUARTIERS_AFFAIRES = 0.35  # offices cluster in central Bordeaux and Euratlantique

FORMES: dict[FormeJuridique, float] = {
    FormeJuridique.ASSOCIATION: 0.55,
    FormeJuridique.SCOP: 0.12,
    FormeJuridique.SCIC: 0.10,
    FormeJuridique.SOCIETE_ESUS: 0.10,
    FormeJuridique.COOPERATIVE: 0.05,
    FormeJuridique.FONDATION: 0.04,
    FormeJuridique.MUTUELLE: 0.04,
}
PART_ESUS = {
    FormeJuridique.SOCIETE_ESUS: 1.0,  # a commercial company is in the ESS through ESUS
    FormeJuridique.SCOP: 0.4,
    FormeJuridique.SCIC: 0.6,
}
STADES: dict[Stade, float] = {
    Stade.EMERGENCE: 0.35,
    Stade.DEVELOPPEMENT: 0.45,
    Stade.CHANGEMENT_ECHELLE: 0.20,
}
EFFECTIFS: dict[Stade, tuple[float, float]] = {  # median headcount, log-normal sigma
    Stade.EMERGENCE: (2, 0.6),
    Stade.DEVELOPPEMENT: (9, 0.6),
    Stade.CHANGEMENT_ECHELLE: (35, 0.6),
}
FILIERES: dict[str, float] = {
    "reemploi": 0.14,
    "alimentation": 0.13,
    "mobilite": 0.07,
    "insertion": 0.14,
    "batiment": 0.06,
    "culture": 0.13,
    "numerique": 0.07,
    "services_personne": 0.12,
    "education": 0.10,
    "tourisme": 0.04,
}

# What each sector looks for, and the floor area per person it needs (m²).
TYPES_PAR_FILIERE: dict[str, tuple[tuple[TypeLocal, ...], float]] = {
    "reemploi": ((TypeLocal.ACTIVITE, TypeLocal.STOCKAGE, TypeLocal.COMMERCE), 45),
    "alimentation": ((TypeLocal.ACTIVITE, TypeLocal.COMMERCE, TypeLocal.TERRAIN), 35),
    "mobilite": ((TypeLocal.ACTIVITE, TypeLocal.COMMERCE), 40),
    "insertion": ((TypeLocal.ACTIVITE, TypeLocal.BUREAU, TypeLocal.STOCKAGE), 30),
    "batiment": ((TypeLocal.ACTIVITE, TypeLocal.STOCKAGE, TypeLocal.BUREAU), 35),
    "culture": ((TypeLocal.TIERS_LIEU, TypeLocal.ACTIVITE, TypeLocal.BUREAU), 25),
    "numerique": ((TypeLocal.BUREAU, TypeLocal.TIERS_LIEU), 12),
    "services_personne": ((TypeLocal.BUREAU, TypeLocal.COMMERCE), 14),
    "education": ((TypeLocal.BUREAU, TypeLocal.TIERS_LIEU), 16),
    "tourisme": ((TypeLocal.BUREAU, TypeLocal.COMMERCE), 14),
}

NOMS_PAR_FILIERE: dict[str, tuple[str, ...]] = {
    "reemploi": ("Ressourcerie", "Recyclerie", "Atelier du réemploi", "Matériauthèque"),
    "alimentation": ("Épicerie solidaire", "Cuisine partagée", "Ferme urbaine", "Panier local"),
    "mobilite": ("Atelier vélo", "Vélo-école", "Mobilités partagées", "Cyclo-logistique"),
    "insertion": ("Chantier d'insertion", "Entreprise d'insertion", "Tremplin emploi"),
    "batiment": ("Coop'bâti", "Éco-rénovation", "Terre et paille", "Habitat solidaire"),
    "culture": ("Compagnie", "Fabrique artistique", "Collectif d'artistes", "Radio associative"),
    "numerique": ("Numérique solidaire", "Coop'code", "Médiation numérique", "Libre accès"),
    "services_personne": ("Aide à domicile", "Maison de santé", "Crèche parentale"),
    "education": ("Éducation populaire", "Atelier savoirs", "Ludothèque", "Centre de formation"),
    "tourisme": ("Tourisme solidaire", "Auberge coopérative", "Balades urbaines"),
}
SUFFIXES = (
    "Garonne",
    "des Chartrons",
    "de la Bastide",
    "Rive droite",
    "du Lac",
    "des Capucins",
    "Saint-Michel",
    "Belcier",
    "des Jalles",
    "des Graves",
    "Bacalan",
    "Saint-Pierre",
    "Caudéran",
    "Bastide-Niel",
    "des Aubiers",
    "Médoc",
    "Entre-deux-Mers",
    "Solidaire",
)
PRENOMS = (
    "Camille",
    "Léa",
    "Manon",
    "Inès",
    "Chloé",
    "Sarah",
    "Julie",
    "Louise",
    "Emma",
    "Jade",
    "Lucas",
    "Hugo",
    "Thomas",
    "Nathan",
    "Karim",
    "Antoine",
    "Mathieu",
    "Youssef",
    "Paul",
    "Théo",
)
NOMS_FAMILLE = (
    "Martin",
    "Bernard",
    "Dubois",
    "Laurent",
    "Lefebvre",
    "Garcia",
    "Roux",
    "Fournier",
    "Lambert",
    "Bonnet",
    "Mercier",
    "Dupuy",
    "Lacoste",
    "Labat",
    "Darrieux",
    "Etcheverry",
    "Haddad",
    "Nguyen",
    "Benali",
    "Castaing",
)
LIBELLES_TYPES = {
    TypeLocal.BUREAU: "Bureaux",
    TypeLocal.ACTIVITE: "Local d'activité",
    TypeLocal.COMMERCE: "Boutique",
    TypeLocal.STOCKAGE: "Entrepôt",
    TypeLocal.TIERS_LIEU: "Tiers-lieu",
    TypeLocal.TERRAIN: "Terrain",
}
# The quality adjective agrees with the type's name: "Boutique ancienne", "Bureaux neufs".
QUALITES = {
    "neuf": {"ms": "neuf", "fs": "neuve", "mp": "neufs"},
    "recent": {"ms": "récent", "fs": "récente", "mp": "récents"},
    "ancien": {"ms": "ancien", "fs": "ancienne", "mp": "anciens"},
}
ACCORD_TYPES = {TypeLocal.BUREAU: "mp", TypeLocal.COMMERCE: "fs"}  # the others: "ms"
