"""Throwaway PostGIS databases on the test server: created, copied and dropped here.

The seeded database (migrated, reference layers and demo loaded) is built once per session and
only ever copied: PostgreSQL copies a database with ``CREATE DATABASE … TEMPLATE`` in a moment,
where loading the data again takes seconds, but only while no one is connected to it.
"""

from __future__ import annotations

import os
import secrets

import psycopg
from psycopg import sql
from sqlalchemy import make_url

from foncier import config
from foncier.db import make_engine, make_sessionmaker, migrate, unit_of_work


def admin_conninfo(url: str, database: str) -> str:
    parsed = make_url(url).set(drivername="postgresql", database=database)
    return parsed.render_as_string(hide_password=False)


def create_database(server_url: str, prefix: str = "foncier_test", template: str = "") -> str:
    """A new database on the server of ``server_url``, returns its URL: empty with PostGIS, or
    a copy of the database whose URL is ``template`` (no one may be connected to it)."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        source = make_url(template).database or ""
        statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(source))
    with psycopg.connect(admin_conninfo(server_url, "postgres"), autocommit=True) as admin:
        admin.execute(statement)
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    if not template:
        with psycopg.connect(admin_conninfo(url, name), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return url


def drop_database(url: str) -> None:
    name = make_url(url).database or ""
    with psycopg.connect(admin_conninfo(url, "postgres"), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def create_seeded_database(server_url: str) -> str:
    """A migrated database with the reference layers and the demo dataset loaded; every
    connection to it is closed on return, so that it can serve as a template."""
    from foncier.demo import load_demo
    from foncier.reference import load_reference

    url = create_database(server_url, prefix="foncier_seed")
    try:
        migrate.upgrade(url)
        engine = make_engine(url)
        try:
            with unit_of_work(make_sessionmaker(engine), "tests") as session:
                load_reference(session, config.reference_data_dir())
                load_demo(session)
        finally:
            engine.dispose()
    except BaseException:
        drop_database(url)
        raise
    return url
