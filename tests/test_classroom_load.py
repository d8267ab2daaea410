"""The classroom under load: one `signin-lab serve`, thirty learners at once, each in its own account.

Loopback only; the server is a child process started and stopped here. Bounded: 30 learners,
at most 120 s (measured on a 2-core machine: about 37 s; benchmarks/classroom.py prints 10/20/30).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from benchmarks.classroom import classroom, problems, serve

LEARNERS = 30
pytestmark = [pytest.mark.classroom, pytest.mark.server]


@pytest.fixture(scope="module")
def day() -> Iterator[tuple[float, list[Any]]]:
    """Thirty learners' sessions run at once on one serve: (wall seconds, each learner's result)."""
    with serve() as url:
        assert url.startswith("http://127.0.0.1:")
        yield classroom(url, LEARNERS)


def test_every_learner_succeeds(day: tuple[float, list[Any]]) -> None:
    """No learner's deploy, replay, inbox or teardown raised."""
    _, results = day
    assert [] == [repr(r) for r in results if isinstance(r, Exception)]


def test_each_learner_has_its_own_account(day: tuple[float, list[Any]]) -> None:
    """Thirty learners read thirty different account ids."""
    _, results = day
    assert LEARNERS == len({r["account"] for r in results if isinstance(r, dict)})


def test_each_learner_sees_only_its_own_topics(day: tuple[float, list[Any]]) -> None:
    """Each learner's account holds exactly its four topics, all in its account."""
    _, results = day
    assert [[4, 4]] * LEARNERS == [
        [len(r["during"]["topics"]), sum(f":{r['account']}:" in t for t in r["during"]["topics"])]
        for r in results
    ]


def test_each_learner_gets_only_its_own_emails(day: tuple[float, list[Any]]) -> None:
    """Each learner's inbox has the blog's four ALARM emails, all to its own address from its own topics."""
    _, results = day
    assert [4] * LEARNERS == [
        sum(
            1
            for topic, protocol, to in r["inbox"]
            if protocol == "email" and to == r["email"] and f":{r['account']}:" in topic
        )
        for r in results
    ]


def test_nothing_is_left(day: tuple[float, list[Any]]) -> None:
    """After every teardown no learner's account holds anything, and no problem was found."""
    _, results = day
    assert [] == problems(results)


def test_the_classroom_fits_in_two_minutes(day: tuple[float, list[Any]]) -> None:
    """Thirty learners at once finish within 120 s."""
    seconds, _ = day
    assert seconds < 120
