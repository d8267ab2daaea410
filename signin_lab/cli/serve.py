"""`signin-lab serve`: a moto server for a classroom; learners point SIGNIN_LAB_TARGET at it."""

from __future__ import annotations

import click

from signin_lab.cli.common import app


@app.command()
@click.option("--port", type=click.IntRange(0, 65535), default=5000, show_default=True, help="Port (0: a free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--learners",
    type=click.IntRange(1, 200),
    default=None,
    help="Print a roster: one account per learner on this server, and the line each one pastes.",
)
def serve(port: int, host: str, learners: int | None) -> None:
    """Start a moto server for a classroom; learners set SIGNIN_LAB_TARGET to its URL."""
    from signin_lab.server import start

    running = start(host, port)
    click.echo(f"signin-lab: moto server listening on {running.url}")
    if host.strip().strip("[]") in ("0.0.0.0", "::"):
        click.echo("  (listening on every address: learners use this machine's name or address in the URL)")
    if learners:
        click.echo(
            f"  {learners} learners, each in their own account: each pastes their line, then opens the notebooks"
        )
        for learner in running.roster(learners).learners:
            click.echo(f"  {learner.name}  {learner.account}  export {learner.env}")
    else:
        click.echo(f"  learners: export SIGNIN_LAB_TARGET={running.url}   (then open the notebooks)")
    click.echo(f"  reset between groups: curl -X POST {running.url}/moto-api/reset")
    click.echo("  stop: Ctrl-C")
    running.wait()
