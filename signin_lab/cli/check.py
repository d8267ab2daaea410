"""`signin-lab check`: Security Hub's CIS sign-in controls on a target; exit 1 if one fails."""

from __future__ import annotations

import click

from signin_lab.cli.common import EMAIL, SMS, app, open_lab, target_options


@app.command()
@click.option("--cis", is_flag=True, help="In-process moto only: deploy with the CIS controls added.")
@target_options
@click.pass_context
def check(ctx: click.Context, cis: bool, target: str | None, region: str) -> None:
    """Check Security Hub's CIS sign-in controls (CloudWatch.1, .3, .6); exit 1 if any fails.

    In-process moto starts empty, so there the blog's stack (with --cis, plus the CIS controls)
    is deployed first; a moto server or a real account is checked as it is.
    """
    from signin_lab.cli.eventbridge import echo_versions
    from signin_lab.cli.render import findings, terminal
    from signin_lab.compliance import check as check_controls
    from signin_lab.compliance.versions import by_version, eventbridge_evidence

    with open_lab(target, region) as lab:
        if lab.target.in_process:
            lab.deploy(email=EMAIL, sms=SMS, cis=cis)
            click.echo(f"in-process moto: checking the blog's stack{' with the CIS controls' if cis else ''}")
        found = check_controls(lab)
        versions = by_version(found, eventbridge_evidence(lab))
    findings(terminal(), found)
    echo_versions(versions)
    if found.failed:
        ctx.exit(1)
