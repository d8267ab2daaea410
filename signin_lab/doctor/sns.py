"""The SNS end of the chain for one alert: topic -> KMS key -> subscriptions -> endpoint (email, SMS).

SMS checks read the account's SMS settings (sandbox, MonthlySpendLimit) and, for destination
countries that need one, its origination identities (AWS End User Messaging SMS,
pinpoint-sms-voice-v2). moto implements none of the sandbox or origination reads, so there they
are UNKNOWN; tests drive them with botocore's Stubber and AWS's documented response shapes.
"""

from __future__ import annotations

from typing import Any

from signin_lab.doctor.chain import Context
from signin_lab.doctor.model import Finding
from signin_lab.doctor.reader import (
    Reader,
    ReadError,
    allows,
    as_list,
    policy_doc,
    principal_services,
    statements,
)
from signin_lab.doctor.rules import finding

#: Subscriptions awaiting confirmation list this instead of an ARN
#: (https://docs.aws.amazon.com/sns/latest/api/API_Subscription.html).
PENDING = "PendingConfirmation"
#: The AWS managed key for SNS: its key policy cannot be changed to let CloudWatch use it
#: (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
AWS_MANAGED_KEY = "alias/aws/sns"
#: Destination countries whose SMS need a registered origination identity, with the AWS page that
#: says so. Only the UK is encoded (the course's numbers are +44 7700 900xxx).
SENDER_ID_REQUIRED: dict[str, str] = {
    "GB": "https://repost.aws/knowledge-center/end-user-messaging-send-sms-messages-uk-number",
}
#: A new account's SMS spend limit (USD); see rules "sms.spend-limit".
DEFAULT_SPEND_LIMIT = 1.0


def topic_links(ctx: Context) -> tuple[list[Finding], dict[str, str] | None]:
    """topic.exists, topic.policy-cloudwatch, topic.kms-key; returns the topic's attributes."""
    arn = ctx.topic_arn
    if arn is None:
        return [], None
    ctx.names["topic_arn"] = arn
    ctx.names["topic"] = arn.rsplit(":", 1)[-1]
    got = ctx.reader.call("sns", "get_topic_attributes", region=_region(arn), TopicArn=arn)
    if isinstance(got, ReadError):
        if got.not_found:
            return [ctx.f("topic.exists", "BROKEN", f"sns GetTopicAttributes {arn}: no such topic")], None
        return [ctx.f("topic.exists", "UNKNOWN", f"{got} (the target cannot tell)")], None
    attrs: dict[str, str] = got["Attributes"]
    out = [ctx.f("topic.exists", "OK", f"sns GetTopicAttributes: {arn}")]
    alarm_arn = (ctx.alarm or {}).get("AlarmArn") or ctx.cfg.alarm_arn(ctx.alert)
    ctx.names["alarm_arn"] = alarm_arn
    out.append(publish_finding(ctx, "topic.policy-cloudwatch", attrs, "cloudwatch.amazonaws.com", alarm_arn))
    out.append(kms_finding(ctx, attrs, "cloudwatch.amazonaws.com"))
    return out, attrs


def _region(arn: str) -> str:
    return arn.split(":")[3]


def publish_finding(ctx: Context, rule_id: str, attrs: dict[str, str], service: str, source_arn: str) -> Finding:
    """Whether the topic policy lets `service` publish for `source_arn`.

    Allow statements with aws:SourceArn / aws:SourceAccount conditions are evaluated; an
    unconditional Deny breaks it; other conditions and conditional Denies make it AT RISK.
    """
    arn = attrs.get("TopicArn", ctx.topic_arn or "")
    doc = policy_doc(attrs.get("Policy"))
    account = ctx.cfg.account_id
    read = "sns GetTopicAttributes Policy: "
    # An explicit Deny overrides any Allow (IAM policy evaluation logic,
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
    denies = [s for s in statements(doc)
              if principal_services(s) & {service, "*"} and allows(s, "SNS:Publish", arn, effect="Deny")]
    if any(not s.get("Condition") for s in denies):
        return ctx.f(rule_id, "BROKEN", read + f"an unconditional Deny stops {service} publishing")
    verdicts = [
        (*_allow_conditions(s.get("Condition", {}), source_arn, account), s.get("Sid", ""))
        for s in statements(doc)
        if principal_services(s) & {service, "*"} and allows(s, "SNS:Publish", arn)
    ]
    if denies:
        unknown_denies = [f"Deny {s.get('Sid', '')}".strip() for s in denies]
        verdicts = [(ok, [*u, *unknown_denies], sid) for ok, u, sid in verdicts]
    if any(ok and not unknown for ok, unknown, _ in verdicts):
        return ctx.f(rule_id, "OK", read + f"{service} may publish for {source_arn}")
    if any(ok for ok, _, _ in verdicts):
        conds = sorted({u for ok, unknown, _ in verdicts if ok for u in unknown})
        return ctx.f(rule_id, "AT RISK", read + f"{service} may publish if {', '.join(conds)} hold (not evaluated)")
    if verdicts:
        return ctx.f(
            rule_id, "BROKEN", read + f"statements for {service} do not cover {source_arn} in account {account}"
        )
    return ctx.f(rule_id, "BROKEN", read + f"no statement lets {service} SNS:Publish")


