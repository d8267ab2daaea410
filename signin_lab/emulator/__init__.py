"""The emulator: AWS's runtime behaviour between services, which moto stores but never runs.

`Emulator(lab).replay(records)` takes CloudTrail records through what AWS does after the
configuration: CloudTrail delivery (S3 log files, CloudWatch Logs events), the log group's metric
filters, the alarms, and the SNS notifications. It reads the configuration back from the target
(GetTrail, DescribeMetricFilters, DescribeAlarms, ListSubscriptionsByTopic), so what a learner
configured is what runs, mistakes included, and writes its results back (PutLogEvents, PutObject,
PutMetricData, SetAlarmState, Publish), so the usual describe/list calls show them.

Time: metric filters and alarms run on a simulated clock that follows the records (see clock.py).
Log events are written with the records' own times when the target accepts them; AWS and moto
refuse events older than 14 days or more than 2 hours ahead
(https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html), so
otherwise every timestamp is moved by the same whole number of days (archives up to 12 days long),
or, for longer archives, stamped with the time of the replay, as CloudTrail stamps a late delivery.
The run says which (`ReplayRun.log_time_shift`, None for the last case). Metric filters see every
record at its own time either way, and no record is dropped. PutMetricData is written with the
records' own times: moto accepts any timestamp.

Real AWS runs all of this itself: `replay` refuses an `aws` target (it would put synthetic data
into real metrics and alarms), and `drill` writes one record into the real log group instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from signin_lab.aws_errors import error_code
from signin_lab.emulator.alarms import AlarmState
from signin_lab.emulator.clock import DEFAULT_START, SimulatedClock, floor_minute, to_millis
from signin_lab.emulator.delivery import (
    batches,
    check_records,
    event_time,
    log_events,
    log_files,
    log_message,
    log_stream_name,
)
from signin_lab.emulator.metrics import Datapoint, LogEvent, MetricFilter, datapoints
from signin_lab.emulator.notify import InboxMessage, alarm_message, deliveries, subject
from signin_lab.emulator.replay import (
    AlarmSpec,
    ReplayRun,
    Transition,
    datapoints_frame,
    index_by_minute,
    initial_row,
    run_alarm,
    timeline_frame,
)
from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.lab import Lab

__all__ = ["Drill", "Emulator", "InboxMessage", "ReplayRun"]

#: PutLogEvents accepts events no older than 14 days and no more than 2 hours ahead; keep a margin.
_LOG_OLDEST = timedelta(days=14) - timedelta(hours=1)
_LOG_NEWEST = timedelta(hours=2) - timedelta(minutes=5)
#: PutMetricData: at most 1,000 metrics a request
#: (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html).
_METRICS_PER_CALL = 500
#: SetAlarmState: StateReason is at most 1,023 characters.
_MAX_REASON = 1023


@dataclass(frozen=True)
class Drill:
    """One synthetic ConsoleLogin sent through the pipeline, and where it went."""

    record: dict[str, Any]
    log_group: str | None
    log_stream: str | None
    run: ReplayRun | None  # the replay on moto; None on real AWS, where AWS itself runs the rest


@dataclass(frozen=True)
class _Pipeline:
    """The configuration read back from the target."""

    trail: Mapping[str, Any]
    logging: bool
    log_group: str | None
    filters: tuple[MetricFilter, ...]
    alarms: tuple[AlarmSpec, ...]


def _client_error() -> type[Exception]:
    """botocore's ClientError, imported on first use so importing the package stays light."""
    from botocore.exceptions import ClientError

    return ClientError


