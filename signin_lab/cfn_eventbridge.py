"""The EventBridge design as CloudFormation: one template per Region, from the same plan deploy uses.

A stack lives in one Region, and the design has rules in several, so `templates(config)` gives one
template per Region of the plan (stack/eventbridge_plan.py): the central Region's (the forwarding
role, one topic with its policy and subscriptions and one rule per alert), and each other
Region's (its forwarding rule). Deploy the central one first: the forwarding rules name its role
and bus. IAM is global, so the role is only in the central template.

Names are literal, as deploy uses them; ARNs use `${AWS::Partition}` and `${AWS::AccountId}`,
and `${AWS::Region}` only for the template's own Region (a forwarding rule names the central
Region literally). https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-events-rule.html
"""

from __future__ import annotations

import re
from typing import Any

from signin_lab.cfn import EMAIL_PARAMETER, PHONE_PARAMETER, TAGS, logical_id
from signin_lab.config import LabConfig
from signin_lab.stack.eventbridge import ROLE_POLICY
from signin_lab.stack.eventbridge_plan import (
    Plan,
    Rule,
    forward_role_policy,
    forward_trust_policy,
    plan,
    topic_policy,
)

ROLE_ID = "EventBridgeForwardRole"
_EMAIL_PATTERN = r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$"
_PHONE_PATTERN = r"^$|^\+[1-9][0-9]{1,14}$"


def _sub(value: Any, account_id: str, region: str | None) -> Any:
    """ARNs and the account id as Fn::Sub; `region` (the template's own) as ${AWS::Region}."""
    if isinstance(value, dict):
        return {k: _sub(v, account_id, region) for k, v in value.items()}
    if isinstance(value, list):
        return [_sub(v, account_id, region) for v in value]
    if isinstance(value, str) and (account_id in value or "arn:aws:" in value):
        text = value.replace("arn:aws:", "arn:${AWS::Partition}:").replace(account_id, "${AWS::AccountId}")
        if region:
            text = re.sub(rf":{re.escape(region)}:", ":${AWS::Region}:", text)
        return {"Fn::Sub": text}
    return value


def _rule(r: Rule, p: Plan, target_arn: Any, role: Any = None) -> dict[str, Any]:
    target: dict[str, Any] = {"Id": r.target_id, "Arn": target_arn}
    if role is not None:
        target["RoleArn"] = role
    if r.input_template is not None:
        target["InputTransformer"] = {"InputPathsMap": dict(r.input_paths or {}),
                                      "InputTemplate": r.input_template}
    return {"Type": "AWS::Events::Rule", "Properties": {
        "Name": r.name, "Description": r.description, "EventBusName": "default",
        "EventPattern": r.pattern, "State": "ENABLED", "Targets": [target]}}


def _central(cfg: LabConfig, p: Plan) -> dict[str, Any]:
    acct, here = p.account_id, p.central
    res: dict[str, Any] = {ROLE_ID: {"Type": "AWS::IAM::Role", "Properties": {
        "RoleName": p.role_name,
        "Description": "Lets EventBridge forward console sign-ins to the central bus",
        "AssumeRolePolicyDocument": _sub(forward_trust_policy(acct), acct, here),
        "Policies": [{"PolicyName": ROLE_POLICY, "PolicyDocument": _sub(forward_role_policy(p), acct, here)}],
        "Tags": TAGS}}}
    for alert in cfg.alerts:
        if alert.key not in p.topics:
            continue
        name = p.topics[alert.key]
        tid = logical_id(name, "Topic")
        res[tid] = {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": name, "Tags": TAGS}}
        res[logical_id(name, "TopicPolicy")] = {"Type": "AWS::SNS::TopicPolicy", "Properties": {
            "Topics": [{"Ref": tid}], "PolicyDocument": _sub(topic_policy(p, alert.key), acct, here)}}
        res[logical_id(name, "EmailSubscription")] = {
            "Type": "AWS::SNS::Subscription", "Condition": "HasEmail",
            "Properties": {"TopicArn": {"Ref": tid}, "Protocol": "email", "Endpoint": {"Ref": EMAIL_PARAMETER}}}
        if alert.sms:
            res[logical_id(name, "SmsSubscription")] = {
                "Type": "AWS::SNS::Subscription", "Condition": "HasPhoneNumber",
                "Properties": {"TopicArn": {"Ref": tid}, "Protocol": "sms", "Endpoint": {"Ref": PHONE_PARAMETER}}}
        rule = next(r for r in p.rules if r.alert_key == alert.key)
        res[logical_id(rule.name, "Rule")] = _rule(rule, p, {"Ref": tid})
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": (f"signin-lab EventBridge design, central Region {here}: one rule per alert "
                        "-> SNS with a readable message; deploy before the forwarding stacks"),
        "Parameters": {
            EMAIL_PARAMETER: {"Type": "String", "Default": cfg.email or "", "AllowedPattern": _EMAIL_PATTERN,
                              "Description": "Email address subscribed to every alert topic (empty: none)"},
            PHONE_PARAMETER: {"Type": "String", "Default": cfg.sms or "", "AllowedPattern": _PHONE_PATTERN,
                              "Description": "E.164 phone number for the SMS alerts (empty: none)"},
        },
        "Conditions": {
            "HasEmail": {"Fn::Not": [{"Fn::Equals": [{"Ref": EMAIL_PARAMETER}, ""]}]},
            "HasPhoneNumber": {"Fn::Not": [{"Fn::Equals": [{"Ref": PHONE_PARAMETER}, ""]}]},
        },
        "Resources": res,
    }


def _forwarding(p: Plan, region: str) -> dict[str, Any]:
    res: dict[str, Any] = {}
    for rule in p.rules_in(region):
        res[logical_id(rule.name, "Rule")] = _rule(
            rule, p, _sub(rule.target_arn, p.account_id, None), _sub(rule.role_arn, p.account_id, None))
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"signin-lab EventBridge design: console sign-ins recorded in {region} -> {p.central}",
        "Resources": res,
    }


def template_dicts(config: LabConfig | None = None, extra_regions: tuple[str, ...] | list[str] = ()
                   ) -> dict[str, dict[str, Any]]:
    """Region -> template (as a dict), the central Region first."""
    cfg = config or LabConfig()
    p = plan(cfg, extra_regions)
    out = {p.central: _central(cfg, p)}
    for region in p.regions:
        if region != p.central:
            out[region] = _forwarding(p, region)
    return out


def templates(config: LabConfig | None = None, extra_regions: tuple[str, ...] | list[str] = ()
              ) -> dict[str, str]:
    """Region -> CloudFormation YAML for the EventBridge design (see the module docstring)."""
    import yaml

    class _NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    return {region: str(yaml.dump(doc, Dumper=_NoAliases, sort_keys=False, width=1000))
            for region, doc in template_dicts(config, extra_regions).items()}


__all__ = ["ROLE_ID", "template_dicts", "templates"]