def _allow_conditions(conditions: dict[str, Any], source_arn: str, account: str) -> tuple[bool, list[str]]:
    """(whether an Allow's aws:SourceArn / aws:SourceAccount / aws:SourceOwner conditions hold for
    `source_arn` and `account`, the conditions not evaluated: Not..., ForAnyValue/ForAllValues, others)."""
    from fnmatch import fnmatchcase

    ok, unknown = True, []
    for op, pairs in conditions.items():
        for key, values in pairs.items():
            k = key.lower()
            if "Not" in op or op.startswith(("ForAnyValue", "ForAllValues")):
                unknown.append(f"{op} {key}")
            elif k == "aws:sourcearn":
                ok = ok and any(fnmatchcase(source_arn, str(v)) for v in as_list(values))
            elif k in ("aws:sourceaccount", "aws:sourceowner"):
                ok = ok and account in [str(v) for v in as_list(values)]
            else:
                unknown.append(f"{op} {key}")
    return ok, unknown


def kms_finding(ctx: Context, attrs: dict[str, str], service: str) -> Finding:
    """An encrypted topic: the key must let `service` use kms:GenerateDataKey* and kms:Decrypt."""
    key = attrs.get("KmsMasterKeyId")
    if not key:
        return ctx.f("topic.kms-key", "OK", "sns GetTopicAttributes: KmsMasterKeyId not set (topic not encrypted)")
    ctx.names["key"] = key
    read = f"sns GetTopicAttributes: KmsMasterKeyId={key}"
    if key == AWS_MANAGED_KEY or key.endswith(":" + AWS_MANAGED_KEY):
        return ctx.f("topic.kms-key", "BROKEN", f"{read}: the AWS managed key's policy cannot let {service} use it")
    region = _region(attrs.get("TopicArn", ctx.topic_arn or ""))
    described = ctx.reader.call("kms", "describe_key", region=region, KeyId=key)
    if isinstance(described, ReadError):
        return ctx.f("topic.kms-key", "UNKNOWN", f"{read}; {described} (the target cannot tell)")
    key_id = described["KeyMetadata"]["KeyId"]
    if described["KeyMetadata"].get("KeyManager") == "AWS":
        return ctx.f("topic.kms-key", "BROKEN", f"{read}: an AWS managed key; its policy cannot let {service} use it")
    got = ctx.reader.call("kms", "get_key_policy", region=region, KeyId=key_id, PolicyName="default")
    if isinstance(got, ReadError):
        return ctx.f("topic.kms-key", "UNKNOWN", f"{read}; {got} (the target cannot tell)")
    sts = [s for s in statements(policy_doc(got["Policy"])) if principal_services(s) & {service, "*"}]
    missing = [a for a in ("kms:GenerateDataKey", "kms:Decrypt") if not any(allows(s, a) for s in sts)]
    read += f"; kms GetKeyPolicy {key_id}"
    if missing:
        return ctx.f("topic.kms-key", "BROKEN", f"{read}: {service} is not allowed {', '.join(missing)}")
    return ctx.f("topic.kms-key", "OK", f"{read}: {service} may use kms:GenerateDataKey* and kms:Decrypt")


def subscription_links(ctx: Context, subscriptions: list[dict[str, Any]] | ReadError) -> list[Finding]:
    """subscription.exists and subscription.confirmed, for the configured email/SMS (or every one)."""
    if isinstance(subscriptions, ReadError):
        return [ctx.f("subscription.exists", "UNKNOWN", f"{subscriptions} (the target cannot tell)")]
    from signin_lab.stack.eventbridge_plan import TOPIC_SUFFIX
    from signin_lab.stack.sns import wanted_subscriptions

    # The alert's own topic in either design (the EventBridge design's has TOPIC_SUFFIX) must carry
    # the configured email/SMS; any other topic an alarm or rule points at is read as it is.
    ours = {ctx.cfg.topic_arn(ctx.alert), ctx.cfg.topic_arn(ctx.alert) + TOPIC_SUFFIX}
    want = wanted_subscriptions(ctx.reader.lab, ctx.alert) if ctx.topic_arn in ours else []
    have = {(s["Protocol"], s["Endpoint"]): s for s in subscriptions}
    out: list[Finding] = []
    if not subscriptions:
        return [
            ctx.f("subscription.exists", "BROKEN", f"sns ListSubscriptionsByTopic {ctx.topic_arn}: no subscription")
        ]
    for protocol, endpoint in want:
        if (protocol, endpoint) not in have:
            names = {**ctx.names, "protocol": protocol, "endpoint": endpoint}
            out.append(finding("subscription.exists", ctx.alert.key, "BROKEN",
                               f"sns ListSubscriptionsByTopic: no {protocol} subscription for {endpoint}", **names))
    for (protocol, endpoint), s in sorted(have.items()):
        names = {**ctx.names, "protocol": protocol, "endpoint": endpoint}
        pending = not str(s.get("SubscriptionArn", "")).startswith("arn:")
        state = s.get("SubscriptionArn") if pending else "confirmed (SubscriptionArn is an ARN)"
        read = f"sns ListSubscriptionsByTopic: {protocol} {endpoint}: {state}"
        out.append(finding("subscription.confirmed", ctx.alert.key, "BROKEN" if pending else "OK", read, **names))
    return out


