"""The `foncier users` and `foncier rgpd` commands."""

from __future__ import annotations

import json
import sys

import click

from foncier.cli import _session, _user, main


@main.group(cls=click.Group)  # plain group: these commands need no app
def users() -> None:
    """Les comptes : création, liste, désactivation, jetons d'API."""


@users.command("add")
@click.argument("email")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    help="administrateur, agent, comite ou planificateur (répétable).",
)
@click.option("--password-stdin", is_flag=True, help="Lit le mot de passe sur l'entrée standard.")
def users_add(email: str, roles: tuple[str, ...], password_stdin: bool) -> None:
    """Crée un compte ; sans --password-stdin, le mot de passe est demandé deux fois."""
    from foncier.accounts.service import add_account

    password = _password(password_stdin)
    with _session() as session:
        account = add_account(session, email, roles, password, _user())
    click.echo(f"Compte créé : {account.email} ({', '.join(account.roles)}).")


@users.command("list")
def users_list() -> None:
    """Liste les comptes, leurs rôles et leurs jetons."""
    from foncier.accounts.service import list_accounts

    with _session() as session:
        for account in list_accounts(session):
            state = "actif" if account.actif else "désactivé"
            click.echo(f"{account.email}\t{','.join(account.roles)}\t{state}")
            for token in account.jetons:
                status = "révoqué" if token.revoque_le else "valide"
                click.echo(f"  jeton {token.nom}\t{','.join(token.roles)}\t{status}")


@users.command("disable")
@click.argument("email")
def users_disable(email: str) -> None:
    """Désactive un compte : ses sessions se ferment, ses jetons sont refusés."""
    from foncier.accounts.service import set_active

    with _session() as session:
        account = set_active(session, email, False, _user())
    click.echo(f"Compte désactivé : {account.email}.")


@users.command("roles")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True, help="Les rôles du compte.")
def users_roles(email: str, roles: tuple[str, ...]) -> None:
    """Remplace les rôles d'un compte (changement inscrit au journal d'audit)."""
    from foncier.accounts.service import set_roles

    with _session() as session:
        account = set_roles(session, email, roles, _user())
    click.echo(f"Rôles de {account.email} : {', '.join(account.roles)}.")


@users.command("password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Lit le mot de passe sur l'entrée standard.")
def users_password(email: str, password_stdin: bool) -> None:
    """Réinitialise le mot de passe d'un compte ; ses sessions ouvertes se ferment."""
    from foncier.accounts.service import set_password

    password = _password(password_stdin)
    with _session() as session:
        account = set_password(session, email, password, _user())
    click.echo(f"Mot de passe de {account.email} réinitialisé.")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Mot de passe", hide_input=True, confirmation_prompt=True))


@users.command("token")
@click.argument("email")
@click.option("--name", help="Nom du jeton (pour le révoquer).")
@click.option("--role", "roles", multiple=True, help="Restreint le jeton à ces rôles du compte.")
def users_token(email: str, name: str | None, roles: tuple[str, ...]) -> None:
    """Crée un jeton d'API ; il n'est affiché qu'une fois."""
    from foncier.accounts.service import issue_token

    with _session() as session:
        row, token = issue_token(session, email, name, _user(), roles)
    click.echo(
        f"Jeton « {row.nom} » ({', '.join(row.roles)}) — conservez-le, il ne sera plus affiché :",
        err=True,
    )
    click.echo(token)


@users.command("revoke")
@click.argument("token_name")
def users_revoke(token_name: str) -> None:
    """Révoque un jeton d'API par son nom."""
    from foncier.accounts.service import revoke_token

    with _session() as session:
        revoke_token(session, token_name, _user())
    click.echo(f"Jeton révoqué : {token_name}.")


@users.command("demo")
def users_demo() -> None:
    """Crée un compte de démonstration par rôle, avec un nouveau mot de passe pour cette base."""
    from foncier.accounts.demo import DEMO_ACCOUNTS, create_demo_accounts

    with _session() as session:
        password = create_demo_accounts(session, _user())
    click.echo("Comptes de démonstration (un par rôle) :")
    for email, role in DEMO_ACCOUNTS.items():
        click.echo(f"  {email}  ({role.value})")
    click.echo(f"Mot de passe, généré pour cette base : {password}")


@main.group(cls=click.Group)
def rgpd() -> None:
    """Droits des personnes sur les contacts des acteurs, et règle de conservation."""


@rgpd.command("export")
@click.argument("actor_id", type=int)
def rgpd_export(actor_id: int) -> None:
    """Droit d'accès : le contact d'un acteur et son usage, en JSON."""
    from foncier.accounts.rgpd import export_contact

    with _session() as session:
        found = export_contact(session, actor_id, _user())
    click.echo(json.dumps(found, ensure_ascii=False, indent=2))


@rgpd.command("effacer")
@click.argument("actor_id", type=int)
def rgpd_erase(actor_id: int) -> None:
    """Droit à l'effacement : retire le contact de l'acteur et de son historique."""
    from foncier.accounts.rgpd import erase_contact

    with _session() as session:
        lines = erase_contact(session, actor_id, _user())
    click.echo(f"Contact de l'acteur {actor_id} effacé ({lines} ligne(s) d'historique).")


@rgpd.command("conservation")
@click.option("--mois", default=None, type=int, help="Durée de conservation (défaut : 36).")
@click.option("--dry-run", is_flag=True, help="Affiche sans effacer.")
def rgpd_retention(mois: int | None, dry_run: bool) -> None:
    """Efface le contact des acteurs dont tous les besoins sont clos depuis plus de 36 mois."""
    from foncier.accounts.rgpd import apply_retention
    from foncier.accounts.rules import RETENTION_MONTHS

    months = mois if mois is not None else RETENTION_MONTHS
    with _session() as session:
        refs = apply_retention(session, _user(), months, dry_run)
    verb = "à effacer" if dry_run else "effacés"
    click.echo(f"{len(refs)} contact(s) {verb} (besoins clos depuis plus de {months} mois).")
    for ref in refs:
        click.echo(f"  {ref}")
