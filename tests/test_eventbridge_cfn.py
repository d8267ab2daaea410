"""The EventBridge design's CloudFormation: cfn-lint clean, and equal to what deploy builds."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

import pytest
import yaml

from signin_lab import Lab, LabConfig
from signin_lab.cfn import resolve
from signin_lab.cfn_eventbridge import template_dicts, templates
from signin_lab.stack import eventbridge
from signin_lab.stack.eventbridge_plan import plan

CONFIGS = {
    "default": LabConfig(email="you@example.com", sms="+447700900123"),
    "central-us-east-1-cis": LabConfig(region="us-east-1", cis=True, email="you@example.com"),
}


def _lint(text: str, region: str) -> list[str]:
    from cfnlint.api import ManualArgs, lint

    return [str(m) for m in lint(text, config=ManualArgs(include_checks=["I"], regions=[region]))]


@pytest.mark.parametrize("name", CONFIGS)
def test_cfn_lint_finds_nothing_in_any_region(name: str) -> None:
    """cfn-lint, informational checks included, reports nothing on any Region's template."""
    found = {region: _lint(text, region) for region, text in templates(CONFIGS[name]).items()}
    assert {region: [] for region in found} == found


def test_one_template_per_region_of_the_plan() -> None:
    """There is a template for each Region where sign-ins are recorded, central first."""
    assert ["eu-west-1", "us-east-1", "us-east-2", "eu-north-1", "ap-southeast-2"] == list(templates())


def test_forwarding_template_names_the_central_region_literally() -> None:
    """A forwarding rule's target is the central Region's bus, not ${AWS::Region}."""
    rule = next(iter(template_dicts()["us-east-2"]["Resources"].values()))
    assert {"Fn::Sub": "arn:${AWS::Partition}:events:eu-west-1:${AWS::AccountId}:event-bus/default"} == (
        rule["Properties"]["Targets"][0]["Arn"])


def test_templates_are_plain_yaml() -> None:
    """Every template is read back by yaml.safe_load."""
    assert all(isinstance(yaml.safe_load(t), dict) for t in templates().values())


def _doc(value: Any) -> Any:
    return json.loads(unquote(value)) if isinstance(value, str) else value


def _deployed(lab: Lab, regions: tuple[str, ...]) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for region in regions:
        events = lab.client("events", region)
        for r in events.list_rules()["Rules"]:
            targets = events.list_targets_by_rule(Rule=r["Name"])["Targets"]
            state[f"rule {region}/{r['Name']}"] = (json.loads(r["EventPattern"]), r["State"],
                                                   r.get("Description"), targets)
    sns = lab.client("sns")
    for t in sns.list_topics()["Topics"]:
        arn = t["TopicArn"]
        state[f"topic {arn}"] = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])
        subs = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
        state[f"subs {arn}"] = sorted((s["Protocol"], s["Endpoint"]) for s in subs)
    iam = lab.client("iam")
    for role in iam.list_roles()["Roles"]:
        name = role["RoleName"]
        policies = {p: _doc(iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"])
                    for p in iam.list_role_policies(RoleName=name)["PolicyNames"]}
        state[f"role {name}"] = (_doc(role["AssumeRolePolicyDocument"]), policies)
    return state


def _from_templates(cfg: LabConfig) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for region, doc in template_dicts(cfg).items():
        res = resolve(doc, account_id=cfg.account_id, region=region)
        topics = {rid: f"arn:aws:sns:{region}:{cfg.account_id}:{r['Properties']['TopicName']}"
                  for rid, r in doc["Resources"].items() if r["Type"] == "AWS::SNS::Topic"}
        subs: dict[str, list[tuple[str, str]]] = {arn: [] for arn in topics.values()}
        for r in res.values():
            props = r["Properties"]
            if r["Type"] == "AWS::Events::Rule":
                state[f"rule {region}/{props['Name']}"] = (props["EventPattern"], props["State"],
                                                           props["Description"], props["Targets"])
            elif r["Type"] == "AWS::SNS::TopicPolicy":
                state[f"topic {props['Topics'][0]}"] = props["PolicyDocument"]
            elif r["Type"] == "AWS::SNS::Subscription":
                subs[props["TopicArn"]].append((props["Protocol"], props["Endpoint"]))
            elif r["Type"] == "AWS::IAM::Role":
                state[f"role {props['RoleName']}"] = (
                    props["AssumeRolePolicyDocument"],
                    {p["PolicyName"]: p["PolicyDocument"] for p in props["Policies"]})
        state.update({f"subs {arn}": sorted(v) for arn, v in subs.items()})
    return state


@pytest.mark.parametrize("name", CONFIGS)
def test_templates_describe_exactly_what_deploy_builds(name: str) -> None:
    """Rules, targets, topic policies, subscriptions and the role: template == deployed."""
    cfg = CONFIGS[name]
    with Lab.moto(region=cfg.region, config=cfg) as lab:
        eventbridge.deploy(lab)
        deployed = _deployed(lab, plan(cfg).regions)
    assert _from_templates(cfg) == deployed
