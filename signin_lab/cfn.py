"""The blog's stack as a CloudFormation template (YAML), generated from the same code `lab.deploy` uses.

Every name, pattern, alarm setting and policy comes from `LabConfig` and `signin_lab.stack`
(policies, trail and alarm settings), so the template and `lab.deploy` cannot drift apart; a test
deploys on moto and compares the read-back resources with `resolve(template)`.

Names in the template (CloudFormation resolves them in whatever account and Region it runs):

- literal, exactly as deploy uses them: the role, inline policy, topic, log group, trail, metric
  filter, metric and alarm names (all from LabConfig, account- and Region-free);
- `Fn::Sub` with `${AWS::AccountId}` / `${AWS::Region}`: every ARN and account id inside the
  policies (they name this account's trail, log group, alarms and topics) and the bucket name when
  it is derived (`<prefix>-cloudtrail-<account>-<region>`: S3 bucket names are global); a
  `bucket_name` set in LabConfig stays literal;
- `Ref` / `Fn::GetAtt` where one resource points at another (topic ARNs in alarms, the role and
  log group ARNs in the trail), which also gives CloudFormation its creation order.

The intrinsic functions are written in their long form (`{"Fn::Sub": ...}`), which is plain YAML,
so any YAML parser (and `yaml.safe_load`) reads the template.

https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-sub.html
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html
"""

from __future__ import annotations

import re
from typing import Any

from signin_lab.config import E164_PATTERN, EMAIL_SHAPE_PATTERN, Alert, LabConfig
from signin_lab.errors import SigninLabError
from signin_lab.stack import cloudtrail, cloudwatch, iam, policies

EMAIL_PARAMETER = "AlertEmail"
PHONE_PARAMETER = "AlertPhoneNumber"
ROLE_ID = "CloudTrailLogsRole"
LOG_GROUP_ID = "TrailLogGroup"
BUCKET_ID = "TrailBucket"
BUCKET_POLICY_ID = "TrailBucketPolicy"
TRAIL_ID = "Trail"
TAGS = [{"Key": "signin-lab", "Value": "true"}]
#: The role's description, as `signin_lab.stack.iam.ensure_role` writes it.

# CloudFormation parameter constraints, checked by CloudFormation before anything is created
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html):
# the shapes config/contacts.py defines (config's check_email/check_phone check the defaults themselves).
_EMAIL_PATTERN = f"^$|^{EMAIL_SHAPE_PATTERN}$"
_PHONE_PATTERN = f"^$|^{E164_PATTERN}$"  # E.164, as SNS SMS requires


def logical_id(name: str, suffix: str = "") -> str:
    """A CloudFormation logical id (alphanumeric) from a resource name: `signin-console-x` -> `SigninConsoleX`."""
    words = re.split(r"[^A-Za-z0-9]+", name)
    return "".join(w[:1].upper() + w[1:] for w in words if w) + suffix


def _sub_account_region(value: Any, config: LabConfig) -> Any:
    """Every ARN, account id or Region in `value` becomes `Fn::Sub` with the pseudo parameters.

    An ARN (parsed with botocore's ArnParser, whatever its partition) gets `${AWS::Partition}`
    too (cfn-lint I3042), so the template also deploys outside the commercial partition.
    """
    from botocore.utils import ArnParser, InvalidArnException

    if isinstance(value, dict):
        return {k: _sub_account_region(v, config) for k, v in value.items()}
    if isinstance(value, list):
        return [_sub_account_region(v, config) for v in value]
    if not isinstance(value, str):
        return value
    text = value
    try:
        arn = ArnParser().parse_arn(value)
    except InvalidArnException:
        pass
    else:
        text = ":".join(
            ["arn", "${AWS::Partition}", arn["service"], arn["region"], arn["account"], arn["resource"]]
        )
    if text == value and config.account_id not in value and config.region not in value:
        return value
    text = text.replace(config.account_id, "${AWS::AccountId}")
    text = re.sub(rf"{re.escape(config.region)}(?![0-9])", "${AWS::Region}", text)
    return {"Fn::Sub": text}


def _bucket_name(config: LabConfig) -> Any:
    if config.bucket_name:
        return config.bucket_name
    return {"Fn::Sub": f"{config.name_prefix}-cloudtrail-${{AWS::AccountId}}-${{AWS::Region}}"}


