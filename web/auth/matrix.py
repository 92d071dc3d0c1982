"""The authorisation matrix: for every endpoint, who may read it (GET) and who may write (POST,
PUT, PATCH, DELETE). The one place that says who may do what; `guard` enforces it on every
request, and an endpoint missing here is refused to everyone.

Committee members read the registries and the candidates without personal data, and the
committee pages; the use cases narrow these to the sessions they sit on, where they declare
their conflicts and vote (their own vote and the proxies they hold). The secretary of a
session is an agent (or an administrator): agents propose, prepare sessions, record presence,
proxies and decisions. Planners read the registries without
personal data and run their scenarios. Agents write the registries, imports and matching.
Administrators manage accounts, the audit log and the rights of the persons (RGPD), and read
everything, contacts included.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from foncier.accounts.roles import Role
from foncier.registry import KINDS

PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "connecte"  # any active account, whatever its roles

A, G, C, P = Role.ADMINISTRATEUR, Role.AGENT, Role.COMITE, Role.PLANIFICATEUR
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Rule:
    read: frozenset[str] = frozenset()
    write: frozenset[str] = frozenset()
    # Its answer may hold personal data: a read by a role that sees them is audited.
    personal: bool = False
    export: bool = False

    def allowed(self, method: str) -> frozenset[str]:
        return self.read if method in READ_METHODS else self.write


def rule(
    read: Iterable[str] = (),
    write: Iterable[str] = (),
    *,
    personal: bool = False,
    export: bool = False,
) -> Rule:
    return Rule(frozenset(read), frozenset(write), personal, export)


EVERYONE: frozenset[str] = frozenset({PUBLIC})
ACCOUNTS: frozenset[str] = frozenset({SIGNED_IN})
REGISTRY_READERS: frozenset[str] = frozenset({A, G, C, P})
AGENTS: frozenset[str] = frozenset({G})
ADMINS: frozenset[str] = frozenset({A})
SCENARIO_READERS: frozenset[str] = frozenset({A, G, P})
PLANNERS: frozenset[str] = frozenset({P})
CANDIDATE_READERS: frozenset[str] = frozenset({A, G, C})
COMMITTEE: frozenset[str] = frozenset({A, G, C})
SECRETARIES: frozenset[str] = frozenset({A, G})
MEMBERS: frozenset[str] = frozenset({C})


def _committee() -> dict[str, Rule]:
    secretary = ("create", "agenda", "state", "presence", "decide", "correct")
    return {
        "comite.index": rule(COMMITTEE, SECRETARIES),
        "comite.show": rule(COMMITTEE),
        "comite.dossier": rule(COMMITTEE, export=True),
        "comite.minutes": rule(COMMITTEE),
        "comite.minutes_pdf_view": rule(COMMITTEE, export=True),
        "comite.conflict": rule(write=COMMITTEE),
        "comite.vote": rule(write=MEMBERS),
        **{f"comite.{name}": rule(write=SECRETARIES) for name in secretary},
        "propositions.index": rule(SECRETARIES | MEMBERS, AGENTS),
        "propositions.create": rule(write=AGENTS),
        "propositions.decisions": rule(COMMITTEE),
    }


OBSERVATORY_READERS: frozenset[str] = frozenset({A, G, P})


def _registries() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for kind in KINDS.values():
        personal = kind.name == "actors"
        pages, api = f"pages_{kind.name}", kind.name
        rules |= {
            f"{pages}.index": rule(REGISTRY_READERS),
            f"{pages}.points": rule(REGISTRY_READERS),  # the list's map: no personal field
            f"{pages}.detail": rule(REGISTRY_READERS, personal=personal),
            f"{pages}.export": rule(REGISTRY_READERS, personal=personal, export=True),
            f"{pages}.create": rule(AGENTS, AGENTS),
            f"{pages}.edit": rule(AGENTS, AGENTS, personal=personal),
            f"{pages}.withdraw": rule(AGENTS, AGENTS),  # GET asks to confirm
            f"{api}.Collection": rule(REGISTRY_READERS, AGENTS, personal=personal),
            f"{api}.Item": rule(REGISTRY_READERS, AGENTS, personal=personal),
            f"{api}.History": rule(REGISTRY_READERS, personal=personal),
            f"{api}.Export": rule(REGISTRY_READERS, personal=personal, export=True),
        }
    return rules


MATRIX: dict[str, Rule] = {
    # Assets, the sign-in page and the API's description hold no data.
    "static": rule(EVERYONE),
    "vendor.static": rule(EVERYONE),
    "api-docs.openapi_json": rule(EVERYONE),
    "problemes.ProblemTypes": rule(EVERYONE),
    "auth.login": rule(EVERYONE, EVERYONE),
    "home.about": rule(EVERYONE),
    "home.favicon": rule(EVERYONE),
    # For a process manager or a load balancer: up or not, nothing else.
    "sante.health": rule(EVERYONE),
    # Every account: the home page's map (no personal data), signing out, its own password.
    "home.index": rule(ACCOUNTS),
    "home.communes": rule(ACCOUNTS),  # the communes' outlines drawn on every map
    "home.points": rule(ACCOUNTS),  # the home map's points, loaded apart from the page
    "auth.logout": rule(write=ACCOUNTS),
    "auth.password": rule(ACCOUNTS, ACCOUNTS),
    **_registries(),
    "imports.form": rule(AGENTS),
    "imports.upload": rule(write=AGENTS),
    "imports.run": rule(write=AGENTS),
    "imports.rejects": rule(AGENTS, personal=True, export=True),
    "appariement.need_candidates": rule(CANDIDATE_READERS),
    "appariement.premises_candidates": rule(CANDIDATE_READERS),
    "appariements.NeedCandidates": rule(CANDIDATE_READERS),
    "appariements.PremisesCandidates": rule(CANDIDATE_READERS),
    "appariements.Runs": rule(write=AGENTS),
    "scenarios_pages.index": rule(SCENARIO_READERS),
    "scenarios_pages.show": rule(SCENARIO_READERS),
    "scenarios_pages.compare": rule(SCENARIO_READERS),
    "scenarios_pages.upload": rule(write=PLANNERS),
    "scenarios_pages.from_example": rule(write=PLANNERS),
    "scenarios_pages.edit": rule(write=PLANNERS),
    "scenarios_pages.copy": rule(write=PLANNERS),
    "scenarios_pages.adopt_view": rule(write=PLANNERS),
    "scenarios.Collection": rule(SCENARIO_READERS, PLANNERS),
    "scenarios.Item": rule(SCENARIO_READERS, PLANNERS),
    "scenarios.Result": rule(SCENARIO_READERS),
    "scenarios.Compare": rule(SCENARIO_READERS),
    "scenarios.Compute": rule(write=PLANNERS),
    "scenarios.Sweep": rule(write=PLANNERS),
    "scenarios.Copy": rule(write=PLANNERS),
    "scenarios.Adopt": rule(write=PLANNERS),
    **_committee(),
    # The demand observatory: aggregates and need references, no personal data (issue 15).
    "observatoire.index": rule(OBSERVATORY_READERS),
    "observatoire.priced_out": rule(OBSERVATORY_READERS),
    "observatoire.download": rule(OBSERVATORY_READERS, export=True),
    # Administration.
    "comptes.index": rule(ADMINS, ADMINS),
    "apprentissage.index": rule(ADMINS, ADMINS),
    "comptes.update": rule(write=ADMINS),
    "comptes.journal": rule(ADMINS),
    "comptes.contact_export": rule(ADMINS, personal=True, export=True),
    "comptes.contact_erase": rule(write=ADMINS),
}


def allowed_roles(endpoint: str | None, method: str) -> frozenset[str]:
    """Who may call ``endpoint`` with ``method``; nobody when it has no rule."""
    found = MATRIX.get(endpoint or "")
    return found.allowed(method) if found else frozenset()


def permits(roles: frozenset[Role] | None, endpoint: str | None, method: str = "GET") -> bool:
    allowed = allowed_roles(endpoint, method)
    if PUBLIC in allowed:
        return True
    if roles is None:
        return False
    return SIGNED_IN in allowed or bool(allowed & roles)
