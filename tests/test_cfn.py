"""The CloudFormation export: valid for cfn-lint, and describing exactly what `lab.deploy` builds."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

import pytest
import yaml

from signin_lab import Lab, SigninLabError
from signin_lab.cfn import resolve, template, template_dict
from signin_lab.config import LabConfig
from signin_lab.stack import policies
from tests.conftest import EMAIL, SMS

ACCOUNT = "123456789012"
REGION = "eu-west-1"
CONFIGS = {
    "blog": LabConfig(email=EMAIL, sms=SMS),
    "cis": LabConfig(email=EMAIL, sms=SMS, cis=True),
    "custom": LabConfig(
        region="us-east-1", name_prefix="alerts", bucket_name="my-trail-bucket", log_retention_days=90,
        default_value=None, treat_missing_data="notBreaching", sms_alerts=("success-root", "failure-root"),
    ),
}


def _lint(text: str) -> list[str]:
    from cfnlint.api import ManualArgs, lint

    matches = lint(text, config=ManualArgs(include_checks=["I"], regions=["eu-west-1", "us-east-1"]))
    return [str(m) for m in matches]


def _by_type(resources: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r["Properties"] for r in resources.values() if r["Type"] == kind]


# -- the template itself ----------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_cfn_lint_finds_nothing(name: str) -> None:
    """cfn-lint, informational checks included, reports nothing on the exported template."""
    assert [] == _lint(template(CONFIGS[name]))


def test_cfn_lint_is_really_checking() -> None:
    """A broken resource type in the same template is reported, so the clean result means something."""
    broken = template(LabConfig()).replace("Type: AWS::Logs::MetricFilter", "Type: AWS::Logs::MetricFilterX", 1)
    assert any("E3006" in m for m in _lint(broken))


def test_template_is_plain_yaml() -> None:
    """The YAML parses with safe_load (long-form intrinsics, no anchors) and equals template_dict."""
    text = template()
    assert template_dict() == yaml.safe_load(text)
    assert "&id" not in text and "*id" not in text


def test_parameters_for_email_and_phone() -> None:
    """The email and phone number are parameters, defaulting to the config's values."""
    params = template_dict(CONFIGS["blog"])["Parameters"]
    assert (EMAIL, SMS) == (params["AlertEmail"]["Default"], params["AlertPhoneNumber"]["Default"])


def test_default_template_is_the_blogs_four_alerts() -> None:
    """Without a config: one role, four topics, filters and alarms, one bucket, trail and log group."""
    res = template_dict()["Resources"]
    counts = {kind: len(_by_type(res, kind)) for kind in (
        "AWS::IAM::Role", "AWS::SNS::Topic", "AWS::SNS::TopicPolicy", "AWS::Logs::MetricFilter",
        "AWS::CloudWatch::Alarm", "AWS::S3::Bucket", "AWS::S3::BucketPolicy", "AWS::CloudTrail::Trail",
        "AWS::Logs::LogGroup",
    )}
    assert {"AWS::IAM::Role": 1, "AWS::SNS::Topic": 4, "AWS::SNS::TopicPolicy": 4, "AWS::Logs::MetricFilter": 4,
            "AWS::CloudWatch::Alarm": 4, "AWS::S3::Bucket": 1, "AWS::S3::BucketPolicy": 1,
            "AWS::CloudTrail::Trail": 1, "AWS::Logs::LogGroup": 1} == counts


def test_cis_adds_the_three_cis_alarms() -> None:
    """With cis=True the CIS filters are there with their exact patterns, LogMetrics and >= 1."""
    res = resolve(template_dict(CONFIGS["cis"]), account_id=ACCOUNT, region=REGION)
    filters = {f["FilterName"]: f for f in _by_type(res, "AWS::Logs::MetricFilter")}
    alarms = {a["AlarmName"]: a for a in _by_type(res, "AWS::CloudWatch::Alarm")}
    cis = [a for a in CONFIGS["cis"].alerts if a.cis_control]
    assert [a.pattern for a in cis] == [filters[a.filter_name]["FilterPattern"] for a in cis]
    assert {("LogMetrics", "GreaterThanOrEqualToThreshold", 1.0)} == {
        (
            alarms[a.alarm_name]["Namespace"],
            alarms[a.alarm_name]["ComparisonOperator"],
            alarms[a.alarm_name]["Threshold"],
        )
        for a in cis
    }