def _alert_resources(config: LabConfig, alert: Alert) -> dict[str, Any]:
    topic_id = logical_id(alert.topic_name, "Topic")
    out: dict[str, Any] = {
        topic_id: {
            "Type": "AWS::SNS::Topic",
            "Properties": {"TopicName": alert.topic_name, "Tags": TAGS},
        },
        logical_id(alert.topic_name, "TopicPolicy"): {
            "Type": "AWS::SNS::TopicPolicy",
            "Properties": {
                "Topics": [{"Ref": topic_id}],
                "PolicyDocument": _sub_account_region(policies.topic_policy(config, alert), config),
            },
        },
        logical_id(alert.topic_name, "EmailSubscription"): {
            "Type": "AWS::SNS::Subscription",
            "Condition": "HasEmail",
            "Properties": {"TopicArn": {"Ref": topic_id}, "Protocol": "email", "Endpoint": {"Ref": EMAIL_PARAMETER}},
        },
    }
    if alert.sms:
        out[logical_id(alert.topic_name, "SmsSubscription")] = {
            "Type": "AWS::SNS::Subscription",
            "Condition": "HasPhoneNumber",
            "Properties": {"TopicArn": {"Ref": topic_id}, "Protocol": "sms", "Endpoint": {"Ref": PHONE_PARAMETER}},
        }
    t = cloudwatch.metric_transformation(config, alert)
    transformation: dict[str, Any] = {
        "MetricName": t["metricName"],
        "MetricNamespace": t["metricNamespace"],
        "MetricValue": t["metricValue"],
    }
    if "defaultValue" in t:
        transformation["DefaultValue"] = t["defaultValue"]
    out[logical_id(alert.filter_name, "MetricFilter")] = {
        "Type": "AWS::Logs::MetricFilter",
        "Properties": {
            "FilterName": alert.filter_name,
            "LogGroupName": {"Ref": LOG_GROUP_ID},
            "FilterPattern": alert.pattern,
            "MetricTransformations": [transformation],
        },
    }
    settings = cloudwatch.alarm_settings(config, alert)
    alarm = {k: v for k, v in settings.items() if k not in ("AlarmActions", "OKActions", "InsufficientDataActions")}
    alarm["AlarmActions"] = [{"Ref": topic_id}]
    # Empty OK and INSUFFICIENT_DATA action lists are the CloudFormation default: left out.
    out[logical_id(alert.alarm_name, "Alarm")] = {
        "Type": "AWS::CloudWatch::Alarm",
        "DependsOn": logical_id(alert.filter_name, "MetricFilter"),
        "Properties": alarm,
    }
    return out


