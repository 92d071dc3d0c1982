"""A new user's walkthrough of the demo, each role in turn: what a page offers is allowed,
values read as French, tables scroll in their own box on a phone (issue 10's walkthrough)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import Engine

from foncier.accounts.roles import Role
from foncier.committee.demo import load_demo_committee
from foncier.db import make_sessionmaker


@pytest.fixture(scope="module")
def loaded(engine: Engine) -> Engine:
    """The demo as `make demo` leaves it: with its committee sessions and decisions."""
    with make_sessionmaker(engine)() as session:
        assert load_demo_committee(session, "tests")
        session.commit()
    return engine


def test_decision_tallies_say_what_they_count(app: Flask) -> None:
    page = app.test_client(role=Role.AGENT).get("/decisions/").get_data(as_text=True)
    assert "DEMO-0" in page
    assert not re.search(r"\d+ / \d+ / \d+", page)
    assert re.search(r"favorable \d+, défavorable \d+, abstention \d+", page)
