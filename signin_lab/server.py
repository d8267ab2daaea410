"""A moto server on loopback for a classroom: every learner's notebook points SIGNIN_LAB_TARGET at it.

http://docs.getmoto.org/en/latest/docs/server_mode.html
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from signin_lab.errors import SigninLabError


@dataclass
class RunningServer:
    """A started moto server; `url` is what learners set as SIGNIN_LAB_TARGET."""

    host: str
    port: int
    _server: Any

    @property
    def url(self) -> str:
        """http://host:port, what learners set as SIGNIN_LAB_TARGET."""
        return f"http://{self.host}:{self.port}"

    def reset(self) -> None:
        """Drop every resource on the server, between two groups of learners."""
        import urllib.request

        req = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(req, timeout=10):
            pass

    def stop(self) -> None:
        """Stop the server (its resources are gone with it)."""
        self._server.stop()

    def wait(self) -> None:
        """Block until Ctrl-C (KeyboardInterrupt), then stop the server."""
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()


def start(host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Start a moto server in a background thread (port 0: a free one) and return it."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request is noise here
    if not 0 <= port <= 65535:
        raise SigninLabError(f"port {port}: not a TCP port (0-65535)", field="port")
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    try:
        server.start()
    except OSError as exc:
        raise SigninLabError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}", field="port"
        ) from exc
    wsgi = getattr(server, "_server", None)  # moto keeps the werkzeug server here once started
    actual = int(wsgi.server_port) if wsgi is not None else port
    return RunningServer(host, actual, server)
