"""Properties of the pure rules: quorum, proxies, tally and the tie rule."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from foncier.committee.rules import (
    Attendance,
    outcome,
    proxy_problems,
    quorum_needed,
    quorum_reached,
    represented,
    tally,
    voters_for,
)
from foncier.committee.vocabulary import Issue, RegleEgalite, Voix


@st.composite
def attendances(draw: st.DrawFn) -> Attendance:
    members = draw(st.frozensets(st.integers(1, 12), min_size=1))
    present = draw(st.frozensets(st.sampled_from(sorted(members))))
    absent = sorted(members - present)
    proxies = {}
    if present and absent:
        givers = draw(st.lists(st.sampled_from(absent), unique=True))
        proxies = {g: draw(st.sampled_from(sorted(present))) for g in givers}
    return Attendance(members, present, proxies)


@given(attendances(), st.floats(0.01, 1.0))
def test_quorum_counts_present_and_represented(attendance: Attendance, fraction: float) -> None:
    counted = len(attendance.present) + len(represented(attendance))
    assert counted <= len(attendance.members)
    assert quorum_reached(attendance, fraction) == (
        counted >= quorum_needed(len(attendance.members), fraction)
    )
    # Everyone present always reaches any quorum.
    assert quorum_reached(Attendance(attendance.members, attendance.members, {}), fraction)


@given(attendances(), st.frozensets(st.integers(1, 12)))
def test_nobody_votes_twice_and_conflicts_never_vote(
    attendance: Attendance, conflicted: frozenset[int]
) -> None:
    ballots = [voters_for(attendance, holder, conflicted) for holder in attendance.present]
    everyone = [voter for voters in ballots for voter in voters]
    assert len(everyone) == len(set(everyone))  # one voice per member at most
    assert not set(everyone) & conflicted
    assert set(everyone) <= attendance.present | represented(attendance)


@given(attendances(), st.integers(0, 3))
def test_proxies_within_the_limit_are_accepted(attendance: Attendance, limit: int) -> None:
    problems = proxy_problems(attendance, limit)
    held = max([list(attendance.proxies.values()).count(h) for h in attendance.present] or [0])
    assert bool(problems) == (held > limit)


@given(st.lists(st.sampled_from(list(Voix))), st.sampled_from(list(RegleEgalite)))
def test_outcome_follows_the_majority_and_the_tie_rule(
    votes: list[Voix], tie: RegleEgalite
) -> None:
    result = tally(votes)
    assert result.favorable + result.defavorable + result.abstention == len(votes)
    decided = outcome(result, tie)
    if result.favorable == result.defavorable:
        assert decided == Issue(tie.value)
    else:
        winner = Issue.FAVORABLE if result.favorable > result.defavorable else Issue.DEFAVORABLE
        assert decided == winner