def template_dict(config: LabConfig | None = None) -> dict[str, Any]:
    """The template as a dict (see `template` for the YAML)."""
    cfg = config or LabConfig()
    resources: dict[str, Any] = {
        ROLE_ID: {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "RoleName": cfg.role_name,
                "Description": iam.ROLE_DESCRIPTION,
                "AssumeRolePolicyDocument": _sub_account_region(policies.cloudtrail_trust_policy(cfg), cfg),
                "Policies": [
                    {
                        "PolicyName": iam.INLINE_POLICY,
                        "PolicyDocument": _sub_account_region(policies.cloudtrail_logs_policy(cfg), cfg),
                    }
                ],
                "Tags": TAGS,
            },
        },
    }
    by_id: dict[str, str] = {}
    for alert in cfg.alerts:
        same = by_id.setdefault(logical_id(alert.topic_name), alert.key)
        if same != alert.key:  # "a-b" and "a_b" are different topics but the same logical id
            raise SigninLabError(
                f"alerts {same!r} and {alert.key!r}: their names give the same CloudFormation logical id "
                f"{logical_id(alert.topic_name)!r}; rename one",
                field="alerts",
            )
        resources.update(_alert_resources(cfg, alert))
    log_group: dict[str, Any] = {"LogGroupName": cfg.log_group_name, "Tags": TAGS}
    if cfg.log_retention_days is not None:
        log_group["RetentionInDays"] = cfg.log_retention_days
    resources[LOG_GROUP_ID] = {
        "Type": "AWS::Logs::LogGroup",
        # Its events are audit records: kept when the stack is deleted, as teardown keeps them on AWS.
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": log_group,
    }
    resources[BUCKET_ID] = {
        "Type": "AWS::S3::Bucket",
        "DeletionPolicy": "Retain",  # the trail's log files are audit records
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "BucketName": _bucket_name(cfg),
            "PublicAccessBlockConfiguration": dict(cloudtrail.BLOCK_PUBLIC_ACCESS),
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": dict(rule["ApplyServerSideEncryptionByDefault"])}
                    for rule in cloudtrail.ENCRYPTION["Rules"]
                ]
            },
            "Tags": TAGS,
        },
    }
    resources[BUCKET_POLICY_ID] = {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": {"Ref": BUCKET_ID},
            "PolicyDocument": _sub_account_region(policies.trail_bucket_policy(cfg), cfg),
        },
    }
    trail = cloudtrail.trail_settings(cfg)
    resources[TRAIL_ID] = {
        "Type": "AWS::CloudTrail::Trail",
        # CloudTrail checks the bucket policy when the trail is created.
        # https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudtrail-trail.html
        "DependsOn": [BUCKET_POLICY_ID],
        "Properties": {
            "TrailName": trail["Name"],
            "S3BucketName": {"Ref": BUCKET_ID},
            "IsLogging": True,
            "IsMultiRegionTrail": trail["IsMultiRegionTrail"],
            "IncludeGlobalServiceEvents": trail["IncludeGlobalServiceEvents"],
            "EnableLogFileValidation": trail["EnableLogFileValidation"],
            "CloudWatchLogsLogGroupArn": {"Fn::GetAtt": [LOG_GROUP_ID, "Arn"]},
            "CloudWatchLogsRoleArn": {"Fn::GetAtt": [ROLE_ID, "Arn"]},
            "EventSelectors": [
                {"ReadWriteType": s["ReadWriteType"], "IncludeManagementEvents": s["IncludeManagementEvents"]}
                for s in cloudtrail.EVENT_SELECTORS
            ],
            "Tags": TAGS,
        },
    }
    outputs: dict[str, Any] = {
        "TrailArn": {"Description": "The trail", "Value": {"Fn::GetAtt": [TRAIL_ID, "Arn"]}},
        "LogGroupName": {"Description": "The log group CloudTrail delivers into", "Value": {"Ref": LOG_GROUP_ID}},
    }
    for alert in cfg.alerts:
        outputs[logical_id(alert.topic_name, "TopicArn")] = {
            "Description": f"SNS topic for {alert.key}",
            "Value": {"Ref": logical_id(alert.topic_name, "Topic")},
        }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": (
            "signin-lab: alerts on AWS console sign-ins (CloudTrail -> CloudWatch Logs metric filters "
            "-> alarms -> SNS email/SMS)" + ("; with the CIS sign-in controls" if cfg.cis else "")
        ),
        "Parameters": {
            EMAIL_PARAMETER: {
                "Type": "String",
                "Default": cfg.email or "",
                "AllowedPattern": _EMAIL_PATTERN,
                "ConstraintDescription": "an email address, or empty for no email subscriptions",
                "Description": "Email address subscribed to every alert topic (empty: none)",
            },
            PHONE_PARAMETER: {
                "Type": "String",
                "Default": cfg.sms or "",
                "AllowedPattern": _PHONE_PATTERN,
                "ConstraintDescription": "an E.164 phone number such as +447700900123, or empty",
                "Description": "E.164 phone number for SMS on " + ", ".join(a.topic_name for a in cfg.alerts if a.sms),
            },
        },
        "Conditions": {
            "HasEmail": {"Fn::Not": [{"Fn::Equals": [{"Ref": EMAIL_PARAMETER}, ""]}]},
            "HasPhoneNumber": {"Fn::Not": [{"Fn::Equals": [{"Ref": PHONE_PARAMETER}, ""]}]},
        },
        "Resources": resources,
        "Outputs": outputs,
    }


def template(config: LabConfig | None = None) -> str:
    """The whole stack `lab.deploy` builds for `config` (default: the blog's), as CloudFormation YAML.

    Parameters `AlertEmail` and `AlertPhoneNumber` default to the config's email and phone number.
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html
    """
    import yaml

    class _NoAliases(yaml.SafeDumper):
        """CloudFormation rejects YAML anchors and aliases (cfn-lint W1101): write repeats out."""

        def ignore_aliases(self, data: Any) -> bool:
            return True

    text = yaml.dump(
        template_dict(config), Dumper=_NoAliases, sort_keys=False, default_flow_style=False, width=1000
    )
    return str(text)


# -- resolving the template, as CloudFormation would in one account and Region -------------------
_ARN_ATTRIBUTES = {
    "AWS::IAM::Role": lambda p, acct, region: f"arn:aws:iam::{acct}:role/{p['RoleName']}",  # Path "/"
    "AWS::Logs::LogGroup": lambda p, acct, region: f"arn:aws:logs:{region}:{acct}:log-group:{p['LogGroupName']}:*",
    "AWS::CloudTrail::Trail": lambda p, acct, region: f"arn:aws:cloudtrail:{region}:{acct}:trail/{p['TrailName']}",
}


