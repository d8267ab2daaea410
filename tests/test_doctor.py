"""signin_lab.doctor on in-process moto: the healthy stack, then one user's mistake at a time."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from signin_lab import Lab, SigninLabError
from signin_lab.config import BLOG_ROOT_PATTERN_TEMPLATE
from signin_lab.doctor import Diagnosis, doctor
from signin_lab.stack.iam import INLINE_POLICY

TRAIL = "events-management"
LOG_GROUP = "aws-cloudtrail-logs-signin-console"
ROLE = "CloudTrail-CloudWatchLogs-Signin-Console"
ACCOUNT = "123456789012"


def _topic(key: str) -> str:
    return f"arn:aws:sns:eu-west-1:{ACCOUNT}:signin-console-{key}"


def _status(d: Diagnosis, key: str, finding_id: str) -> str:
    return d.finding(key, finding_id).status


def _replace_filter(lab: Lab, key: str, pattern: str, default: float | None = 0.0) -> None:
    """What a user does in the console: edit the metric filter (moto needs delete + put)."""
    logs = lab.client("logs")
    name = f"signin-console-{key}"
    logs.delete_metric_filter(logGroupName=LOG_GROUP, filterName=name)
    t = {"metricName": name, "metricNamespace": "CloudTrailMetrics", "metricValue": "1"}
    if default is not None:
        t["defaultValue"] = default
    logs.put_metric_filter(logGroupName=LOG_GROUP, filterName=name, filterPattern=pattern, metricTransformations=[t])


def _alarm_args(lab: Lab, key: str) -> dict[str, object]:
    a = lab.client("cloudwatch").describe_alarms(AlarmNames=[f"signin-console-{key}"])["MetricAlarms"][0]
    keep = ("AlarmName", "ActionsEnabled", "AlarmActions", "MetricName", "Namespace", "Statistic", "Period",
            "EvaluationPeriods", "DatapointsToAlarm", "Threshold", "ComparisonOperator", "TreatMissingData")
    return {k: a[k] for k in keep}


# -- the healthy stack: deployed and diagnosed once, only read by these tests ---------------------
@pytest.fixture(scope="module")
def healthy() -> dict[str, object]:
    """The blog's stack deployed once; the diagnoses and the configured alert keys read from it."""
    with Lab.moto() as lab:
        lab.deploy(email="you@example.com", sms="+447700900123")
        out: dict[str, object] = {
            "all": doctor(lab),
            "success-root": doctor(lab, alert="success-root"),
            "failure-iam": doctor(lab, alert="failure-iam"),
            "keys": [a.key for a in lab.config.alerts],
        }
        with pytest.raises(SigninLabError) as refused:
            doctor(lab, alert="nope")
        out["refused"] = str(refused.value)
    return out


def test_healthy_stack_has_no_broken_link(healthy: dict[str, Diagnosis]) -> None:
    """The blog's stack as deployed reaches its subscribers: no BROKEN and no AT RISK link."""
    d = healthy["all"]
    assert (True, []) == (d.ok, [f.id for f in d.findings if f.status in ("BROKEN", "AT RISK")])


def test_healthy_stack_unknowns_are_what_moto_cannot_tell(healthy: dict[str, Diagnosis]) -> None:
    """Only the links moto cannot answer are UNKNOWN: no delivered event yet, and the SMS account settings."""
    unknown = sorted({f.id for f in healthy["all"].findings if f.status == "UNKNOWN"})
    assert ["log-group.recent-events", "sms.sandbox", "sms.sender-id", "sms.spend-limit"] == unknown


def test_healthy_stack_diagnoses_every_configured_alert(healthy: dict[str, object]) -> None:
    """One chain per alert of lab.config.alerts, in configuration order."""
    assert healthy["keys"] == healthy["all"].alerts  # type: ignore[attr-defined]


def test_alert_option_limits_to_one_alert(healthy: dict[str, Diagnosis]) -> None:
    """alert="success-root" diagnoses that alert only."""
    assert ["success-root"] == healthy["success-root"].alerts


def test_unknown_alert_is_a_signin_lab_error(healthy: dict[str, object]) -> None:
    """An alert key that is not configured is bad input, named in the error."""
    assert "unknown alert 'nope'" in str(healthy["refused"])


