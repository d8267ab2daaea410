"""`signin-lab serve` and signin_lab.server: fail fast on a bad port or host, IPv6 URLs, the roster."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from signin_lab.cli import main
from signin_lab.errors import SigninLabError
from signin_lab.server import RunningServer, start, url_for

pytestmark = pytest.mark.server


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The CLI's exit code, stdout and stderr for `argv`."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A loopback port something else is listening on."""
    with socket.create_server(("127.0.0.1", 0)) as sock:
        yield sock.getsockname()[1]


@pytest.fixture
def no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` returns after printing instead of blocking until Ctrl-C."""
    monkeypatch.setattr(RunningServer, "wait", RunningServer.stop)


def test_start_refuses_a_port_in_use(busy_port: int) -> None:
    """start() on a port in use raises a SigninLabError naming the URL (it does not hang)."""
    with pytest.raises(
        SigninLabError, match=f"^cannot listen on http://127.0.0.1:{busy_port}: Address already in use$"
    ):
        start("127.0.0.1", busy_port)


def test_start_refuses_an_unresolvable_host() -> None:
    """start() on a host that does not resolve raises a SigninLabError on the host field."""
    with pytest.raises(SigninLabError) as info:
        start("no-such-host.invalid", 0)
    assert "host" == info.value.field


def test_serve_on_a_port_in_use_exits_2(busy_port: int, capsys: pytest.CaptureFixture[str]) -> None:
    """serve --port of a busy port: exit 2."""
    code, _, _ = run(["serve", "--port", str(busy_port)], capsys)
    assert 2 == code


def test_serve_on_a_port_in_use_says_so_in_one_line(busy_port: int, capsys: pytest.CaptureFixture[str]) -> None:
    """serve --port of a busy port prints one line naming the option and the reason."""
    _, _, err = run(["serve", "--port", str(busy_port)], capsys)
    assert [f"signin-lab: error: --port: cannot listen on http://127.0.0.1:{busy_port}: Address already in use"] == \
        err.splitlines()


def test_serve_on_an_unresolvable_host_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """serve --host of a name that does not resolve: one line led by --host, exit 2."""
    code, _, err = run(["serve", "--host", "no-such-host.invalid", "--port", "0"], capsys)
    assert (2, 1, True) == (code, len(err.splitlines()), err.startswith("signin-lab: error: --host: cannot listen"))


def test_url_of_an_ipv6_address_has_brackets() -> None:
    """An IPv6 address is written in brackets in the URL (RFC 3986)."""
    assert "http://[::1]:5000" == url_for("::1", 5000)


def test_serve_on_ipv6_loopback_prints_a_bracketed_url(no_wait: None, capsys: pytest.CaptureFixture[str]) -> None:
    """serve --host ::1 prints http://[::1]:port."""
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    code, out, _ = run(["serve", "--host", "::1", "--port", "0"], capsys)
    assert (0, True) == (code, "moto server listening on http://[::1]:" in out)


def test_serve_with_learners_prints_each_learners_line(no_wait: None, capsys: pytest.CaptureFixture[str]) -> None:
    """serve --learners 3 prints three lines, each with the URL and the learner's account."""
    _, out, _ = run(["serve", "--port", "0", "--learners", "3"], capsys)
    lines = [line for line in out.splitlines() if "SIGNIN_LAB_ACCOUNT=" in line]
    assert ["100000000001", "100000000002", "100000000003"] == [line.rsplit("=", 1)[1] for line in lines]


def test_serve_refuses_zero_learners(capsys: pytest.CaptureFixture[str]) -> None:
    """serve --learners 0 is a usage error, exit 2."""
    code, _, _ = run(["serve", "--port", "0", "--learners", "0"], capsys)
    assert 2 == code


def test_credentials_in_a_target_url_are_not_echoed(capsys: pytest.CaptureFixture[str]) -> None:
    """deploy --target with user:password in the URL: the error line does not show the password."""
    code, out, err = run(
        ["deploy", "--target", "http://learner:s3cret@127.0.0.1:9", "--email", "you@example.com"], capsys
    )
    assert (2, False) == (code, "s3cret" in out + err)


def test_an_unreachable_server_is_named_without_credentials() -> None:
    """A server that does not answer is named in the error, with its account, never with keys."""
    from signin_lab import Lab

    with pytest.raises(SigninLabError, match=r"http://127\.0\.0\.1:9 \(account 100000000001\)"):
        Lab.endpoint("http://127.0.0.1:9", account="100000000001").config  # noqa: B018