class Emulator:
    """AWS's runtime behaviour on a lab's target; `lab.emulator` makes one on first use."""

    def __init__(self, lab: Lab, *, wall_clock: Callable[[], datetime] | None = None) -> None:
        self.lab = lab
        self.clock = SimulatedClock()
        # Only used to decide which log-event timestamps the target will accept.
        self._wall = wall_clock or (lambda: datetime.now(UTC))
        self._inbox: list[InboxMessage] = []
        self._states: dict[str, AlarmState] = {}
        self._points: list[Datapoint] = []

    # -- public ---------------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget the clock, alarm states, datapoints and inbox (the target keeps what was written)."""
        self.clock.reset()
        self._inbox.clear()
        self._states.clear()
        self._points.clear()

    def inbox(self) -> list[InboxMessage]:
        """Every email, email-json and SMS message delivered so far, in order."""
        return list(self._inbox)

    def replay(
        self,
        records: Iterable[Mapping[str, Any]],
        *,
        until: datetime | None = None,
        tail: timedelta | None = None,
    ) -> ReplayRun:
        """CloudTrail records through delivery, metric filters, alarms and SNS, on the simulated clock.

        The run lasts from the first record's minute (or where the previous replay ended) to
        `until`, by default the last record plus `tail` (default: the longest alarm Period plus a
        minute, so each alarm has evaluated the last record's period). A longer tail is a stretch
        with no logs at all: alarms then go to INSUFFICIENT_DATA (or OK with notBreaching).
        """
        if self.lab.kind == "aws":
            raise SigninLabError(
                "replay emulates AWS on moto; on real AWS, AWS runs the pipeline itself: "
                "use lab.drill(outcome, user_type) to send one sign-in through it"
            )
        recs = sorted(check_records(records), key=event_time)
        pipeline = self._read_pipeline()
        first = floor_minute(event_time(recs[0])) if recs else None
        start = self.clock.now or first or DEFAULT_START
        if first is not None and first < start:
            self.clock.advance_to(first)  # raises: records older than the clock
        longest = max((a.period // 60 for a in pipeline.alarms), default=5)
        last = floor_minute(event_time(recs[-1])) if recs else start
        end = until or (last + (tail if tail is not None else timedelta(minutes=longest + 1)))
        end = floor_minute(end)
        if end < start:
            raise SigninLabError(
                f"until={end.isoformat()} is before the replay's start {start.isoformat()}"
            )

        notes: list[str] = []
        delivered = self._select(recs, pipeline, notes)
        keys = self._deliver_s3(delivered, pipeline, notes)
        stream, shift, written = self._deliver_logs(delivered, pipeline, notes)

        events = [LogEvent(event_time(r), log_message(r), r) for r in written]
        points = datapoints(events, pipeline.filters)
        self._put_metric_data(points)
        self._points.extend(points)

        rows: list[Transition] = []
        messages: list[InboxMessage] = []
        by_metric = index_by_minute(self._points)
        for spec in pipeline.alarms:
            first_seen = spec.name not in self._states
            rows.append(initial_row(spec, start, self._states.get(spec.name)))
            if first_seen:
                self._set_state(spec.name, "INSUFFICIENT_DATA", rows[-1].reason)
            state = self._states.get(spec.name, "INSUFFICIENT_DATA")
            for change in run_alarm(spec, by_metric.get(spec.metric, {}), start, end, state):
                rows.append(change)
                self._set_state(spec.name, change.state, change.reason)
                messages.extend(self._notify(spec, change, notes))
                state = change.state
            self._states[spec.name] = state
        self.clock.advance_to(end)
        self._inbox.extend(messages)
        return ReplayRun(
            timeline=timeline_frame(rows),
            datapoints=datapoints_frame(points),
            start=start,
            end=end,
            records=len(recs),
            log_events=len(written),
            log_stream=stream,
            log_files=keys,
            log_time_shift=shift,
            messages=messages,
            notes=notes,
            thresholds={
                a.name: (a.metric_name, a.threshold, a.comparison_operator) for a in pipeline.alarms
            },
        )

    def drill(
        self, outcome: str, user_type: str, *, time: datetime | None = None, **options: Any
    ) -> Drill:
        """One synthetic ConsoleLogin through the pipeline (a fire drill for the alerts).

        On moto it is replayed like any record, at `time` (default: where the clock is, or the
        blog's test morning). On real AWS it is written, stamped now, into a `signin-lab-drill`
        stream of the trail's real log group, so the real metric filter, alarm, email and SMS run.
        """
        from signin_lab.events.samples import console_login

        cfg = self.lab.config
        if self.lab.kind == "aws":
            when = floor_minute(self._wall()) + timedelta(seconds=self._wall().second)
            record = console_login(outcome, user_type, when, account_id=cfg.account_id, **options)  # type: ignore[arg-type]
            group = self._trail_log_group() or cfg.log_group_name
            stream = "signin-lab-drill"
            logs = self.lab.client("logs")
            try:
                logs.create_log_stream(logGroupName=group, logStreamName=stream)
            except _client_error() as exc:
                if error_code(exc) != "ResourceAlreadyExistsException":
                    raise SigninLabError(
                        f"drill: cannot create log stream {stream!r} in {group!r}: {exc}"
                    ) from exc
            try:
                logs.put_log_events(
                    logGroupName=group,
                    logStreamName=stream,
                    logEvents=[
                        {"timestamp": to_millis(event_time(record)), "message": log_message(record)}
                    ],
                )
            except _client_error() as exc:
                raise SigninLabError(f"drill: cannot write to log group {group!r}: {exc}") from exc
            return Drill(record, group, stream, None)
        when = time or self.clock.now or DEFAULT_START
        record = console_login(outcome, user_type, when, account_id=cfg.account_id, **options)  # type: ignore[arg-type]
        run = self.replay([record])
        return Drill(record, self._trail_log_group(), run.log_stream, run)

    # -- reading the configuration back ---------------------------------------------------------
    def _trail(self) -> Mapping[str, Any]:
        cfg = self.lab.config
        ct = self.lab.client("cloudtrail")
        try:
            return ct.get_trail(Name=cfg.trail_name)["Trail"]
        except _client_error() as exc:
            if error_code(exc) == "TrailNotFoundException":
                raise SigninLabError(
                    f"trail {cfg.trail_name!r} not found on the {self.lab.kind} target: "
                    "deploy the stack first (lab.deploy())"
                ) from None
            raise SigninLabError(f"cannot read trail {cfg.trail_name!r}: {exc}") from exc

    def _trail_log_group(self) -> str | None:
        arn = self._trail().get("CloudWatchLogsLogGroupArn")
        # arn:aws:logs:<region>:<account>:log-group:<name>:*
        return arn.split(":log-group:", 1)[1].split(":", 1)[0] if arn else None

    def _read_pipeline(self) -> _Pipeline:
        from signin_lab.filterpattern import FilterPattern

        cfg = self.lab.config
        trail = self._trail()
        ct = self.lab.client("cloudtrail")
        logging = bool(ct.get_trail_status(Name=cfg.trail_name).get("IsLogging"))
        group = self._trail_log_group()
        filters: list[MetricFilter] = []
        if group:
            logs = self.lab.client("logs")
            kwargs: dict[str, Any] = {"logGroupName": group}
            raw_filters: list[dict[str, Any]] = []
            try:
                while True:
                    page = logs.describe_metric_filters(**kwargs)
                    raw_filters.extend(page.get("metricFilters", []))
                    if not page.get("nextToken"):
                        break
                    kwargs["nextToken"] = page["nextToken"]
            except _client_error() as exc:
                if error_code(exc) != "ResourceNotFoundException":
                    raise
            for raw in sorted(raw_filters, key=lambda f: f.get("filterName", "")):

                def compile(text: str, name: str = raw.get("filterName", "?")) -> Any:
                    try:
                        return FilterPattern(text)
                    except SigninLabError as exc:
                        raise SigninLabError(f"metric filter {name!r}: {exc}") from exc

                filters.extend(MetricFilter.from_aws(raw, compile))
        produced = {(f.namespace, f.metric_name) for f in filters}
        alarms = []
        for raw in self._describe_alarms():
            metrics = {
                (
                    q["MetricStat"]["Metric"].get("Namespace"),
                    q["MetricStat"]["Metric"].get("MetricName"),
                )
                for q in raw.get("Metrics") or []
                if "MetricStat" in q
            }
            if (raw.get("Namespace"), raw.get("MetricName")) in produced or metrics & produced:
                alarms.append(AlarmSpec.from_aws(raw))
        return _Pipeline(
            trail, logging, group, tuple(filters), tuple(sorted(alarms, key=lambda a: a.name))
        )

    def _describe_alarms(self) -> list[dict[str, Any]]:
        cw = self.lab.client("cloudwatch")
        out: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"AlarmTypes": ["MetricAlarm"]}
        while True:
            page = cw.describe_alarms(**kwargs)
            out.extend(page.get("MetricAlarms", []))
            if not page.get("NextToken"):
                return out
            kwargs["NextToken"] = page["NextToken"]

    # -- delivery -------------------------------------------------------------------------------
    def _select(
        self, records: list[dict[str, Any]], p: _Pipeline, notes: list[str]
    ) -> list[dict[str, Any]]:
        """The records this trail delivers: none when it is not logging; only its home Region's
        when it is not multi-Region (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/
        receive-cloudtrail-log-files-from-multiple-regions.html); only the read/write kind its
        basic event selectors ask for (logging-management-events-with-cloudtrail.html)."""
        if not records:
            return []
        name = p.trail.get("Name", "?")
        if not p.logging:
            notes.append(f"trail {name!r} is not logging: {len(records)} record(s) not delivered")
            return []
        out = records
        if not p.trail.get("IsMultiRegionTrail"):
            home = p.trail.get("HomeRegion") or self.lab.region
            out = [r for r in out if r.get("awsRegion", home) == home]
            if len(out) < len(records):
                notes.append(
                    f"trail {name!r} is not multi-Region: {len(records) - len(out)} record(s) from "
                    f"other Regions than {home} not delivered"
                )
        read_write, management = self._selectors(name)
        kept = [
            r
            for r in out
            if management
            and not (read_write == "ReadOnly" and r.get("readOnly") is False)
            and not (read_write == "WriteOnly" and r.get("readOnly") is True)
        ]
        if len(kept) < len(out):
            notes.append(
                f"trail {name!r} event selectors (ReadWriteType={read_write}, "
                f"IncludeManagementEvents={management}): {len(out) - len(kept)} record(s) not delivered"
            )
        return kept

    def _selectors(self, trail_name: str) -> tuple[str, bool]:
        try:
            got = self.lab.client("cloudtrail").get_event_selectors(TrailName=trail_name)
        except _client_error():  # moto without selectors support: CloudTrail's defaults
            return "All", True
        basic = got.get("EventSelectors") or []
        if not basic:
            return "All", True  # a new trail logs all management events
        s = basic[0]
        return s.get("ReadWriteType", "All"), bool(s.get("IncludeManagementEvents", True))

    def _deliver_s3(
        self, records: list[dict[str, Any]], p: _Pipeline, notes: list[str]
    ) -> list[str]:
        bucket = p.trail.get("S3BucketName")
        if not records or not bucket:
            return []
        s3 = self.lab.client("s3")
        keys: list[str] = []
        files = log_files(records, self.lab.config.account_id, p.trail.get("S3KeyPrefix"))
        for f in files:
            try:
                s3.put_object(
                    Bucket=bucket,
                    Key=f.key,
                    Body=f.body,
                    ContentType="application/json",
                    ContentEncoding="gzip",
                    # CloudTrail writes with this ACL; the documented bucket policy requires it.
                    ACL="bucket-owner-full-control",
                )
            except _client_error() as exc:
                notes.append(
                    f"S3 delivery to bucket {bucket!r} failed ({error_code(exc) or exc}); "
                    "CloudTrail would retry it"
                )
                return keys
            keys.append(f.key)
        return keys

    def _deliver_logs(
        self, records: list[dict[str, Any]], p: _Pipeline, notes: list[str]
    ) -> tuple[str | None, timedelta | None, list[dict[str, Any]]]:
        if not records:
            return None, timedelta(0), []
        if not p.log_group:
            notes.append(
                f"trail {p.trail.get('Name')!r} sends nothing to CloudWatch Logs "
                "(no CloudWatchLogsLogGroupArn): metric filters see no events"
            )
            return None, timedelta(0), []
        cfg = self.lab.config
        home = p.trail.get("HomeRegion") or self.lab.region
        stream = log_stream_name(cfg.account_id, home)
        logs = self.lab.client("logs")
        try:
            logs.create_log_stream(logGroupName=p.log_group, logStreamName=stream)
        except _client_error() as exc:
            code = error_code(exc)
            if code == "ResourceNotFoundException":
                notes.append(
                    f"log group {p.log_group!r} does not exist: metric filters see no events"
                )
                return None, timedelta(0), []
            if code != "ResourceAlreadyExistsException":
                raise SigninLabError(f"cannot create log stream {stream!r}: {exc}") from exc
        shift = self._log_shift(records)
        entries = log_events(records, shift or timedelta(0))
        if shift is None:  # stamped with the replay's (wall) time, as a late delivery would be
            now = to_millis(self._wall())
            entries = [{"timestamp": now, "message": e["message"]} for e in entries]
        for batch in batches(entries):
            got = logs.put_log_events(
                logGroupName=p.log_group, logStreamName=stream, logEvents=batch
            )
            rejected = got.get("rejectedLogEventsInfo")
            if rejected:
                raise SigninLabError(f"log group {p.log_group!r} refused log events: {rejected}")
        return stream, shift, records

    def _log_shift(self, records: list[dict[str, Any]]) -> timedelta | None:
        """timedelta(0) when the target accepts the records' own times; else a whole-day shift;
        None when the archive is too long for one shift (stamp with the replay time)."""
        now = self._wall()
        oldest, newest = event_time(records[0]), event_time(records[-1])
        lo, hi = now - _LOG_OLDEST, now + _LOG_NEWEST
        if lo <= oldest and newest <= hi:
            return timedelta(0)
        days = (now - newest) // timedelta(days=1)
        shift = timedelta(days=days)
        if lo <= oldest + shift and newest + shift <= hi:
            return shift
        return None

    # -- metrics, alarms, notifications ---------------------------------------------------------
    def _put_metric_data(self, points: list[Datapoint]) -> None:
        cw = self.lab.client("cloudwatch")
        by_namespace: dict[str, list[dict[str, Any]]] = {}
        for p in points:
            datum: dict[str, Any] = {
                "MetricName": p.metric_name,
                "Timestamp": p.time,
                "StatisticValues": {
                    "SampleCount": p.sample_count,
                    "Sum": p.sum,
                    "Minimum": p.minimum,
                    "Maximum": p.maximum,
                },
            }
            if p.unit:
                datum["Unit"] = p.unit
            by_namespace.setdefault(p.namespace, []).append(datum)
        for namespace, data in by_namespace.items():
            for i in range(0, len(data), _METRICS_PER_CALL):
                cw.put_metric_data(Namespace=namespace, MetricData=data[i : i + _METRICS_PER_CALL])

    def _set_state(self, alarm: str, state: str, reason: str) -> None:
        self.lab.client("cloudwatch").set_alarm_state(
            AlarmName=alarm, StateValue=state, StateReason=reason[:_MAX_REASON]
        )

    def _notify(self, spec: AlarmSpec, change: Transition, notes: list[str]) -> list[InboxMessage]:
        """Publish the alarm message to each SNS action; what email and SMS subscribers receive."""
        if not change.actions:
            return []
        cfg = self.lab.config
        sns = self.lab.client("sns")
        message = alarm_message(
            spec.raw,
            old_state=change.old_state or "INSUFFICIENT_DATA",
            new_state=change.state,
            reason=change.reason,
            time=change.time,
            account_id=cfg.account_id,
            region=self.lab.region,
        )
        out: list[InboxMessage] = []
        for arn in change.actions:
            if not arn.startswith("arn:aws:sns:"):
                notes.append(f"alarm {spec.name!r}: action {arn} is not an SNS topic; not emulated")
                continue
            try:
                sns.publish(
                    TopicArn=arn,
                    Subject=subject(change.state, spec.name, self.lab.region),
                    Message=json.dumps(message),
                )
                subs = []
                kwargs: dict[str, Any] = {"TopicArn": arn}
                while True:
                    page = sns.list_subscriptions_by_topic(**kwargs)
                    subs.extend(page.get("Subscriptions", []))
                    if not page.get("NextToken"):
                        break
                    kwargs["NextToken"] = page["NextToken"]
            except _client_error() as exc:
                notes.append(
                    f"alarm {spec.name!r}: publishing to {arn} failed "
                    f"({error_code(exc) or exc}); AWS records a failed action"
                )
                continue
            out.extend(deliveries(arn, subs, message, change.time, self.lab.region))
        return out