def test_frame_has_one_row_per_finding(healthy: dict[str, Diagnosis]) -> None:
    """frame() is the findings as a table with the documented columns."""
    d = healthy["failure-iam"]
    frame = d.frame()
    assert (len(d.findings), ["alert", "link", "id", "status", "read", "why", "doc", "console", "cli"]) == (
        len(frame), list(frame.columns))


def test_cis_alerts_are_diagnosed_when_configured(lab: Lab) -> None:
    """With cis=True the CIS alerts get a chain; CIS's exact CloudWatch.6 pattern misses the unknown-user failure."""
    lab.deploy(email="you@example.com", sms="+447700900123", cis=True)
    finding = doctor(lab).finding("CloudWatch.6", "filter.pattern-matches")
    assert ("AT RISK", True) == (finding.status, "Sign-in failure caused by incorrect user name" in finding.read)


def test_to_json_names_the_headline_per_alert(deployed: Lab) -> None:
    """The JSON form has one headline per alert, null where nothing is broken."""
    deployed.client("cloudwatch").disable_alarm_actions(AlarmNames=["signin-console-failure-iam"])
    data = json.loads(doctor(deployed).to_json())
    assert "alarm.actions-enabled" == data["headlines"]["failure-iam"]
    assert data["headlines"]["success-root"] is None


# -- trail ---------------------------------------------------------------------------------------
def test_single_region_trail_breaks_root_alerts(deployed: Lab) -> None:
    """A single-Region trail outside us-east-1 never records root sign-ins: BROKEN for root alerts."""
    deployed.client("cloudtrail").update_trail(Name=TRAIL, IsMultiRegionTrail=False)
    d = doctor(deployed)
    assert ("trail.multi-region", "AT RISK") == (
        d.headline("success-root").id,
        _status(d, "success-iam", "trail.multi-region"),
    )


def test_stopped_trail_is_broken(deployed: Lab) -> None:
    """A trail that stopped logging records nothing."""
    deployed.client("cloudtrail").stop_logging(Name=TRAIL)
    assert "trail.logging" == doctor(deployed).headline("failure-iam").id


def test_read_only_management_events_is_broken(deployed: Lab) -> None:
    """ConsoleLogin is a write event: a trail logging only read events misses it."""
    deployed.client("cloudtrail").put_event_selectors(
        TrailName=TRAIL, EventSelectors=[{"ReadWriteType": "ReadOnly", "IncludeManagementEvents": True}])
    assert "trail.management-events" == doctor(deployed).headline("failure-iam").id


def test_deleted_trail_is_the_headline(deployed: Lab) -> None:
    """No trail at all: the first link is broken."""
    deployed.client("cloudtrail").delete_trail(Name=TRAIL)
    assert "trail.exists" == doctor(deployed).headline("success-root").id


# -- delivery ------------------------------------------------------------------------------------
def test_trail_without_log_group_is_broken(deployed: Lab) -> None:
    """A trail that sends nothing to CloudWatch Logs breaks delivery."""
    deployed.client("cloudtrail").update_trail(Name=TRAIL, CloudWatchLogsLogGroupArn="", CloudWatchLogsRoleArn="")
    assert "delivery.log-group" == doctor(deployed).headline("failure-root").id