def sms_links(reader: Reader, alert_key: str, number: str, region: str, names: dict[str, str]) -> list[Finding]:
    """sms.sandbox, sms.spend-limit, sms.sender-id for one SMS subscription's number."""
    names = {**names, "endpoint": number}
    return [
        _sandbox(reader, alert_key, number, region, names),
        _spend_limit(reader, alert_key, region, names),
        _sender_id(reader, alert_key, number, region, names),
    ]


def _sandbox(reader: Reader, key: str, number: str, region: str, names: dict[str, str]) -> Finding:
    got = reader.call("sns", "get_sms_sandbox_account_status", region=region)
    if isinstance(got, ReadError):
        return finding("sms.sandbox", key, "UNKNOWN", f"{got} (the target cannot tell)", **names)
    if not got.get("IsInSandbox"):
        return finding("sms.sandbox", key, "OK", "sns GetSMSSandboxAccountStatus: IsInSandbox=False", **names)
    numbers = reader.pages("sns", "list_sms_sandbox_phone_numbers", "PhoneNumbers", region=region)
    if isinstance(numbers, ReadError):
        return finding(
            "sms.sandbox", key, "UNKNOWN", f"sns GetSMSSandboxAccountStatus: IsInSandbox=True; {numbers}", **names
        )
    status = next((n.get("Status") for n in numbers if n.get("PhoneNumber") == number), None)
    read = (
        f"sns GetSMSSandboxAccountStatus: IsInSandbox=True; ListSMSSandboxPhoneNumbers: {number} "
        f"{status or 'not listed'}"
    )
    if status == "Verified":
        return finding("sms.sandbox", key, "AT RISK", f"{read}: only verified numbers receive SMS", **names)
    return finding("sms.sandbox", key, "BROKEN", read, **names)


def _spend_limit(reader: Reader, key: str, region: str, names: dict[str, str]) -> Finding:
    got = reader.call("sns", "get_sms_attributes", region=region, attributes=["MonthlySpendLimit"])
    if isinstance(got, ReadError):
        return finding("sms.spend-limit", key, "UNKNOWN", f"{got} (the target cannot tell)", **names)
    value = (got.get("attributes") or {}).get("MonthlySpendLimit")
    if value is None:
        return finding("sms.spend-limit", key, "UNKNOWN", "sns GetSMSAttributes: MonthlySpendLimit not returned "
                       f"(a new account's is {DEFAULT_SPEND_LIMIT:g} USD)", **names)
    read = f"sns GetSMSAttributes: MonthlySpendLimit={value} USD"
    try:
        low = float(value) <= DEFAULT_SPEND_LIMIT
    except ValueError:
        return finding("sms.spend-limit", key, "UNKNOWN", f"{read}: not a number", **names)
    return finding("sms.spend-limit", key, "AT RISK" if low else "OK", read, **names)


def _sender_id(reader: Reader, key: str, number: str, region: str, names: dict[str, str]) -> Finding:
    import phonenumbers

    try:
        # by country code: the course's +44 7700 900xxx numbers are fictional, so not "valid"
        country = phonenumbers.region_code_for_country_code(phonenumbers.parse(number).country_code or 0)
    except phonenumbers.NumberParseException:
        country = "?"
    names = {**names, "country": country}
    if country not in SENDER_ID_REQUIRED:
        return finding("sms.sender-id", key, "UNKNOWN", f"{number}: destination {country}; the kit knows the "
                       f"sender-ID rule only for {', '.join(SENDER_ID_REQUIRED)}", **names)
    flt = [{"Name": "iso-country-code", "Values": [country]}]
    ids = reader.pages("pinpoint-sms-voice-v2", "describe_sender_ids", "SenderIds", region=region, Filters=flt)
    phones = reader.pages("pinpoint-sms-voice-v2", "describe_phone_numbers", "PhoneNumbers", region=region, Filters=flt)
    for got in (ids, phones):
        if isinstance(got, ReadError):
            return finding("sms.sender-id", key, "UNKNOWN", f"{got} (the target cannot tell)", **names)
    read = (f"pinpoint-sms-voice-v2 DescribeSenderIds/DescribePhoneNumbers ({country}): "
            f"{len(ids)} sender ID(s), {len(phones)} phone number(s)")
    return finding("sms.sender-id", key, "OK" if (ids or phones) else "BROKEN", read, **names)
