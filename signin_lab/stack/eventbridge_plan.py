"""The EventBridge design as data: which rule goes in which Region, with which pattern and target.

Pure (no boto3): deploy (stack/eventbridge.py), the CloudFormation (cfn_eventbridge.py), the
emulator and compare_designs all read the same plan, so what is deployed, templated and compared
is one thing.

The design, as AWS's guidance builds it: console sign-in events reach EventBridge from CloudTrail
as AWS service events on the default bus of the Region where CloudTrail records them
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html;
source `aws.signin`, https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-signin.html).
Those Regions are us-east-1 for root, us-east-1 or one of us-east-2, eu-north-1, ap-southeast-2
for IAM users on the global endpoint, and the endpoint's Region for Regional endpoints
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html).
So a rule in each of them forwards to the central Region's default bus
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html), with an IAM
role allowed `events:PutEvents` on that bus (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html:
"We recommend always using IAM roles when the target of a rule is an event bus"), and in the
central Region one rule per alert publishes a readable message to the alert's SNS topic through an
input transformer (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from signin_lab.config import regions
from signin_lab.errors import SigninLabError
from signin_lab.events.samples import GLOBAL_SIGNIN_REGIONS

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.config import Alert, LabConfig

Policy = dict[str, Any]
VERSION = "2012-10-17"

#: The designs `lab.deploy(design=...)` builds.
DESIGNS = ("blog", "eventbridge", "both")
#: Where root sign-ins, and IAM-user sign-ins on the global endpoint without the account-alias
#: cookie, are recorded (CloudTrail sign-in events page, cited in the module docstring).
ROOT_REGION = "us-east-1"
#: Regions an EventBridge rule must cover for this account's console sign-ins, before the ones
#: the configuration adds: us-east-1 and the three global-endpoint Regions AWS lists.
SIGNIN_REGIONS: tuple[str, ...] = (ROOT_REGION, *GLOBAL_SIGNIN_REGIONS)
#: Cross-Region targets: "EventBridge can route events to event buses in the following Regions"
#: is every commercial Region since 2023 (eb-cross-region.html); Regions that need opting in
#: (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html) must be
#: enabled for the account first, which deploy checks with the Account API.
SOURCE = "aws.signin"
EVENT_NAME = "ConsoleLogin"
FORWARD_SUFFIX = "signin-forward"
TOPIC_SUFFIX = "-eventbridge"
ROLE_SUFFIX = "-eventbridge-forward"

#: The message each central rule sends: who, outcome, source IP, Region, MFA, time, user agent.
#: A string template is sent with its quotes, as the guide's "instance <instance> is in <state>"
#: example shows (eb-transform-target-input.html); values are not escaped.
INPUT_PATHS: dict[str, str] = {
    "user": "$.detail.userIdentity.userName",
    "account": "$.account",
    "outcome": "$.detail.responseElements.ConsoleLogin",
    "ip": "$.detail.sourceIPAddress",
    "region": "$.detail.awsRegion",
    "mfa": "$.detail.additionalEventData.MFAUsed",
    "time": "$.detail.eventTime",
    "agent": "$.detail.userAgent",
    "error": "$.detail.errorMessage",
}
_TEMPLATE = (
    '"Console sign-in <outcome> by {who} in account <account>. Source IP <ip>; Region <region>; '
    'MFA used: <mfa>; time <time>; error: <error>; user agent: <agent>. Rule <aws.events.rule-name>."'
)


@dataclass(frozen=True)
class Rule:
    """One EventBridge rule on a Region's default bus and its one target."""

    region: str
    name: str
    pattern: dict[str, Any]
    target_id: str
    target_arn: str
    role_arn: str | None = None
    input_paths: dict[str, str] | None = None
    input_template: str | None = None
    alert_key: str | None = None
    description: str = ""

    def arn(self, account_id: str) -> str:
        """The rule's ARN on the default bus."""
        return f"arn:aws:events:{self.region}:{account_id}:rule/{self.name}"

    @property
    def forwards(self) -> bool:
        """Whether the target is another Region's event bus."""
        return ":event-bus/" in self.target_arn


@dataclass(frozen=True)
class Plan:
    """Every resource of the EventBridge design for one configuration."""

    account_id: str
    central: str
    regions: tuple[str, ...]
    rules: tuple[Rule, ...]
    topics: dict[str, str]  # alert key -> topic name (in the central Region)
    role_name: str
    skipped: dict[str, str] = field(default_factory=dict)  # alert key -> why no rule

    def rules_in(self, region: str) -> list[Rule]:
        """The rules of one Region, in plan order."""
        return [r for r in self.rules if r.region == region]

    def topic_arn(self, key: str) -> str:
        return f"arn:aws:sns:{self.central}:{self.account_id}:{self.topics[key]}"

    @property
    def role_arn(self) -> str:
        return f"arn:aws:iam::{self.account_id}:role/{self.role_name}"

    @property
    def bus_arn(self) -> str:
        """The central Region's default bus, where forwarded events arrive."""
        return f"arn:aws:events:{self.central}:{self.account_id}:event-bus/default"