def test_names_are_literal_and_policies_use_pseudo_parameters() -> None:
    """Resource names are the config's literal names; ARNs inside policies use Fn::Sub."""
    res = template_dict()["Resources"]
    role = res["CloudTrailLogsRole"]["Properties"]
    assert "CloudTrail-CloudWatchLogs-Signin-Console" == role["RoleName"]
    resource = role["Policies"][0]["PolicyDocument"]["Statement"][0]["Resource"][0]
    assert {"Fn::Sub"} == set(resource)
    assert "${AWS::AccountId}" in resource["Fn::Sub"] and ACCOUNT not in resource["Fn::Sub"]


def test_derived_bucket_name_is_substituted_and_a_set_one_literal() -> None:
    """The derived bucket name follows the account and Region; an explicit bucket_name stays literal."""
    derived = template_dict()["Resources"]["TrailBucket"]["Properties"]["BucketName"]
    explicit = template_dict(CONFIGS["custom"])["Resources"]["TrailBucket"]["Properties"]["BucketName"]
    assert {"Fn::Sub": "signin-console-cloudtrail-${AWS::AccountId}-${AWS::Region}"} == derived
    assert "my-trail-bucket" == explicit


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_resolved_policies_are_the_kits_policies(name: str) -> None:
    """Resolved in another account, every policy equals signin_lab.stack.policies for that account."""
    cfg = CONFIGS[name].replace(account_id="444455556666")
    res = resolve(template_dict(CONFIGS[name]), account_id="444455556666", region=cfg.region)
    role = _by_type(res, "AWS::IAM::Role")[0]
    assert policies.cloudtrail_trust_policy(cfg) == role["AssumeRolePolicyDocument"]
    assert policies.cloudtrail_logs_policy(cfg) == role["Policies"][0]["PolicyDocument"]
    assert policies.trail_bucket_policy(cfg) == _by_type(res, "AWS::S3::BucketPolicy")[0]["PolicyDocument"]
    topic_policies = [p["PolicyDocument"] for p in _by_type(res, "AWS::SNS::TopicPolicy")]
    assert [policies.topic_policy(cfg, a) for a in cfg.alerts] == topic_policies


def test_empty_parameters_drop_the_subscriptions() -> None:
    """With the email and phone parameters empty, no subscription resource is created."""
    res = resolve(template_dict(), account_id=ACCOUNT, region=REGION)
    assert [] == _by_type(res, "AWS::SNS::Subscription")


def test_resolve_refuses_an_unknown_parameter() -> None:
    """A misspelt parameter is a SigninLabError naming it and the known ones."""
    with pytest.raises(SigninLabError, match="AlertMail.*AlertEmail"):
        resolve(template_dict(), account_id=ACCOUNT, region=REGION, parameters={"AlertMail": EMAIL})


# -- the template versus what deploy built ----------------------------------------------------
def _doc(value: Any) -> Any:
    return json.loads(unquote(value)) if isinstance(value, str) else value


