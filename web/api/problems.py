"""Problem details (RFC 9457) for every API error, each with a documented ``type``."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

PROBLEM = "application/problem+json"
TYPES_PATH = "/api/v1/problems"

# Every problem type the API answers with: slug → (status, title, what it means).
TYPES: dict[str, tuple[int, str, str]] = {
    "requete-invalide": (400, "Requête invalide", "La requête est mal formée."),
    "non-authentifie": (401, "Authentification requise", "Connectez-vous ou donnez un jeton."),
    "interdit": (403, "Accès refusé", "Votre rôle ne permet pas cette action."),
    "introuvable": (404, "Introuvable", "Aucune fiche ou ressource à cette adresse."),
    "methode-non-permise": (405, "Méthode non permise", "Cette adresse refuse cette méthode."),
    "conflit": (
        409,
        "Conflit",
        "La fiche a changé depuis sa lecture (version), ou sa référence est déjà prise.",
    ),
    "trop-volumineux": (
        413,
        "Donnée trop volumineuse",
        "Le corps de la requête, un fichier ou un document dépasse une borne (taille, lignes,"
        " sommets, alias YAML) : le message la nomme.",
    ),
    "format-non-pris-en-charge": (415, "Format non pris en charge", "Ce format est refusé."),
    "donnee-invalide": (
        422,
        "Donnée invalide",
        "Une valeur n'est pas permise ; `errors` nomme chaque champ, la valeur et la règle.",
    ),
    "trop-de-requetes": (
        429,
        "Trop de requêtes",
        "Connexions échouées, passages d'appariement ou dépôts au-delà de la limite du compte"
        " (ou de l'adresse) : attendez le délai de l'en-tête Retry-After ; rien n'a été"
        " enregistré.",
    ),
    "erreur-interne": (500, "Erreur interne", "Une panne : elle est consignée au journal."),
    "service-indisponible": (503, "Service indisponible", "Réessayez dans un moment."),
}
SLUG_OF_STATUS = {status: slug for slug, (status, _, _) in TYPES.items()}


def problem_type(slug: str) -> str:
    """The ``type`` URI of a problem: its entry in the list of problem types."""
    return f"{TYPES_PATH}#{slug}"


class ProblemSchema(ma.Schema):
    type = ma.fields.String(metadata={"description": f"{TYPES_PATH}#<type>"})
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String(metadata={"description": "Message en français"})
    errors = ma.fields.Dict(metadata={"description": "Messages par champ"})


class ProblemTypeSchema(ma.Schema):
    type = ma.fields.String()
    status = ma.fields.Integer()
    title = ma.fields.String()
    description = ma.fields.String()


def problem(
    status: int,
    title: str,
    detail: str,
    errors: dict[str, Any] | None = None,
    slug: str | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": problem_type(slug or SLUG_OF_STATUS.get(status, "erreur-interne")),
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM
    return response


blp = Blueprint(
    "problemes", __name__, url_prefix=TYPES_PATH, description="Les types de problème de l'API."
)


@blp.route("")
class ProblemTypes(MethodView):
    @blp.response(200, ProblemTypeSchema(many=True))
    def get(self) -> Any:
        return [
            {"type": problem_type(slug), "status": status, "title": title, "description": text}
            for slug, (status, title, text) in TYPES.items()
        ]