def test_trail_into_another_log_group_is_broken(deployed: Lab) -> None:
    """A trail writing to another log group than the one the filters are on breaks delivery."""
    logs = deployed.client("logs")
    logs.create_log_group(logGroupName="other-group")
    deployed.client("cloudtrail").update_trail(
        Name=TRAIL, CloudWatchLogsLogGroupArn=f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:other-group:*",
        CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/{ROLE}")
    assert "delivery.log-group" == doctor(deployed).headline("failure-root").id


def test_role_policy_removed_is_broken(deployed: Lab) -> None:
    """Without its policy the role cannot write: CloudTrail's delivery fails."""
    deployed.client("iam").delete_role_policy(RoleName=ROLE, PolicyName=INLINE_POLICY)
    d = doctor(deployed)
    assert ("delivery.role", "logs:CreateLogStream, logs:PutLogEvents") == (
        d.headline("failure-iam").id, d.headline("failure-iam").read.rsplit(": ", 1)[1])


def test_role_policy_for_another_log_group_is_broken(deployed: Lab) -> None:
    """A role allowed to write only to another log group's streams cannot deliver here."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:other-group:log-stream:*",
            }
        ],
    }
    deployed.client("iam").put_role_policy(RoleName=ROLE, PolicyName=INLINE_POLICY, PolicyDocument=json.dumps(policy))
    assert "BROKEN" == _status(doctor(deployed), "failure-iam", "delivery.role")


def test_role_with_wildcard_logs_policy_is_ok(deployed: Lab) -> None:
    """logs:* on every resource (an attached managed policy) lets CloudTrail write."""
    iam = deployed.client("iam")
    iam.delete_role_policy(RoleName=ROLE, PolicyName=INLINE_POLICY)
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}
    arn = iam.create_policy(PolicyName="logs-all", PolicyDocument=json.dumps(doc))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName=ROLE, PolicyArn=arn)
    assert "OK" == _status(doctor(deployed), "failure-iam", "delivery.role")


# -- log group -----------------------------------------------------------------------------------
def test_days_old_newest_event_is_at_risk(deployed: Lab) -> None:
    """Nothing arrived for three days: the log group is not being fed."""
    logs = deployed.client("logs")
    stream = f"{ACCOUNT}_CloudTrail_eu-west-1_1"
    logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=stream)
    three_days_ago = int((time.time() - 3 * 86400) * 1000)
    logs.put_log_events(
        logGroupName=LOG_GROUP, logStreamName=stream, logEvents=[{"timestamp": three_days_ago, "message": "{}"}]
    )
    finding = doctor(deployed, now=datetime.now(UTC)).finding("failure-iam", "log-group.recent-events")
    assert ("AT RISK", True) == (finding.status, "3.0 days" in finding.read)


def test_recent_event_is_ok(deployed: Lab) -> None:
    """An event a minute old: the log group is being fed."""
    logs = deployed.client("logs")
    stream = f"{ACCOUNT}_CloudTrail_eu-west-1_1"
    logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=stream)
    logs.put_log_events(logGroupName=LOG_GROUP, logStreamName=stream,
                        logEvents=[{"timestamp": int((time.time() - 60) * 1000), "message": "{}"}])
    assert "OK" == _status(doctor(deployed, now=datetime.now(UTC)), "failure-iam", "log-group.recent-events")


def test_deleted_log_group_is_broken(deployed: Lab) -> None:
    """With its log group gone, the trail has nowhere to deliver and no filter to run."""
    deployed.client("logs").delete_log_group(logGroupName=LOG_GROUP)
    assert "BROKEN" == _status(doctor(deployed), "failure-iam", "log-group.exists")


# -- metric filter -------------------------------------------------------------------------------
def test_blogs_lowercase_root_pattern_is_broken(deployed: Lab) -> None:
    """The blog's `"root"` never matches CloudTrail's "Root": the finding names the field and the value."""
    _replace_filter(deployed, "success-root", BLOG_ROOT_PATTERN_TEMPLATE.format(result="Success"))
    head = doctor(deployed).headline("success-root")
    assert ("filter.pattern-matches", True) == (head.id, 'the record has $.userIdentity.type = "Root"' in head.read)


def test_pattern_on_a_missing_field_is_broken(deployed: Lab) -> None:
    """A comparison on a field the record lacks is false: the finding says the field is not there."""
    _replace_filter(
        deployed, "failure-iam", '{ ($.eventName = "ConsoleLogin") && ($.responseElements.Login = "Failure") }'
    )
    head = doctor(deployed).headline("failure-iam")
    assert ("filter.pattern-matches", True) == (head.id, "no field $.responseElements.Login" in head.read)


def test_pattern_missing_some_records_is_at_risk(deployed: Lab) -> None:
    """A pattern that catches only wrong-password failures misses the unknown-user one: AT RISK."""
    _replace_filter(
        deployed,
        "failure-iam",
        '{ ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") '
        '&& ($.userIdentity.type = "IAMUser") }',
    )
    assert "AT RISK" == _status(doctor(deployed), "failure-iam", "filter.pattern-matches")


def test_users_records_are_tested_too(deployed: Lab) -> None:
    """records= adds the user's own records; a miss among them is named by position and eventID."""
    from signin_lab.events import samples

    record = samples.console_login("success", "root", datetime(2025, 3, 3, 9, 0, tzinfo=UTC))
    record["userIdentity"]["type"] = "Root"
    _replace_filter(
        deployed,
        "success-root",
        '{ ($.eventName = "ConsoleLogin") && ($.userIdentity.type = "Root") '
        f'&& ($.responseElements.ConsoleLogin = "Success") && ($.sourceIPAddress != "{record["sourceIPAddress"]}") }}',
    )
    finding = doctor(deployed, alert="success-root", records=[record]).finding("success-root", "filter.pattern-matches")
    assert ("AT RISK", True) == (finding.status, "your record #1" in finding.read)


def test_deleted_metric_filter_is_broken(deployed: Lab) -> None:
    """No metric filter: nothing turns records into datapoints."""
    deployed.client("logs").delete_metric_filter(logGroupName=LOG_GROUP, filterName="signin-console-failure-iam")
    assert "filter.exists" == doctor(deployed).headline("failure-iam").id


# -- metric --------------------------------------------------------------------------------------
def test_no_default_value_with_missing_data_is_at_risk(deployed: Lab) -> None:
    """No default value and TreatMissingData missing: the alarm sits in INSUFFICIENT_DATA."""
    _replace_filter(deployed, "failure-iam", deployed.config.alert("failure-iam").pattern, default=None)
    assert "AT RISK" == _status(doctor(deployed), "failure-iam", "metric.default-value")


def test_no_default_value_with_not_breaching_is_ok(deployed: Lab) -> None:
    """No default value is fine when the alarm treats missing data as notBreaching."""
    _replace_filter(deployed, "failure-iam", deployed.config.alert("failure-iam").pattern, default=None)
    args = {**_alarm_args(deployed, "failure-iam"), "TreatMissingData": "notBreaching"}
    deployed.client("cloudwatch").put_metric_alarm(**args)
    assert "OK" == _status(doctor(deployed), "failure-iam", "metric.default-value")


@pytest.mark.parametrize("field,value", [("Namespace", "CloudTrail"), ("MetricName", "signin-console-root-success")])
def test_alarm_on_another_metric_is_broken(deployed: Lab, field: str, value: str) -> None:
    """An alarm on another namespace or metric name never sees the filter's datapoints."""
    args = {**_alarm_args(deployed, "success-root"), field: value}
    deployed.client("cloudwatch").put_metric_alarm(**args)
    assert "metric.matches-alarm" == doctor(deployed).headline("success-root").id


def test_alarm_in_another_region_is_broken(deployed: Lab) -> None:
    """The alarm made in us-east-1 watches a metric that exists only in eu-west-1."""
    args = _alarm_args(deployed, "success-root")
    deployed.client("cloudwatch").delete_alarms(AlarmNames=["signin-console-success-root"])
    deployed.client("cloudwatch", "us-east-1").put_metric_alarm(**args)
    assert "alarm.region" == doctor(deployed).headline("success-root").id


# -- alarm, action -------------------------------------------------------------------------------
def test_deleted_alarm_is_broken(deployed: Lab) -> None:
    """No alarm anywhere: nothing turns the metric into a notification."""
    deployed.client("cloudwatch").delete_alarms(AlarmNames=["signin-console-success-iam"])
    assert "alarm.exists" == doctor(deployed).headline("success-iam").id


def test_threshold_one_sign_in_cannot_reach_is_broken(deployed: Lab) -> None:
    """Threshold 1 with GreaterThanThreshold: one sign-in (Sum 1) never puts the alarm in ALARM."""
    args = {**_alarm_args(deployed, "success-iam"), "Threshold": 1.0}
    deployed.client("cloudwatch").put_metric_alarm(**args)
    assert "alarm.threshold" == doctor(deployed).headline("success-iam").id


def test_disabled_alarm_actions_are_broken(deployed: Lab) -> None:
    """An alarm with actions disabled changes state and publishes nothing."""
    deployed.client("cloudwatch").disable_alarm_actions(AlarmNames=["signin-console-success-root"])
    head = doctor(deployed).headline("success-root")
    assert (
        "alarm.actions-enabled",
        "aws cloudwatch enable-alarm-actions --alarm-names signin-console-success-root",
    ) == (head.id, head.cli)


def test_alarm_without_topic_is_broken(deployed: Lab) -> None:
    """An alarm with no SNS action notifies nobody."""
    args = {**_alarm_args(deployed, "failure-root"), "AlarmActions": []}
    deployed.client("cloudwatch").put_metric_alarm(**args)
    assert "alarm.action-topic" == doctor(deployed).headline("failure-root").id


# -- topic ---------------------------------------------------------------------------------------
def _set_policy(lab: Lab, key: str, statements: list[dict[str, object]]) -> None:
    doc = {"Version": "2012-10-17", "Statement": statements}
    lab.client("sns").set_topic_attributes(TopicArn=_topic(key), AttributeName="Policy", AttributeValue=json.dumps(doc))


def test_topic_policy_without_cloudwatch_is_broken(deployed: Lab) -> None:
    """A topic policy that only lets the account publish shuts CloudWatch out."""
    _set_policy(deployed, "failure-iam", [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                                           "Action": "SNS:Publish", "Resource": _topic("failure-iam")}])
    assert "topic.policy-cloudwatch" == doctor(deployed).headline("failure-iam").id