def signin_regions(cfg: LabConfig, extra: tuple[str, ...] | list[str] = ()) -> tuple[str, ...]:
    """us-east-1, the global endpoint's Regions, the config's Region and `extra`, in that order."""
    known = regions()
    out: list[str] = []
    for region in (*SIGNIN_REGIONS, cfg.region, *extra):
        if region not in known:
            raise SigninLabError(f"EventBridge design: Region {region!r} is not an AWS commercial "
                                 "Region with EventBridge (e.g. eu-west-1)")
        if region not in out:
            out.append(region)
    return tuple(out)


def forward_pattern() -> dict[str, Any]:
    """Every console sign-in event; no detail-type, which AWS spells two ways (field notes)."""
    return {"source": [SOURCE], "detail": {"eventName": [EVENT_NAME]}}


def _pattern_value(op: str, value: Any) -> Any | None:
    """One filter-pattern comparison as an EventBridge pattern value, or None if there is none.

    Equality on text is an exact value; a trailing or leading `*` is EventBridge's `prefix` or
    `suffix`, both is a `wildcard`; `!=` is `anything-but` (both never match a missing field:
    field notes, "Why alerts do not fire"); numbers use `numeric`
    (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html)."""
    from signin_lab.filterpattern import nodes

    if isinstance(value, nodes.Number):
        return {"numeric": [op, value.value]} if op != "!=" else None
    if not isinstance(value, nodes.Text):
        return None
    if op == "=":
        if value.prefix_wild and value.suffix_wild:
            return {"wildcard": f"*{value.core}*"}
        if value.suffix_wild:
            return {"prefix": value.core}
        if value.prefix_wild:
            return {"suffix": value.core}
        return value.core
    if op == "!=" and not (value.prefix_wild or value.suffix_wild):
        return {"anything-but": value.core}
    return None


def alert_pattern(alert: Alert) -> dict[str, Any] | None:
    """The event pattern meaning what the alert's own filter pattern means, or None.

    Derived from the alert's definition (one definition, two designs): a JSON filter pattern
    that is one comparison or an `&&` of comparisons on plain fields (`$.a.b`), including
    `$.eventName = "ConsoleLogin"`, becomes `source: aws.signin` and the same conditions under
    `detail` (the CloudTrail record is the event's detail, eb-service-event-cloudtrail.html).
    The blog's four alerts, CloudWatch.3 and CloudWatch.6 translate; anything else (`||`, arrays,
    IS/NOT EXISTS, regex, or no ConsoleLogin condition, e.g. CloudWatch.1's root API usage) gives
    None, and the plan lists the alert in `skipped` with the reason.
    """
    from signin_lab.filterpattern import FilterPattern, FilterPatternError, nodes

    try:
        tree = FilterPattern(alert.pattern).tree
    except FilterPatternError:
        return None
    if not isinstance(tree, nodes.JsonPattern):
        return None
    compares = _conjuncts(tree.expr)
    detail: dict[str, Any] = {}
    for c in compares or []:
        if not _add_condition(detail, c):
            return None
    if compares is None or detail.get("eventName") != [EVENT_NAME]:
        return None
    return {"source": [SOURCE], "detail": detail}


def _conjuncts(expr: Any) -> list[Any] | None:
    """The comparisons on selectors an `&&` chain is made of, in order; None if it holds anything else."""
    from signin_lab.filterpattern import nodes

    todo: list[Any] = [expr]
    compares: list[nodes.Compare] = []
    while todo:
        item = todo.pop(0)
        if isinstance(item, nodes.And):
            todo[:0] = list(item.items)
        elif isinstance(item, nodes.Compare) and isinstance(item.target, nodes.Selector):
            compares.append(item)
        else:
            return None
    return compares


def _add_condition(detail: dict[str, Any], c: Any) -> bool:
    """Put comparison `c` on a plain field (`$.a.b`) into `detail`; False if it cannot go there."""
    from signin_lab.filterpattern import nodes

    assert isinstance(c.target, nodes.Selector)
    keys = [seg.name for seg in c.target.segments if isinstance(seg, nodes.Key)]
    value = _pattern_value(c.op, c.value)
    if value is None or len(keys) != len(c.target.segments) or not keys:
        return False
    node = detail
    for key in keys[:-1]:
        child = node.setdefault(key, {})
        if not isinstance(child, dict):
            return False
        node = child
    if keys[-1] in node:
        return False  # two conditions on one field: not one EventBridge value list
    node[keys[-1]] = [value]
    return True


