"""The first links of an alert's chain: the trail that records sign-ins, and its delivery to CloudWatch Logs.

Sources: where sign-ins are recorded (root: us-east-1), CloudTrail sign-in events
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html);
delivery and the role's policy
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html,
https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html).
"""

from __future__ import annotations

from typing import Any

from signin_lab.config import Alert, LabConfig
from signin_lab.doctor.chain import Context, stream_arn, unknown
from signin_lab.doctor.model import Finding
from signin_lab.doctor.reader import ReadError, allows, policy_doc, principal_services, statements

#: Where root sign-ins are recorded (CloudTrail sign-in events page, see rules.trail.multi-region).
ROOT_SIGNIN_REGION = "us-east-1"


def _is_root_alert(alert: Alert) -> bool:
    return alert.key.endswith("-root") or alert.cis_control == "CloudWatch.1"


# -- trail -------------------------------------------------------------------------------------
def trail_links(ctx: Context) -> list[Finding]:
    """trail.exists, trail.logging, trail.multi-region, trail.management-events."""
    cfg = ctx.cfg
    trails = ctx.reader.call("cloudtrail", "describe_trails", includeShadowTrails=True)
    if isinstance(trails, ReadError):
        return [unknown(ctx, "trail.exists", trails)]
    feeding = [t for t in trails["trailList"] if _same_group(t.get("CloudWatchLogsLogGroupArn"), cfg)]
    named = [t for t in trails["trailList"] if t.get("Name") == cfg.trail_name]
    chosen = (feeding or named or [None])[0]
    if chosen is None:
        return [ctx.f("trail.exists", "BROKEN", f"cloudtrail DescribeTrails: no trail named {cfg.trail_name} "
                      f"and none sending to log group {cfg.log_group_name}")]
    ctx.trail = chosen
    name, home = chosen["Name"], chosen.get("HomeRegion", cfg.region)
    ctx.names["trail"] = name
    out = [ctx.f("trail.exists", "OK", f"cloudtrail DescribeTrails: {name} (home Region {home})")]
    status = ctx.reader.call("cloudtrail", "get_trail_status", region=home, Name=chosen["TrailARN"])
    if isinstance(status, ReadError):
        out.append(unknown(ctx, "trail.logging", status))
    else:
        logging = bool(status.get("IsLogging"))
        out.append(
            ctx.f("trail.logging", "OK" if logging else "BROKEN", f"cloudtrail GetTrailStatus: IsLogging={logging}")
        )
    multi = bool(chosen.get("IsMultiRegionTrail"))
    read = f"cloudtrail DescribeTrails: IsMultiRegionTrail={multi}, HomeRegion={home}"
    if multi:
        out.append(ctx.f("trail.multi-region", "OK", read))
    elif _is_root_alert(ctx.alert) and home != ROOT_SIGNIN_REGION:
        out.append(ctx.f("trail.multi-region", "BROKEN", f"{read}: root sign-ins are recorded in {ROOT_SIGNIN_REGION}"))
    elif _is_root_alert(ctx.alert):
        out.append(ctx.f("trail.multi-region", "OK", f"{read}: where root sign-ins are recorded"))
    else:
        out.append(ctx.f("trail.multi-region", "AT RISK", f"{read}: sign-ins recorded in other Regions are missed"))
    out.append(_management_events(ctx, chosen, home))
    return out


def _same_group(arn: str | None, cfg: LabConfig) -> bool:
    return bool(arn) and str(arn).rstrip("*").rstrip(":") == cfg.log_group_arn().rstrip("*").rstrip(":")


def _management_events(ctx: Context, trail: dict[str, Any], home: str) -> Finding:
    sel = ctx.reader.call("cloudtrail", "get_event_selectors", region=home, TrailName=trail["TrailARN"])
    if isinstance(sel, ReadError):
        return unknown(ctx, "trail.management-events", sel)
    basic = sel.get("EventSelectors") or []
    advanced = sel.get("AdvancedEventSelectors") or []
    ok = any(
        s.get("IncludeManagementEvents", True) and s.get("ReadWriteType", "All") in ("All", "WriteOnly") for s in basic
    )
    for a in advanced:
        fields = {f["Field"]: f for f in a.get("FieldSelectors", [])}
        category = fields.get("eventCategory", {}).get("Equals", [])
        read_only = fields.get("readOnly", {}).get("Equals", ["false"])
        ok = ok or ("Management" in category and "false" in [str(v).lower() for v in read_only])
    if not basic and not advanced:
        ok = True  # no selectors: CloudTrail's default, all management events
    desc = f"basic {[(s.get('ReadWriteType'), s.get('IncludeManagementEvents')) for s in basic]}" if basic else \
        f"{len(advanced)} advanced selector(s)"
    return ctx.f("trail.management-events", "OK" if ok else "BROKEN", f"cloudtrail GetEventSelectors: {desc}")