def _deployed_state(lab: Lab) -> dict[str, Any]:
    """Everything deploy built, read back through boto3, in one comparable shape."""
    cfg = lab.config
    iam, sns, s3 = lab.client("iam"), lab.client("sns"), lab.client("s3")
    logs, cw, ct = lab.client("logs"), lab.client("cloudwatch"), lab.client("cloudtrail")
    role = iam.get_role(RoleName=cfg.role_name)["Role"]
    inline = {
        name: _doc(iam.get_role_policy(RoleName=cfg.role_name, PolicyName=name)["PolicyDocument"])
        for name in iam.list_role_policies(RoleName=cfg.role_name)["PolicyNames"]
    }
    topics = {}
    for t in sns.list_topics()["Topics"]:
        arn = t["TopicArn"]
        subs = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
        topics[arn.rsplit(":", 1)[1]] = {
            "policy": json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"]),
            "subscriptions": sorted((s["Protocol"], s["Endpoint"]) for s in subs),
        }
    bucket = cfg.bucket
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    trail = ct.get_trail(Name=cfg.trail_name)["Trail"]
    selectors = ct.get_event_selectors(TrailName=cfg.trail_name)["EventSelectors"]
    group = logs.describe_log_groups(logGroupNamePrefix=cfg.log_group_name)["logGroups"][0]
    filters = logs.describe_metric_filters(logGroupName=cfg.log_group_name)["metricFilters"]
    alarm_keys = ("AlarmName", "AlarmDescription", "ActionsEnabled", "AlarmActions", "MetricName", "Namespace",
                  "Statistic", "Period", "EvaluationPeriods", "DatapointsToAlarm", "Threshold",
                  "ComparisonOperator", "TreatMissingData")
    return {
        "role": (role["RoleName"], role.get("Description"), _doc(role["AssumeRolePolicyDocument"]), inline),
        "topics": topics,
        "bucket": (
            bucket,
            s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"],
            [r["ApplyServerSideEncryptionByDefault"] for r in rules],
            json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]),
        ),
        "trail": (
            trail["Name"], trail["S3BucketName"], trail["IsMultiRegionTrail"], trail["IncludeGlobalServiceEvents"],
            trail["LogFileValidationEnabled"], trail["CloudWatchLogsLogGroupArn"], trail["CloudWatchLogsRoleArn"],
            ct.get_trail_status(Name=cfg.trail_name)["IsLogging"],
            [(s["ReadWriteType"], s["IncludeManagementEvents"]) for s in selectors],
        ),
        "log_group": (group["logGroupName"], group.get("retentionInDays")),
        "filters": sorted(
            (
                f["filterName"],
                f["filterPattern"],
                [{k: v for k, v in t.items() if k != "dimensions"} for t in f["metricTransformations"]],
            )
            for f in filters
        ),
        "alarms": sorted(
            tuple(a.get(k) for k in alarm_keys) for a in cw.describe_alarms()["MetricAlarms"]
        ),
    }