def test_topic_policy_for_another_alarm_is_broken(deployed: Lab) -> None:
    """A CloudWatch statement conditioned on another alarm's ARN does not cover this alarm."""
    _set_policy(deployed, "failure-iam", [{"Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
                                           "Action": "SNS:Publish", "Resource": _topic("failure-iam"),
                                           "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:"
                                                                     f"{ACCOUNT}:alarm:other"}}}])
    assert "BROKEN" == _status(doctor(deployed), "failure-iam", "topic.policy-cloudwatch")


def test_deleted_topic_is_broken(deployed: Lab) -> None:
    """The alarm's action names a topic that no longer exists."""
    deployed.client("sns").delete_topic(TopicArn=_topic("success-iam"))
    assert "topic.exists" == doctor(deployed).headline("success-iam").id


def test_kms_key_without_cloudwatch_grant_is_broken(deployed: Lab) -> None:
    """A customer managed key whose default policy names only the account: CloudWatch cannot encrypt."""
    key = deployed.client("kms").create_key(Description="topic key")["KeyMetadata"]["KeyId"]
    deployed.client("sns").set_topic_attributes(
        TopicArn=_topic("success-root"), AttributeName="KmsMasterKeyId", AttributeValue=key
    )
    head = doctor(deployed).headline("success-root")
    assert ("topic.kms-key", True) == (head.id, "kms:GenerateDataKey, kms:Decrypt" in head.read)