# -- delivery ----------------------------------------------------------------------------------
def delivery_links(ctx: Context) -> list[Finding]:
    """delivery.log-group, delivery.role, delivery.errors."""
    trail, cfg = ctx.trail, ctx.cfg
    if trail is None:
        return []
    group_arn = trail.get("CloudWatchLogsLogGroupArn")
    read = f"cloudtrail DescribeTrails: CloudWatchLogsLogGroupArn={group_arn}"
    if not group_arn:
        out = [ctx.f("delivery.log-group", "BROKEN", f"{read}: the trail sends nothing to CloudWatch Logs")]
    elif not _same_group(group_arn, cfg):
        out = [ctx.f("delivery.log-group", "BROKEN", f"{read}: the alerts' filters are on {cfg.log_group_name}")]
    else:
        out = [ctx.f("delivery.log-group", "OK", read)]
    out.append(_role(ctx, trail.get("CloudWatchLogsRoleArn")))
    status = ctx.reader.call("cloudtrail", "get_trail_status", region=trail.get("HomeRegion", cfg.region),
                             Name=trail["TrailARN"])
    if isinstance(status, ReadError):
        out.append(unknown(ctx, "delivery.errors", status))
    else:
        err = status.get("LatestCloudWatchLogsDeliveryError") or ""
        out.append(ctx.f("delivery.errors", "BROKEN" if err else "OK",
                         f"cloudtrail GetTrailStatus: LatestCloudWatchLogsDeliveryError={err or '(none)'}"))
    return out


def _role(ctx: Context, role_arn: str | None) -> Finding:
    from botocore.utils import ArnParser, InvalidArnException

    if not role_arn:
        return ctx.f("delivery.role", "BROKEN", "cloudtrail DescribeTrails: CloudWatchLogsRoleArn not set")
    try:
        role_name = ArnParser().parse_arn(role_arn)["resource"].split("/")[-1]
    except InvalidArnException:
        return ctx.f(
            "delivery.role", "BROKEN", f"cloudtrail DescribeTrails: CloudWatchLogsRoleArn={role_arn} is not an ARN"
        )
    ctx.names["role"] = role_name
    role = ctx.reader.call("iam", "get_role", RoleName=role_name)
    if isinstance(role, ReadError):
        if role.not_found:
            return ctx.f("delivery.role", "BROKEN", f"iam GetRole {role_name}: no such role")
        return unknown(ctx, "delivery.role", role)
    trust = statements(policy_doc(role["Role"].get("AssumeRolePolicyDocument")))
    if not any("cloudtrail.amazonaws.com" in principal_services(s) and allows(s, "sts:AssumeRole") for s in trust):
        return ctx.f(
            "delivery.role",
            "BROKEN",
            f"iam GetRole {role_name}: trust policy does not let cloudtrail.amazonaws.com assume it",
        )
    docs = _role_policies(ctx, role_name)
    if isinstance(docs, ReadError):
        return unknown(ctx, "delivery.role", docs)
    stream = stream_arn(ctx.cfg) + "_"  # CloudTrail's streams are <account>_CloudTrail_<region>_<n>
    missing = [a for a in ("logs:CreateLogStream", "logs:PutLogEvents")
               if not any(allows(s, a, stream) for d in docs for s in statements(d))]
    read = f"iam GetRolePolicy/GetPolicyVersion {role_name}: {len(docs)} policy document(s)"
    if missing:
        return ctx.f(
            "delivery.role",
            "BROKEN",
            f"{read}; not allowed on the log group's CloudTrail streams: {', '.join(missing)}",
        )
    # Allow statements are read; Deny statements and conditions are not evaluated.
    return ctx.f("delivery.role", "OK", f"{read}; logs:CreateLogStream and logs:PutLogEvents allowed")


def _role_policies(ctx: Context, role: str) -> list[dict[str, Any]] | ReadError:
    r = ctx.reader
    inline = r.pages("iam", "list_role_policies", "PolicyNames", RoleName=role)
    if isinstance(inline, ReadError):
        return inline
    docs = []
    for name in inline:
        got = r.call("iam", "get_role_policy", RoleName=role, PolicyName=name)
        if isinstance(got, ReadError):
            return got
        docs.append(policy_doc(got["PolicyDocument"]))
    attached = r.pages("iam", "list_attached_role_policies", "AttachedPolicies", RoleName=role)
    if isinstance(attached, ReadError):
        return attached
    for a in attached:
        pol = r.call("iam", "get_policy", PolicyArn=a["PolicyArn"])
        if isinstance(pol, ReadError):
            return pol
        ver = r.call("iam", "get_policy_version", PolicyArn=a["PolicyArn"], VersionId=pol["Policy"]["DefaultVersionId"])
        if isinstance(ver, ReadError):
            return ver
        docs.append(policy_doc(ver["PolicyVersion"]["Document"]))
    return docs
