"""Authentication and authorisation: sign-in, tokens, the matrix and its one hook, headers."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from foncier.accounts.rules import SESSION_HOURS
from web import ratelimits
from web.auth import admin, guard, headers, identity, views
from web.auth.matrix import permits

# Applied by create_app before the environment and the caller's config, which may override.
SESSION_DEFAULTS = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "foncier_session",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=SESSION_HOURS),
    # Rate limits per account, counted in PostgreSQL so that every worker process shares them.
    **ratelimits.settings(),
}


def init_app(app: Flask) -> None:
    """Before the pages: the matrix is checked before CSRF, so an anonymous caller is sent
    to sign in rather than told about a form token."""
    proxies = int(app.config.get("PROXIES") or 0)
    if proxies:  # behind N reverse proxies: the caller's address and scheme are in X-Forwarded-*
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    identity.login_manager.init_app(app)
    identity.login_manager.session_protection = "basic"
    ratelimits.init_app(app)
    from web.pages import csrf

    app.before_request(lambda: guard.enforce(csrf))
    app.after_request(guard.audit_personal_reads)
    app.after_request(headers.add_headers)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.jinja_env.globals.update(csp_nonce=headers.csp_nonce, may=_may)


def _may(endpoint: str, method: str = "GET") -> bool:
    """Whether the caller may open a link: the menus show only what the matrix allows."""
    found = guard.current_identity()
    return permits(found.roles if found else None, endpoint, method)
