"""`signin-lab serve`: a moto server for a classroom; learners point SIGNIN_LAB_TARGET at it."""

from __future__ import annotations

import click

from signin_lab.cli.common import app


@app.command()
@click.option("--port", type=int, default=5000, show_default=True, help="Port (0: a free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
def serve(port: int, host: str) -> None:
    """Start a moto server for a classroom; learners set SIGNIN_LAB_TARGET to its URL."""
    from signin_lab.server import start

    running = start(host, port)
    click.echo(f"signin-lab: moto server listening on {running.url}")
    click.echo(f"  learners: export SIGNIN_LAB_TARGET={running.url}   (then open the notebooks)")
    click.echo(f"  reset between groups: curl -X POST {running.url}/moto-api/reset")
    click.echo("  stop: Ctrl-C")
    running.wait()