def resolve(
    doc: dict[str, Any], *, account_id: str, region: str, parameters: dict[str, str] | None = None
) -> dict[str, Any]:
    """The template's Resources with Ref, Fn::Sub, Fn::GetAtt (Arn) and Conditions resolved.

    Models only what this template uses: Ref of a parameter, a topic, a bucket or a log group
    (their physical names/ARNs), `Fn::Sub` with `${AWS::AccountId}`/`${AWS::Region}`, `Fn::GetAtt
    X.Arn`, and `Fn::Not`/`Fn::Equals` conditions; resources whose condition is false are dropped.
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-ref.html
    """
    params = {name: spec.get("Default", "") for name, spec in doc.get("Parameters", {}).items()}
    unknown = sorted(set(parameters or {}) - set(params))
    if unknown:
        raise SigninLabError(f"resolve: unknown template parameter(s) {unknown}; known: {sorted(params)}")
    params.update(parameters or {})
    raw = doc["Resources"]
    r = _Resolver(raw, params, account_id, region)
    conditions = {name: r.value(cond) for name, cond in doc.get("Conditions", {}).items()}
    out: dict[str, Any] = {}
    for name, res in raw.items():
        if "Condition" in res and not conditions[res["Condition"]]:
            continue
        out[name] = {"Type": res["Type"], "Properties": r.value(res.get("Properties", {}))}
    return out


class _Resolver:
    """`resolve`'s evaluator of the intrinsic functions over one template's resources."""

    def __init__(self, raw: dict[str, Any], params: dict[str, str], account_id: str, region: str) -> None:
        self.raw = raw
        self.params = params
        self.account_id = account_id
        self.region = region
        self.pseudo = {"AWS::AccountId": account_id, "AWS::Region": region, "AWS::Partition": "aws"}

    def sub(self, text: str) -> str:
        """Fn::Sub: `${name}` of a pseudo parameter or a parameter."""

        def one(m: re.Match[str]) -> str:
            name = m.group(1)
            if name in self.pseudo:
                return self.pseudo[name]
            if name in self.params:
                return self.params[name]
            raise SigninLabError(f"resolve: Fn::Sub names unknown variable ${{{name}}} in {text!r}")

        return re.sub(r"\$\{([A-Za-z0-9:]+)\}", one, text)

    def ref(self, name: str) -> Any:
        """Ref: a parameter's value, a pseudo parameter, or a topic's ARN, a bucket's or log group's name."""
        if name in self.params:
            return self.params[name]
        if name in self.pseudo:
            return self.pseudo[name]
        if name not in self.raw:
            raise SigninLabError(f"resolve: Ref to unknown resource or parameter {name!r}")
        res = self.raw[name]
        props = res.get("Properties", {})
        kind = res["Type"]
        if kind == "AWS::SNS::Topic":
            return f"arn:aws:sns:{self.region}:{self.account_id}:{props['TopicName']}"
        if kind == "AWS::S3::Bucket":
            return self.value(props["BucketName"])
        if kind == "AWS::Logs::LogGroup":
            return props["LogGroupName"]
        raise SigninLabError(f"resolve: Ref to a {kind} is not modelled")

    def get_att(self, name: str, attr: str) -> str:
        """Fn::GetAtt X.Arn of the resource kinds in _ARN_ATTRIBUTES."""
        res = self.raw[name]
        if attr != "Arn" or res["Type"] not in _ARN_ATTRIBUTES:
            raise SigninLabError(f"resolve: Fn::GetAtt {name}.{attr} is not modelled")
        return _ARN_ATTRIBUTES[res["Type"]](self.value(res["Properties"]), self.account_id, self.region)

    def value(self, node: Any) -> Any:
        """`node` with every intrinsic function in it resolved."""
        if isinstance(node, list):
            return [self.value(v) for v in node]
        if not isinstance(node, dict):
            return node
        if set(node) == {"Ref"}:
            return self.ref(node["Ref"])
        if set(node) == {"Fn::Sub"}:
            return self.sub(node["Fn::Sub"])
        if set(node) == {"Fn::GetAtt"}:
            name, attr = node["Fn::GetAtt"]
            return self.get_att(name, attr)
        if set(node) == {"Fn::Not"}:
            return not self.value(node["Fn::Not"][0])
        if set(node) == {"Fn::Equals"}:
            a, b = node["Fn::Equals"]
            return self.value(a) == self.value(b)
        return {k: self.value(v) for k, v in node.items()}
