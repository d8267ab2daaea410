"""Shared fixtures: an in-process moto lab, a deployed stack, and a moto server on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from signin_lab import Lab
from signin_lab.server import RunningServer, start

EMAIL = "you@example.com"
SMS = "+447700900123"


@pytest.fixture
def lab() -> Iterator[Lab]:
    """A fresh in-process moto lab in eu-west-1."""
    with Lab.moto(region="eu-west-1") as lab:
        yield lab


@pytest.fixture
def deployed(lab: Lab) -> Lab:
    """The in-process lab with the blog's stack deployed."""
    lab.deploy(email=EMAIL, sms=SMS)
    return lab


@pytest.fixture(scope="session")
def moto_server() -> Iterator[RunningServer]:
    """A moto server on a free loopback port, for the whole test session."""
    server = start("127.0.0.1", 0)
    yield server
    server.stop()


@pytest.fixture
def server_lab(moto_server: RunningServer) -> Iterator[Lab]:
    """A lab on the session's moto server, reset before and after the test."""
    moto_server.reset()
    lab = Lab.endpoint(moto_server.url, region="eu-west-1")
    yield lab
    moto_server.reset()


@pytest.fixture(autouse=True)
def no_leaked_moto(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test must stop the in-process moto it starts; a leak would share state across tests.

    Tracked through moto's public API only: every mock `moto.mock_aws()` makes during the test
    has its `start()` / `stop()` (which `with` and decorators also call) counted.
    """
    import moto

    running: list[object] = []
    real_mock_aws = moto.mock_aws

    def tracked_mock_aws(*args: Any, **kwargs: Any) -> Any:
        made = real_mock_aws(*args, **kwargs)
        if args and callable(args[0]):  # used as a decorator: the wrapped function comes back
            return made
        start, stop = made.start, made.stop

        def tracked_start(*a: Any, **k: Any) -> None:
            start(*a, **k)
            running.append(made)

        def tracked_stop(*a: Any, **k: Any) -> None:
            stop(*a, **k)
            running.remove(made)

        made.start, made.stop = tracked_start, tracked_stop
        return made

    monkeypatch.setattr(moto, "mock_aws", tracked_mock_aws)
    import signin_lab.target as target_module

    if hasattr(target_module, "mock_aws"):  # imported at module level by the kit
        monkeypatch.setattr(target_module, "mock_aws", tracked_mock_aws)
    yield
    assert [] == running, f"a test left {len(running)} in-process moto mock(s) running"