def _template_state(cfg: LabConfig) -> dict[str, Any]:
    """The same shape, from the template resolved for the lab's account and Region."""
    doc = template_dict(cfg)
    res = resolve(doc, account_id=cfg.account_id, region=cfg.region)
    role = _by_type(res, "AWS::IAM::Role")[0]
    topic_ids = {
        rid: r["Properties"]["TopicName"] for rid, r in doc["Resources"].items() if r["Type"] == "AWS::SNS::Topic"
    }
    arn_to_name = {f"arn:aws:sns:{cfg.region}:{cfg.account_id}:{n}": n for n in topic_ids.values()}
    topics: dict[str, Any] = {name: {"policy": None, "subscriptions": []} for name in topic_ids.values()}
    for p in _by_type(res, "AWS::SNS::TopicPolicy"):
        topics[arn_to_name[p["Topics"][0]]]["policy"] = p["PolicyDocument"]
    for s in _by_type(res, "AWS::SNS::Subscription"):
        topics[arn_to_name[s["TopicArn"]]]["subscriptions"].append((s["Protocol"], s["Endpoint"]))
    for t in topics.values():
        t["subscriptions"].sort()
    bucket = _by_type(res, "AWS::S3::Bucket")[0]
    trail = _by_type(res, "AWS::CloudTrail::Trail")[0]
    group = _by_type(res, "AWS::Logs::LogGroup")[0]
    alarm_keys = ("AlarmName", "AlarmDescription", "ActionsEnabled", "AlarmActions", "MetricName", "Namespace",
                  "Statistic", "Period", "EvaluationPeriods", "DatapointsToAlarm", "Threshold",
                  "ComparisonOperator", "TreatMissingData")
    transformation_keys = {"MetricName": "metricName", "MetricNamespace": "metricNamespace",
                           "MetricValue": "metricValue", "DefaultValue": "defaultValue"}
    return {
        "role": (role["RoleName"], role["Description"], role["AssumeRolePolicyDocument"],
                 {p["PolicyName"]: p["PolicyDocument"] for p in role["Policies"]}),
        "topics": topics,
        "bucket": (
            bucket["BucketName"],
            bucket["PublicAccessBlockConfiguration"],
            [
                r["ServerSideEncryptionByDefault"]
                for r in bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
            ],
            _by_type(res, "AWS::S3::BucketPolicy")[0]["PolicyDocument"],
        ),
        "trail": (
            trail["TrailName"], trail["S3BucketName"], trail["IsMultiRegionTrail"], trail["IncludeGlobalServiceEvents"],
            trail["EnableLogFileValidation"], trail["CloudWatchLogsLogGroupArn"], trail["CloudWatchLogsRoleArn"],
            trail["IsLogging"],
            [(s["ReadWriteType"], s["IncludeManagementEvents"]) for s in trail["EventSelectors"]],
        ),
        "log_group": (group["LogGroupName"], group.get("RetentionInDays")),
        "filters": sorted(
            (f["FilterName"], f["FilterPattern"],
             [{transformation_keys[k]: v for k, v in t.items()} for t in f["MetricTransformations"]])
            for f in _by_type(res, "AWS::Logs::MetricFilter")
        ),
        "alarms": sorted(tuple(a.get(k) for k in alarm_keys) for a in _by_type(res, "AWS::CloudWatch::Alarm")),
    }


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_template_describes_exactly_what_deploy_builds(name: str) -> None:
    """Deployed on moto and read back, the stack equals the template resolved for that account."""
    cfg = CONFIGS[name]
    with Lab.moto(region=cfg.region, config=cfg) as lab:
        lab.deploy()
        deployed = _deployed_state(lab)
        expected = _template_state(lab.config)
    for part in ("role", "topics", "bucket", "trail", "log_group", "filters", "alarms"):
        assert expected[part] == deployed[part], part


def test_cli_export_cfn_prints_the_template(capsys: pytest.CaptureFixture[str]) -> None:
    """`signin-lab export-cfn --cis` prints the template for the default email and phone, exit 0."""
    from signin_lab.cli import main

    with pytest.raises(SystemExit) as info:
        main(["export-cfn", "--cis"])
    out = capsys.readouterr().out
    assert 0 == (info.value.code or 0)
    assert template_dict(LabConfig(email=EMAIL, sms=SMS, cis=True)) == yaml.safe_load(out)


def test_arn_of_any_partition_gets_the_partition_parameter() -> None:
    """An aws-us-gov ARN in a policy is rewritten with ${AWS::Partition} (parsed by ArnParser)."""
    from signin_lab.cfn import _sub_account_region

    cfg = LabConfig()
    out = _sub_account_region("arn:aws-us-gov:sns:eu-west-1:123456789012:topic", cfg)
    assert {"Fn::Sub": "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:topic"} == out


def test_phone_parameter_pattern_is_configs_e164() -> None:
    """The AlertPhoneNumber AllowedPattern is config's E.164 shape, plus empty."""
    from signin_lab.config import E164_PATTERN

    params = template_dict(LabConfig())["Parameters"]
    assert f"^$|^{E164_PATTERN}$" == params["AlertPhoneNumber"]["AllowedPattern"]


def test_alert_names_with_the_same_logical_id_are_refused() -> None:
    """Two alerts whose names differ only in '-' and '_' would collide as logical ids: refused by name."""
    from signin_lab.config import Alert

    pattern = '{ $.eventName = "ConsoleLogin" }'
    cfg = LabConfig(
        alerts=(Alert(key="a", pattern=pattern, name="no-mfa"), Alert(key="b", pattern=pattern, name="no_mfa"))
    )
    with pytest.raises(SigninLabError, match="'a' and 'b'"):
        template_dict(cfg)