def template_for(pattern: dict[str, Any]) -> str:
    """The input template of an alert's rule; a rule for root sign-ins names "the root user"
    (a root record has no userName), one for IAM users "IAM user <name>"."""
    kind = pattern.get("detail", {}).get("userIdentity", {}).get("type")
    who = {("Root",): "the root user", ("IAMUser",): "IAM user <user>"}.get(
        tuple(kind) if isinstance(kind, list) else (), "<user>")
    return _TEMPLATE.format(who=who)


def plan(cfg: LabConfig, extra_regions: tuple[str, ...] | list[str] = ()) -> Plan:
    """The EventBridge design for this configuration; the central Region is `cfg.region`.

    No forwarding rule in the central Region itself: its default bus already receives the events.
    """
    central = cfg.region
    where = signin_regions(cfg, extra_regions)
    role_name = f"{cfg.name_prefix}{ROLE_SUFFIX}"
    role_arn = f"arn:aws:iam::{cfg.account_id}:role/{role_name}"
    bus = f"arn:aws:events:{central}:{cfg.account_id}:event-bus/default"
    rules: list[Rule] = []
    for region in where:
        if region == central:
            continue
        rules.append(Rule(
            region=region, name=f"{cfg.name_prefix}-{FORWARD_SUFFIX}", pattern=forward_pattern(),
            target_id="central-bus", target_arn=bus, role_arn=role_arn,
            description=f"Console sign-ins recorded in {region}, forwarded to {central}"))
    topics: dict[str, str] = {}
    skipped: dict[str, str] = {}
    for alert in cfg.alerts:
        pattern = alert_pattern(alert)
        if pattern is None:
            skipped[alert.key] = ("its filter pattern is not an && of comparisons on "
                                  "ConsoleLogin events, so no EventBridge rule is derived: it "
                                  "stays a metric filter and alarm in the blog's design")
            continue
        topic = f"{alert.topic_name}{TOPIC_SUFFIX}"
        topics[alert.key] = topic
        rules.append(Rule(
            region=central, name=alert.topic_name, pattern=pattern, target_id="topic",
            target_arn=f"arn:aws:sns:{central}:{cfg.account_id}:{topic}",
            input_paths=dict(INPUT_PATHS), input_template=template_for(pattern), alert_key=alert.key,
            description=f"signin-lab alert {alert.key}"))
    return Plan(cfg.account_id, central, where, tuple(rules), topics, role_name, skipped)


def forward_trust_policy(account_id: str) -> Policy:
    """EventBridge assumes the forwarding role, only for this account's rules (confused deputy:
    https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)."""
    return {
        "Version": VERSION,
        "Statement": [{
            "Sid": "EventBridgeAssumeRole",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
        }],
    }


def forward_role_policy(p: Plan) -> Policy:
    """Only `events:PutEvents`, only on the central default bus (eb-event-bus-perms.html and the
    Knowledge Center's "eventbridge-centralized-bus-to-bus" example policy)."""
    return {
        "Version": VERSION,
        "Statement": [{
            "Sid": "PutEventsOnCentralBus",
            "Effect": "Allow",
            "Action": "events:PutEvents",
            "Resource": p.bus_arn,
        }],
    }


def topic_policy(p: Plan, key: str) -> Policy:
    """The account manages the topic; EventBridge may publish only for this alert's rule.

    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
    (events.amazonaws.com, sns:Publish, aws:SourceArn = the rule's ARN), with aws:SourceAccount
    as the IAM guide's confused-deputy page recommends alongside it.
    """
    topic = p.topic_arn(key)
    rule = next(r for r in p.rules if r.alert_key == key)
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Sid": "AccountOwnerManagesTopic",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{p.account_id}:root"},
                "Action": ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes",
                           "SNS:AddPermission", "SNS:RemovePermission", "SNS:DeleteTopic",
                           "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"],
                "Resource": topic,
            },
            {
                "Sid": "EventBridgeRulePublish",
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "SNS:Publish",
                "Resource": topic,
                "Condition": {
                    "ArnEquals": {"aws:SourceArn": rule.arn(p.account_id)},
                    "StringEquals": {"aws:SourceAccount": p.account_id},
                },
            },
        ],
    }


__all__ = [
    "DESIGNS",
    "SIGNIN_REGIONS",
    "Plan",
    "Rule",
    "alert_pattern",
    "forward_pattern",
    "forward_role_policy",
    "forward_trust_policy",
    "plan",
    "signin_regions",
    "topic_policy",
]
