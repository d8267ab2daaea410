"""Shared fixtures: an in-process moto lab, a deployed stack, and a moto server on a free port."""

from __future__ import annotations

from collections.abc import Iterator

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
def no_leaked_moto() -> Iterator[None]:
    """Every test must stop the in-process moto it starts; a leak would share state across tests."""
    from moto.core.models import MockAWS

    before = MockAWS._nested_count
    yield
    after = MockAWS._nested_count
    assert before == after, f"a test left {after - before} in-process moto mock(s) running"
