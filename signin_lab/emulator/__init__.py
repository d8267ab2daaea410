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

`Emulator` is the facade; each job has its module: runtime.py reads the configuration back,
shipping.py delivers (S3, CloudWatch Logs), metrics.py makes datapoints, runner.py runs the
alarms on the target, inbox.py publishes to SNS, drill.py is the real-AWS drill.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from signin_lab.emulator.clock import DEFAULT_START, SimulatedClock, floor_minute
from signin_lab.emulator.delivery import check_records, event_time, log_message
from signin_lab.emulator.drill import Drill, drill_on_aws
from signin_lab.emulator.inbox import notify
from signin_lab.emulator.metrics import LogEvent, datapoints
from signin_lab.emulator.notify import InboxMessage
from signin_lab.emulator.replay import ReplayRun, datapoints_frame, timeline_frame
from signin_lab.emulator.runner import AlarmRunner
from signin_lab.emulator.runtime import read_pipeline, read_trail, trail_log_group
from signin_lab.emulator.shipping import deliver_logs, deliver_s3, select
from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.lab import Lab

__all__ = ["Drill", "Emulator", "InboxMessage", "ReplayRun"]


class Emulator:
    """AWS's runtime behaviour on a lab's target; `lab.emulator` makes one on first use."""

    def __init__(self, lab: Lab, *, wall_clock: Callable[[], datetime] | None = None) -> None:
        self.lab = lab
        self.clock = SimulatedClock()
        # Only used to decide which log-event timestamps the target will accept.
        self._wall = wall_clock or (lambda: datetime.now(UTC))
        self._inbox: list[InboxMessage] = []
        self._alarms = AlarmRunner(lab)

    def reset(self) -> None:
        """Forget the clock, alarm states, datapoints and inbox (the target keeps what was written)."""
        self.clock.reset()
        self._inbox.clear()
        self._alarms.reset()

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
        if not self.lab.target.emulated:
            raise SigninLabError(
                "replay emulates AWS on moto; on real AWS, AWS runs the pipeline itself: "
                "use lab.drill(outcome, user_type) to send one sign-in through it"
            )
        recs = sorted(check_records(records), key=event_time)
        pipeline = read_pipeline(self.lab)
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
        delivered = select(self.lab, recs, pipeline, notes)
        keys = deliver_s3(self.lab, delivered, pipeline, notes)
        stream, shift, written = deliver_logs(self.lab, delivered, pipeline, notes, self._wall)

        events = [LogEvent(event_time(r), log_message(r), r) for r in written]
        points = datapoints(events, pipeline.filters)
        self._alarms.put_metric_data(points)
        rows, messages = self._alarms.run(
            pipeline.alarms,
            start,
            end,
            lambda spec, change, notes: notify(self.lab, spec, change, notes),
            notes,
        )
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

        if not self.lab.target.emulated:
            return drill_on_aws(self.lab, outcome, user_type, self._wall(), **options)
        when = time or self.clock.now or DEFAULT_START
        record = console_login(
            outcome,  # type: ignore[arg-type]
            user_type,  # type: ignore[arg-type]
            when,
            account_id=self.lab.config.account_id,
            **options,
        )
        run = self.replay([record])
        return Drill(record, trail_log_group(read_trail(self.lab)), run.log_stream, run)
