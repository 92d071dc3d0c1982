"""Pure rules of a session: who counts for the quorum, who may vote for whom, the tally and
the outcome. No database here: plain values in, plain values out."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from foncier.committee.vocabulary import Issue, RegleEgalite, Voix


@dataclass(frozen=True)
class Attendance:
    """Who is convened, who is present, and for each absent member who holds their proxy."""

    members: frozenset[int]
    present: frozenset[int]
    proxies: Mapping[int, int]  # absent member -> present member holding the proxy


def represented(attendance: Attendance) -> frozenset[int]:
    """Absent members whose proxy is held by a present member."""
    return frozenset(
        giver
        for giver, holder in attendance.proxies.items()
        if giver in attendance.members
        and giver not in attendance.present
        and holder in attendance.present
    )


def quorum_needed(members: int, fraction: float) -> int:
    """The smallest count of members present or represented that reaches ``fraction``."""
    return max(1, math.ceil(members * fraction - 1e-9))


def quorum_reached(attendance: Attendance, fraction: float) -> bool:
    counted = len(attendance.present & attendance.members) + len(represented(attendance))
    return counted >= quorum_needed(len(attendance.members), fraction)


def proxy_problems(
    attendance: Attendance, max_per_holder: int, name: Callable[[int], str] = str
) -> list[str]:
    """Every reason the proxies are not allowed (empty: they are), in French, each member
    shown by ``name``."""
    problems: list[str] = []
    held = Counter(attendance.proxies.values())
    for giver, holder in attendance.proxies.items():
        if giver in attendance.present:
            problems.append(f"{name(giver)} est présent : il ne donne pas de pouvoir.")
        if holder not in attendance.present:
            problems.append(f"{name(holder)} n'est pas présent : il ne peut porter de pouvoir.")
        if giver == holder:
            problems.append(f"{name(giver)} ne peut se donner pouvoir à lui-même.")
    for holder, count in sorted(held.items()):
        if count > max_per_holder:
            problems.append(f"{name(holder)} porte {count} pouvoirs ; au plus {max_per_holder}.")
    return problems


def voters_for(attendance: Attendance, holder: int, conflicted: frozenset[int]) -> frozenset[int]:
    """Whose votes ``holder`` may cast on an item: their own and those of the members whose
    proxy they hold, except where the holder or the giver has a conflict of interest."""
    if holder not in attendance.present or holder in conflicted:
        return frozenset()
    givers = {g for g, h in attendance.proxies.items() if h == holder} & represented(attendance)
    return frozenset({holder, *givers}) - conflicted


@dataclass(frozen=True)
class Tally:
    favorable: int = 0
    defavorable: int = 0
    abstention: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "favorable": self.favorable,
            "defavorable": self.defavorable,
            "abstention": self.abstention,
        }


def tally(votes: Iterable[Voix | str]) -> Tally:
    counts = Counter(Voix(v) for v in votes)
    return Tally(counts[Voix.FAVORABLE], counts[Voix.DEFAVORABLE], counts[Voix.ABSTENTION])


def outcome(result: Tally, tie: RegleEgalite) -> Issue:
    """Majority of the votes cast for or against; abstentions count for neither. A tie
    (nobody voting for or against included) follows the session's rule."""
    if result.favorable > result.defavorable:
        return Issue.FAVORABLE
    if result.defavorable > result.favorable:
        return Issue.DEFAVORABLE
    return Issue(tie.value)
