"""A moto server for a classroom: one server, each learner in their own account on it.

http://docs.getmoto.org/en/latest/docs/server_mode.html
https://docs.getmoto.org/en/latest/docs/multi_account.html (the account per request)
"""

from __future__ import annotations

import json
import os
import socket
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from signin_lab.errors import SigninLabError
from signin_lab.target import ACCOUNT_HEADER

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Learners' account ids: 12 digits from here up, never moto's default 123456789012.
FIRST_LEARNER_ACCOUNT = 100_000_000_001
#: How many learners one server is meant for (each is one account on one moto process).
MAX_LEARNERS = 200
#: How long `start` waits for the server thread to be serving.
START_TIMEOUT_S = 10.0


def url_for(host: str, port: int) -> str:
    """http://host:port, with an IPv6 address in brackets (RFC 3986 section 3.2.2)."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


@dataclass(frozen=True)
class Learner:
    """One learner of a classroom: a name, an account on the server, and the line to paste."""

    name: str
    account: str
    url: str

    @property
    def env(self) -> str:
        """The one line the learner pastes before opening the notebooks."""
        return f"SIGNIN_LAB_TARGET={self.url} SIGNIN_LAB_ACCOUNT={self.account}"


@dataclass(frozen=True)
class Roster:
    """The learners of one server, each with their own account."""

    url: str
    learners: list[Learner] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """One row per learner: name, account, env (the line to paste)."""
        import pandas as pd

        return pd.DataFrame(
            [(x.name, x.account, x.env) for x in self.learners], columns=["learner", "account", "env"]
        )

    def to_json(self) -> str:
        """The roster as JSON (url and learners)."""
        rows = [{"learner": x.name, "account": x.account, "env": x.env} for x in self.learners]
        return json.dumps({"url": self.url, "header": ACCOUNT_HEADER, "learners": rows}, indent=2)


def roster(url: str, learners: int) -> Roster:
    """`learners` accounts on the server at `url`: learner-01 gets 100000000001, and so on."""
    if isinstance(learners, bool) or not isinstance(learners, int) or not 1 <= learners <= MAX_LEARNERS:
        raise SigninLabError(f"learners {learners!r}: expected 1 to {MAX_LEARNERS}", field="learners")
    width = max(2, len(str(learners)))
    return Roster(
        url,
        [
            Learner(f"learner-{i:0{width}d}", f"{FIRST_LEARNER_ACCOUNT + i - 1:012d}", url)
            for i in range(1, learners + 1)
        ],
    )


@dataclass
class RunningServer:
    """A started moto server; `url` is what learners set as SIGNIN_LAB_TARGET."""

    host: str
    port: int
    _server: Any
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """http://host:port ([host] for IPv6), what learners set as SIGNIN_LAB_TARGET."""
        return url_for(self.host, self.port)

    def roster(self, learners: int) -> Roster:
        """`learners` accounts on this server, each with the line its learner pastes."""
        return roster(self.url, learners)

    def reset(self) -> None:
        """Drop every resource on the server (every account), between two groups of learners."""
        import urllib.request

        req = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(req, timeout=10):
            pass

    def stop(self) -> None:
        """Stop the server (its resources are gone with it)."""
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=START_TIMEOUT_S)

    def wait(self) -> None:
        """Block until Ctrl-C (KeyboardInterrupt), then stop the server."""
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound and listening on host:port, or a one-line SigninLabError naming why not.

    The address family is werkzeug's choice (`select_address_family`: IPv6 when the host has a
    colon), so the server it wraps the socket in agrees with it.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        info = socket.getaddrinfo(host, port, family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise SigninLabError(
            f"cannot listen on {url_for(host, port)}: host not found ({exc.strerror})", field="host"
        ) from None
    try:
        return socket.create_server(info[0][4], family=family, backlog=128)
    except OSError as exc:  # in use, no permission, an address not on this machine
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise SigninLabError(f"cannot listen on {url_for(host, port)}: {reason}", field="port") from None


def start(host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Start a moto server in a background thread (port 0: a free one) and return it.

    The socket is bound here, in the caller's thread, so a port in use or a host that does not
    resolve fails at once with a SigninLabError (moto's ThreadedMotoServer binds in its thread and
    its start() then waits forever); the serving thread's start is awaited for at most 10 s.
    """
    import logging

    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request is noise here
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise SigninLabError(f"port {port!r}: not a TCP port (0-65535)", field="port")
    if not isinstance(host, str) or not host.strip():
        raise SigninLabError(f"host {host!r}: expected an address or a host name", field="host")
    host = host.strip().strip("[]")
    listening = _listen(host, port)
    app = DomainDispatcherApplication(create_backend_app)
    try:
        # werkzeug takes the bound socket (it dups the descriptor): its own bind would print and
        # call sys.exit(1) on a port in use, which no caller can turn into a one-line error.
        server = make_server(
            host, port, app, threaded=True, request_handler=MotoRequestHandler, fd=listening.fileno()
        )
    finally:
        listening.close()
    serving = threading.Event()

    def _serve() -> None:
        serving.set()
        server.serve_forever()

    thread = threading.Thread(target=_serve, name=f"signin-lab-moto-{server.port}", daemon=True)
    thread.start()
    if not serving.wait(START_TIMEOUT_S):  # pragma: no cover - a thread that never runs
        server.server_close()
        raise SigninLabError(
            f"moto server on {url_for(host, port)} did not start within {START_TIMEOUT_S:g} s", field="port"
        )
    return RunningServer(host, int(server.port), server, thread)
