"""`signin-lab deploy`, `teardown` and `export-cfn`: build, remove or export the blog's stack."""

from __future__ import annotations

import sys

import click

from signin_lab.cli.common import EMAIL, SMS, app, open_lab, target_options, yes_option
from signin_lab.cli.eventbridge import design_option


@app.command()
@click.option("--email", default=EMAIL, show_default=True, help="Address for every alert.")
@click.option("--sms", default=SMS, show_default=True, help="E.164 phone number for the root-success SMS.")
@click.option("--cis", is_flag=True, help="Also add the CIS sign-in controls' filters and alarms.")
@design_option
@target_options
@yes_option
def deploy(email: str, sms: str, cis: bool, design: str, target: str | None, region: str, yes: bool) -> None:
    """Build the alerting stack (idempotent; the blog's design by default) and print what was built."""
    from signin_lab.cli.render import stack_result, terminal

    with open_lab(target, region, yes=yes, changes=True) as lab:
        result = lab.deploy(email=email, sms=sms, cis=cis, design=design)
    stack_result(terminal(), result)


@app.command()
@click.option("--keep-logs", is_flag=True, help="Keep the trail's bucket and its log files.")
@click.option("--delete-logs", is_flag=True, help="On real AWS, also delete the trail's log files.")
@design_option
@target_options
@yes_option
def teardown(
    keep_logs: bool, delete_logs: bool, design: str, target: str | None, region: str, yes: bool
) -> None:
    """Remove everything deploy made (safe on a partial stack, and twice)."""
    from signin_lab.cli.render import stack_result, terminal

    with open_lab(target, region, yes=yes, changes=True) as lab:
        if lab.target.keeps_audit_logs and not keep_logs and not delete_logs and not yes and sys.stdin.isatty():
            delete_logs = click.confirm(
                f"Also delete the trail's bucket {lab.config.bucket} and the log group (audit records)?",
                default=False,
            )
        result = lab.teardown(keep_logs=keep_logs, delete_logs=delete_logs or None, design=design)
    stack_result(terminal(), result)


@app.command("export-cfn")
@click.option("--email", default=EMAIL, show_default=True, help="Default of the AlertEmail parameter ('' for none).")
@click.option("--sms", default=SMS, show_default=True, help="Default of the AlertPhoneNumber parameter ('' for none).")
@click.option("--cis", is_flag=True, help="Also add the CIS sign-in controls' filters and alarms.")
@design_option
@target_options
def export_cfn(email: str, sms: str, cis: bool, design: str, target: str | None, region: str) -> None:
    """Print the same stack as CloudFormation (YAML): `signin-lab export-cfn > stack.yaml`.

    --design eventbridge prints one template per Region (documents separated by `---`, each
    headed by its Region); --design both prints the blog's template first, then those.
    """
    from signin_lab.cfn import template
    from signin_lab.config import LabConfig

    if (target or "moto").strip() == "moto":  # moto's account is fixed: no need to start it
        base = LabConfig(region=region)
    else:  # a server or real AWS: the template names the target's own account
        with open_lab(target, region) as lab:
            base = lab.config
    config = base.replace(email=email or None, sms=sms or None, cis=cis)
    documents = []
    if design in ("blog", "both"):
        documents.append(f"# Region: {config.region} (the blog's design)\n{template(config)}")
    if design in ("eventbridge", "both"):
        from signin_lab.cfn_eventbridge import templates

        for where, text in templates(config).items():
            documents.append(f"# Region: {where} (the EventBridge design)\n{text}")
    if len(documents) == 1 and design == "blog":  # unchanged output for the blog's one template
        click.echo(template(config), nl=False)
        return
    click.echo("---\n".join(doc if doc.endswith("\n") else doc + "\n" for doc in documents), nl=False)
