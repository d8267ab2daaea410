"""Every rule the doctor applies: its link, why it matters, the AWS page it comes from, and the fix.

The fix is given twice, as a console step and as an AWS CLI command; `{placeholders}` are filled
with the user's own names (trail, log group, alarm, topic ARN, ...), never anything else.
"""

from __future__ import annotations

from dataclasses import dataclass

from signin_lab.doctor.model import Finding, Status


@dataclass(frozen=True)
class Rule:
    """One check: the link it belongs to, why it matters, its AWS source, and the two fixes."""

    link: str
    why: str
    doc: str
    console: str
    cli: str


_SIGNIN_EVENTS = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html"
_CT_TO_LOGS = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html"
_NOTIFY = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html"
_MISSING = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html"
_CONCEPTS = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Metric"
_EB_CT = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html"

RULES: dict[str, Rule] = {
    "trail.exists": Rule(
        "trail",
        "Without a trail nothing records the sign-in, so nothing downstream can see it.",
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html",
        "CloudTrail > Trails > Create trail, apply to all Regions, send to CloudWatch Logs group {log_group}.",
        "aws cloudtrail create-trail --name {trail} --s3-bucket-name {bucket} --is-multi-region-trail "
        "--cloud-watch-logs-log-group-arn {log_group_arn} --cloud-watch-logs-role-arn {role_arn}",
    ),
    "trail.logging": Rule(
        "trail",
        "A trail that is not logging records nothing (GetTrailStatus IsLogging).",
        "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html",
        "CloudTrail > Trails > {trail} > Start logging.",
        "aws cloudtrail start-logging --name {trail}",
    ),
    "trail.multi-region": Rule(
        "trail",
        "Root sign-ins are recorded in us-east-1 and IAM-user sign-ins in the Region of the sign-in "
        "endpoint, so a single-Region trail elsewhere never sees them.",
        _SIGNIN_EVENTS,
        "CloudTrail > Trails > {trail} > General details > Edit > Enable for all accounts/Regions "
        "(multi-Region trail).",
        "aws cloudtrail update-trail --name {trail} --is-multi-region-trail --include-global-service-events",
    ),
    "trail.management-events": Rule(
        "trail",
        "ConsoleLogin is a write management event (readOnly false): a trail must log management "
        "events, All or WriteOnly, to record it.",
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html",
        "CloudTrail > Trails > {trail} > Management events > Edit > API activity: Read and Write.",
        "aws cloudtrail put-event-selectors --trail-name {trail} "
        '--event-selectors \'[{{"ReadWriteType":"All","IncludeManagementEvents":true}}]\'',
    ),
    "delivery.log-group": Rule(
        "delivery",
        "CloudTrail sends events to CloudWatch Logs only when the trail names a log group, and only to that one.",
        _CT_TO_LOGS,
        "CloudTrail > Trails > {trail} > CloudWatch Logs > Edit > Enabled, log group {log_group}, role {role}.",
        "aws cloudtrail update-trail --name {trail} --cloud-watch-logs-log-group-arn {log_group_arn} "
        "--cloud-watch-logs-role-arn {role_arn}",
    ),
    "delivery.role": Rule(
        "delivery",
        "CloudTrail assumes the trail's role to call CreateLogStream and PutLogEvents on the log "
        "group's CloudTrail streams; without both, delivery fails silently to the user.",
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html",
        "IAM > Roles > {role} > Add permissions: logs:CreateLogStream and logs:PutLogEvents on {stream_arn}.",
        "aws iam put-role-policy --role-name {role} --policy-name {policy} --policy-document file://policy.json "
        "(the two statements on the AWS page, Resource {stream_arn})",
    ),
    "delivery.errors": Rule(
        "delivery",
        "GetTrailStatus reports the last error CloudTrail met delivering to CloudWatch Logs.",
        "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html",
        "CloudTrail > Trails > {trail}: read the CloudWatch Logs delivery error, then fix the role or log "
        "group it names.",
        "aws cloudtrail get-trail-status --name {trail} --query LatestCloudWatchLogsDeliveryError",
    ),
    "log-group.exists": Rule(
        "log group",
        "The metric filters live on the log group CloudTrail writes to; if it is gone, nothing is counted.",
        _CT_TO_LOGS,
        "CloudWatch > Log groups > Create log group {log_group}, then point the trail at it.",
        "aws logs create-log-group --log-group-name {log_group}",
    ),
    "log-group.recent-events": Rule(
        "log group",
        "A trail that logs management events delivers every few minutes; a log group whose newest "
        "event is days old is not being fed (LogStream lastEventTimestamp).",
        "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_LogStream.html",
        "CloudWatch > Log groups > {log_group} > Log streams: check the newest stream, then the trail's "
        "delivery status.",
        "aws logs describe-log-streams --log-group-name {log_group} --order-by LastEventTime --descending "
        "--max-items 1",
    ),
    "filter.exists": Rule(
        "metric filter",
        "Only a metric filter on the trail's log group turns a sign-in record into a metric datapoint.",
        "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricFilter.html",
        "CloudWatch > Log groups > {log_group} > Metric filters > Create metric filter {filter}.",
        "aws logs put-metric-filter --log-group-name {log_group} --filter-name {filter} "
        "--filter-pattern '{pattern}' --metric-transformations "
        "metricName={metric},metricNamespace={namespace},metricValue=1,defaultValue=0",
    ),
    "filter.pattern-matches": Rule(
        "metric filter",
        "Filter patterns are case-sensitive and a comparison on a field the record lacks is false, "
        "so a pattern can be valid and still never match a real sign-in record.",
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html",
        "CloudWatch > Log groups > {log_group} > Metric filters > {filter} > Edit: test the pattern "
        "on the sign-in record named here and correct the field that differs.",
        "aws logs test-metric-filter --filter-pattern '{pattern}' --log-event-messages file://record.json",
    ),
    "metric.default-value": Rule(
        "metric",
        "Without a default value the filter emits nothing when nothing matches, and an alarm that "
        "treats missing data as missing then sits in INSUFFICIENT_DATA.",
        _MISSING,
        "CloudWatch > Alarms > {alarm} > Edit > Missing data treatment: Treat missing data as good "
        "(or set the metric filter's default value to 0).",
        "aws cloudwatch put-metric-alarm ... --alarm-name {alarm} --treat-missing-data notBreaching",
    ),
    "metric.matches-alarm": Rule(
        "metric",
        "A metric is identified by namespace, name and dimensions, and exists only in the Region "
        "where it is emitted: an alarm on any other metric never sees the filter's datapoints.",
        _CONCEPTS,
        "CloudWatch > Alarms > {alarm} > Edit > Metric: choose {namespace} / {metric} with no dimensions.",
        "aws cloudwatch put-metric-alarm ... --alarm-name {alarm} --namespace {namespace} --metric-name {metric}",
    ),
    "alarm.exists": Rule(
        "alarm",
        "Only an alarm turns the metric into a notification; metrics exist only in the Region where "
        "they are created, so the alarm must be in the log group's Region.",
        _CONCEPTS,
        "CloudWatch (Region {region}) > Alarms > Create alarm on {namespace} / {metric}, Sum over 5 minutes > 0.",
        "aws cloudwatch put-metric-alarm --region {region} --alarm-name {alarm} --namespace {namespace} "
        "--metric-name {metric} --statistic Sum --period 300 --evaluation-periods 1 --threshold 0 "
        "--comparison-operator GreaterThanThreshold --alarm-actions {topic_arn}",
    ),
    "alarm.region": Rule(
        "alarm",
        "Metrics exist only in the Region where they are created: a metric filter emits in its log "
        "group's Region, so an alarm in any other Region watches a metric that never gets data.",
        _CONCEPTS,
        "CloudWatch (Region {region}) > Alarms > Create alarm on {namespace} / {metric}; delete the one in "
        "the other Region.",
        "aws cloudwatch put-metric-alarm --region {region} --alarm-name {alarm} --namespace {namespace} "
        "--metric-name {metric} --statistic Sum --period 300 --evaluation-periods 1 --threshold 0 "
        "--comparison-operator GreaterThanThreshold --alarm-actions {topic_arn}",
    ),
    "alarm.threshold": Rule(
        "alarm",
        "One sign-in emits one datapoint of the filter's metric value; the alarm must go to ALARM on it.",
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html",
        "CloudWatch > Alarms > {alarm} > Edit > Conditions: Greater than 0.",
        "aws cloudwatch put-metric-alarm ... --alarm-name {alarm} --threshold 0 --comparison-operator "
        "GreaterThanThreshold",
    ),
    "alarm.actions-enabled": Rule(
        "action",
        "An alarm with actions disabled changes state but runs none of its actions, so nothing is published.",
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_EnableAlarmActions.html",
        "CloudWatch > Alarms > {alarm} > Actions > Enable actions.",
        "aws cloudwatch enable-alarm-actions --alarm-names {alarm}",
    ),
    "alarm.action-topic": Rule(
        "action",
        "The alarm notifies only the SNS topics listed in its AlarmActions.",
        _NOTIFY,
        "CloudWatch > Alarms > {alarm} > Edit > Notification: In alarm, send to {topic}.",
        "aws cloudwatch put-metric-alarm ... --alarm-name {alarm} --alarm-actions {topic_arn}",
    ),
    "topic.exists": Rule(
        "topic",
        "An alarm action naming a topic that does not exist publishes nowhere.",
        "https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html",
        "SNS > Topics > Create topic {topic} (Standard), then subscribe the address.",
        "aws sns create-topic --name {topic}",
    ),
    "topic.policy-cloudwatch": Rule(
        "topic",
        "CloudWatch publishes as the service principal cloudwatch.amazonaws.com; the topic policy must "
        "allow it SNS:Publish (with aws:SourceArn the alarm's ARN if conditioned).",
        _NOTIFY,
        "SNS > Topics > {topic} > Edit > Access policy: allow Service cloudwatch.amazonaws.com SNS:Publish, "
        "aws:SourceArn {alarm_arn}.",
        "aws sns set-topic-attributes --topic-arn {topic_arn} --attribute-name Policy --attribute-value file://policy.json",
    ),
    "topic.kms-key": Rule(
        "topic",
        "On an encrypted topic the publisher needs kms:GenerateDataKey* and kms:Decrypt on the key; "
        "the AWS managed key alias/aws/sns cannot grant them to CloudWatch, so use a customer managed key.",
        "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services",
        "KMS > Customer managed keys > {key} > Key policy: allow Service cloudwatch.amazonaws.com "
        "kms:Decrypt and kms:GenerateDataKey* (or SNS > {topic} > Encryption: a key that does).",
        "aws kms put-key-policy --key-id {key} --policy-name default --policy file://key-policy.json",
    ),
    "subscription.exists": Rule(
        "subscription",
        "A topic delivers only to its subscriptions; without one for the address nothing arrives.",
        "https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html",
        "SNS > Topics > {topic} > Create subscription: {protocol} {endpoint}.",
        "aws sns subscribe --topic-arn {topic_arn} --protocol {protocol} --notification-endpoint {endpoint}",
    ),
    "subscription.confirmed": Rule(
        "subscription",
        "An email subscription receives nothing until its owner follows the confirmation link; "
        "until then ListSubscriptionsByTopic shows PendingConfirmation.",
        "https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html",
        "Open the 'AWS Notification - Subscription Confirmation' email at {endpoint} and choose Confirm "
        "subscription (SNS > Subscriptions > Request confirmation to resend it).",
        "aws sns subscribe --topic-arn {topic_arn} --protocol {protocol} --notification-endpoint {endpoint} "
        "(sends a new confirmation message)",
    ),
    "sms.sandbox": Rule(
        "endpoint",
        "While the account is in the SMS sandbox, SNS sends SMS only to verified destination numbers.",
        "https://docs.aws.amazon.com/sns/latest/dg/sns-sms-sandbox.html",
        "SNS > Mobile > Text messaging (SMS) > Sandbox destination phone numbers > Add {endpoint} and "
        "verify it, or Exit SMS sandbox.",
        "aws sns create-sms-sandbox-phone-number --phone-number {endpoint}",
    ),
    "sms.spend-limit": Rule(
        "endpoint",
        "SNS stops sending SMS within minutes once the month's spend would pass MonthlySpendLimit; "
        "a new account's limit is 1 USD, a handful of messages.",
        # "We set the spending quota for all new accounts at $1.00 (USD) per month." (the SetSMSAttributes
        # API page says the default limit is "the maximum allowed", which for a new account is that quota)
        "https://docs.aws.amazon.com/sns/latest/dg/channels-sms-awssupport-spend-threshold.html",
        "SNS > Mobile > Text messaging (SMS) > Text messaging preferences > Edit > Account spend limit "
        "(above 1 USD needs a quota increase).",
        "aws sns set-sms-attributes --attributes MonthlySpendLimit=10",
    ),
    "sms.sender-id": Rule(
        "endpoint",
        "Sending SMS to the UK needs an origination identity for the UK (a registered sender ID); "
        "without one sending fails with NO_ORIGINATION_IDENTITIES_FOUND.",
        "https://repost.aws/knowledge-center/end-user-messaging-send-sms-messages-uk-number",
        "AWS End User Messaging SMS > Configurations > Sender IDs > Request sender ID for {country}.",
        "aws pinpoint-sms-voice-v2 request-sender-id --sender-id SIGNIN --iso-country-code {country}",
    ),
    # -- the EventBridge design ------------------------------------------------------------
    "design.not-deployed": Rule(
        "design",
        "None of this design's resources were found, so it is not diagnosed link by link; "
        "the other design carries the alerts.",
        "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html",
        "Deploy it if you meant to: signin-lab deploy --design {design}.",
        "signin-lab deploy --design {design}",
    ),
    "eventbridge.forward-rule": Rule(
        "forward",
        "A rule on the default bus sees only its own Region's events; sign-ins recorded in another Region "
        "reach the central Region only through a rule there forwarding to the central bus.",
        _SIGNIN_EVENTS,
        "EventBridge ({region}) > Rules > Create rule on the default bus, pattern source aws.signin and "
        "detail.eventName ConsoleLogin, target the event bus {bus_arn} with a role.",
        "aws events put-rule --region {region} --name signin-forward --event-pattern file://pattern.json; "
        "aws events put-targets --region {region} --rule signin-forward --targets "
        "Id=bus,Arn={bus_arn},RoleArn=ROLE_ARN",
    ),
    "eventbridge.forward-enabled": Rule(
        "forward",
        "A disabled rule won't match any events (State DISABLED).",
        "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DisableRule.html",
        "EventBridge ({region}) > Rules > {rule} > Enable.",
        "aws events enable-rule --region {region} --name {rule}",
    ),
    "eventbridge.forward-pattern": Rule(
        "forward",
        "The forwarding rule's pattern must match the sign-ins of this alert's kind or they stay in their Region.",
        _EB_CT,
        "EventBridge ({region}) > Rules > {rule} > Edit > Event pattern: source aws.signin, "
        "detail.eventName ConsoleLogin.",
        "aws events put-rule --region {region} --name {rule} --event-pattern file://pattern.json",
    ),
    "eventbridge.forward-target": Rule(
        "forward",
        "The forwarding rule's target must be the central Region's default bus.",
        "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html",
        "EventBridge ({region}) > Rules > {rule} > Targets > Edit: event bus in another Region, {bus_arn}.",
        "aws events put-targets --region {region} --rule {rule} --targets Id=bus,Arn={bus_arn},RoleArn=ROLE_ARN",
    ),
    "eventbridge.forward-role": Rule(
        "forward",
        "EventBridge sends to another Region's bus with the target's role: events.amazonaws.com must "
        "be able to assume it and it must allow events:PutEvents on the central bus.",
        "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html",
        "IAM > Roles > {role}: trust events.amazonaws.com; allow events:PutEvents on {bus_arn}.",
        "aws iam put-role-policy --role-name {role} --policy-name PutEventsOnCentralBus --policy-document file://policy.json",
    ),
    "eventbridge.rule-exists": Rule(
        "rule",
        "In the central Region one rule per alert turns the alert's kind of sign-in into a message to its topic.",
        _EB_CT,
        "EventBridge ({region}) > Rules > Create rule {rule} on the default bus with the alert's pattern "
        "and its SNS topic.",
        "signin-lab deploy --design eventbridge",
    ),
    "eventbridge.rule-enabled": Rule(
        "rule",
        "A disabled rule won't match any events (State DISABLED).",
        "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DisableRule.html",
        "EventBridge ({region}) > Rules > {rule} > Enable.",
        "aws events enable-rule --region {region} --name {rule}",
    ),
    "eventbridge.pattern-matches": Rule(
        "rule",
        "The rule's event pattern must match AWS's documented sign-in events (source aws.signin, "
        "detail.eventName ConsoleLogin) or the rule never runs.",
        _EB_CT,
        "EventBridge > Rules > {rule} > Edit > Event pattern: test it against the sign-in event.",
        "aws events test-event-pattern --event-pattern file://pattern.json --event file://event.json",
    ),
    "eventbridge.detail-type": Rule(
        "rule",
        "AWS's pages spell the detail-type two ways ('AWS Console Sign In via CloudTrail', 'AWS Console "
        "Signin via CloudTrail'); a pattern that needs one spelling is one documentation error away from silence.",
        _EB_CT,
        "EventBridge > Rules > {rule} > Edit > Event pattern: drop detail-type, match source aws.signin "
        "and detail.eventName ConsoleLogin.",
        "aws events put-rule --name {rule} --event-pattern file://pattern.json",
    ),
    "eventbridge.target": Rule(
        "target",
        "A rule with no SNS target matches and delivers nowhere.",
        "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html",
        "EventBridge > Rules > {rule} > Targets > Add target: SNS topic.",
        "aws events put-targets --rule {rule} --targets Id=sns,Arn={topic_arn}",
    ),
    "eventbridge.input-transformer": Rule(
        "target",
        "Without an input transformer the whole event JSON is sent: readable by email, cut into "
        "several billed parts by SMS; one that renders nothing sends an empty message.",
        "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html",
        "EventBridge > Rules > {rule} > Targets > Edit > Additional settings > Input transformer.",
        "aws events put-targets --rule {rule} --targets file://targets.json (with InputTransformer)",
    ),
    "eventbridge.topic-policy": Rule(
        "topic",
        "EventBridge publishes to SNS as events.amazonaws.com; the topic policy must allow it SNS:Publish.",
        "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions",
        "SNS > Topics > {topic} > Edit > Access policy: allow Service events.amazonaws.com SNS:Publish.",
        "aws sns set-topic-attributes --topic-arn {topic_arn} --attribute-name Policy --attribute-value file://policy.json",
    ),
}


def finding(rule_id: str, alert: str, status: Status, read: str, **names: str) -> Finding:
    """A Finding for `rule_id`; the fixes are filled with `names` and given only when not OK."""
    rule = RULES[rule_id]
    console = cli = ""
    if status != "OK":
        console = _fill(rule.console, names)
        cli = _fill(rule.cli, names)
    return Finding(alert, rule.link, rule_id, status, read, rule.why, rule.doc, console, cli)


def _fill(template: str, names: dict[str, str]) -> str:
    class _Keep(dict[str, str]):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    return template.format_map(_Keep(names))