def test_kms_key_granting_cloudwatch_is_ok(deployed: Lab) -> None:
    """A key policy letting cloudwatch.amazonaws.com use kms:GenerateDataKey* and kms:Decrypt is fine."""
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*"}]}
    key = deployed.client("kms").create_key(Policy=json.dumps(policy))["KeyMetadata"]["KeyId"]
    deployed.client("sns").set_topic_attributes(
        TopicArn=_topic("success-root"), AttributeName="KmsMasterKeyId", AttributeValue=key
    )
    assert "OK" == _status(doctor(deployed), "success-root", "topic.kms-key")


def test_aws_managed_sns_key_is_broken(deployed: Lab) -> None:
    """alias/aws/sns: the AWS managed key's policy cannot let CloudWatch use it."""
    deployed.client("sns").set_topic_attributes(TopicArn=_topic("failure-root"), AttributeName="KmsMasterKeyId",
                                                AttributeValue="alias/aws/sns")
    assert "topic.kms-key" == doctor(deployed).headline("failure-root").id


# -- subscription, endpoint ----------------------------------------------------------------------
def test_missing_email_subscription_is_broken(deployed: Lab) -> None:
    """The configured address has no subscription on the topic."""
    sns = deployed.client("sns")
    for s in sns.list_subscriptions_by_topic(TopicArn=_topic("success-root"))["Subscriptions"]:
        if s["Protocol"] == "email":
            sns.unsubscribe(SubscriptionArn=s["SubscriptionArn"])
    assert "subscription.exists" == doctor(deployed).headline("success-root").id


def test_spend_limit_of_one_dollar_is_at_risk(deployed: Lab) -> None:
    """MonthlySpendLimit 1 USD: SNS stops sending SMS after a handful of messages."""
    deployed.client("sns").set_sms_attributes(attributes={"MonthlySpendLimit": "1"})
    assert "AT RISK" == _status(doctor(deployed), "success-root", "sms.spend-limit")


