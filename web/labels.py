"""French labels of fields and values, for lists, detail pages and forms."""

from __future__ import annotations

from typing import Any

from foncier.vocabulary import VALUE_LABELS as VALUES

FIELDS = {
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
}


def field_label(name: str) -> str:
    return FIELDS.get(name, name.replace("_", " "))


# What a form's box says more than the field's name.
FORM_LABELS = {"ref": "Référence (vide : attribuée automatiquement)"}


def form_label(name: str) -> str:
    return FORM_LABELS.get(name, field_label(name))


def value_label(value: Any, lookup: dict[str, str] | None = None) -> str:
    """A value as a French reader expects it: oui/non, 1 234,5, lists joined; ``lookup``
    names the codes of a list kept in the database (sectors, legal forms, communes)."""
    if lookup and isinstance(value, str) and value in lookup:
        return lookup[value]
    if isinstance(value, list) and lookup:
        return ", ".join(value_label(v, lookup) for v in value) or "—"
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text.replace(",", "\u202f").replace(".", ",")
    if isinstance(value, list):
        return ", ".join(value_label(v) for v in value) or "—"
    if hasattr(value, "geom_type"):
        return f"{value.y:.5f}, {value.x:.5f}" if value.geom_type == "Point" else value.geom_type
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value)
    return VALUES.get(str(value), str(value))