def test_raised_spend_limit_is_ok(deployed: Lab) -> None:
    """MonthlySpendLimit above 1 USD is fine."""
    deployed.client("sns").set_sms_attributes(attributes={"MonthlySpendLimit": "10"})
    assert "OK" == _status(doctor(deployed), "success-root", "sms.spend-limit")


def test_sms_checks_only_where_there_is_an_sms_subscription(deployed: Lab) -> None:
    """Only the alert with an SMS subscription gets SMS findings."""
    d = doctor(deployed)
    assert ["success-root"] == sorted({f.alert for f in d.findings if f.id.startswith("sms.")})


def test_signin_lab_doctor_is_callable_whatever_was_imported_first(deployed: Lab) -> None:
    """`signin_lab.doctor(lab)` diagnoses even after `signin_lab.doctor.chain` bound the name to the package."""
    import signin_lab
    import signin_lab.doctor.chain  # binds signin_lab.doctor to the package

    assert ["failure-iam"] == signin_lab.doctor(deployed, alert="failure-iam").alerts


def test_single_region_trail_in_us_east_1_serves_root_alerts() -> None:
    """A single-Region trail homed in us-east-1 records root sign-ins: OK for root, AT RISK for IAM users."""
    with Lab.moto(region="us-east-1") as lab:
        lab.deploy(email="you@example.com")
        lab.client("cloudtrail").update_trail(Name=TRAIL, IsMultiRegionTrail=False)
        d = doctor(lab)
        assert ("OK", "AT RISK") == (_status(d, "success-root", "trail.multi-region"),
                                     _status(d, "success-iam", "trail.multi-region"))


def test_records_path_is_loaded(deployed: Lab, tmp_path: Path) -> None:
    """records= a file path reads it with load_records; its records join AWS's examples."""
    from signin_lab.events import samples

    record = samples.console_login("failure", "iam", datetime(2025, 3, 3, 9, 0, tzinfo=UTC))
    path = tmp_path / "trail.json"
    path.write_text(json.dumps({"Records": [record]}))
    finding = doctor(deployed, alert="failure-iam", records=str(path)).finding("failure-iam", "filter.pattern-matches")
    assert "matches 4 of 4 failure-iam records" in finding.read


def test_every_rule_cites_an_aws_page() -> None:
    """Every rule the doctor applies names the AWS documentation (or Knowledge Center) page it comes from."""
    from signin_lab.doctor.rules import RULES

    assert [] == [k for k, r in RULES.items() if not r.doc.startswith(("https://docs.aws.amazon.com/", "https://repost.aws/"))]


def test_topic_policy_deny_for_cloudwatch_is_broken(deployed: Lab) -> None:
    """An explicit Deny on SNS:Publish for CloudWatch overrides the kit's Allow statement."""
    doc = json.loads(
        deployed.client("sns").get_topic_attributes(TopicArn=_topic("failure-iam"))["Attributes"]["Policy"]
    )
    deny = {"Sid": "NoServices", "Effect": "Deny", "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "SNS:Publish", "Resource": _topic("failure-iam")}
    _set_policy(deployed, "failure-iam", [*doc["Statement"], deny])
    assert "topic.policy-cloudwatch" == doctor(deployed).headline("failure-iam").id


# -- --records s3:// -----------------------------------------------------------------------------
def test_records_from_the_trails_bucket_are_tested(deployed: Lab) -> None:
    """records="s3://<trail bucket>/": the replayed records are read back through the lab's S3 client."""
    from signin_lab.events import samples

    deployed.replay(samples.aws_examples())
    d = doctor(deployed, records=f"s3://{deployed.config.bucket}/", alert="success-root")
    # AWS's 3 documented root successes, and the same 3 again as the trail wrote them to S3
    assert d.finding("success-root", "filter.pattern-matches").read.endswith("matches 6 of 6 success-root records")


def test_records_from_a_missing_bucket_is_one_line_error(deployed: Lab) -> None:
    """An s3:// URL on a bucket that does not exist is a SigninLabError naming the bucket."""
    with pytest.raises(SigninLabError, match="no-such-bucket-example"):
        doctor(deployed, records="s3://no-such-bucket-example/AWSLogs/")
