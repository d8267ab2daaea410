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
from typing import TYPE_CHECKING, Any, Literal, overload

from signin_lab.emulator.clock import DEFAULT_START, SimulatedClock, floor_minute
from signin_lab.emulator.delivery import check_records, event_time
from signin_lab.emulator.inbox import notify
from signin_lab.emulator.metrics import DatapointAccumulator, LogEvent
from signin_lab.emulator.notify import InboxMessage
from signin_lab.emulator.replay import ReplayRun, datapoints_frame, timeline_frame
from signin_lab.emulator.runner import AlarmRunner
from signin_lab.emulator.runtime import read_pipeline, read_trail, trail_log_group
from signin_lab.emulator.shipping import Selection, Shipper
from signin_lab.emulator.stream import SortedRecords, key_time, selection_class
from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.emulator.drill import Drill
    from signin_lab.emulator.eventbridge import DesignRuns, EventBridgeRun
    from signin_lab.lab import Lab

__all__ = ["DesignRuns", "Drill", "Emulator", "EventBridgeRun", "InboxMessage", "ReplayRun"]

#: Names imported on first use: the EventBridge design and the real-AWS drill bring botocore's
#: utilities and urllib3 (0.09 s), which reading an archive or replaying the blog's design never need.
_LAZY = {"DesignRuns": "eventbridge", "EventBridgeRun": "eventbridge", "Drill": "drill"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"signin_lab.emulator.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

#: A replay's progress callback is called every this many records (and once at the end).
PROGRESS_EVERY = 1_000


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

    @overload
    def replay(self, records: Iterable[Mapping[str, Any]], *, until: datetime | None = ...,
               tail: timedelta | None = ..., design: Literal["blog"] = ...,
               progress: Callable[[int, int], None] | None = ...) -> ReplayRun: ...
    @overload
    def replay(self, records: Iterable[Mapping[str, Any]], *, until: datetime | None = ...,
               tail: timedelta | None = ..., design: Literal["eventbridge"],
               progress: Callable[[int, int], None] | None = ...) -> EventBridgeRun: ...
    @overload
    def replay(self, records: Iterable[Mapping[str, Any]], *, until: datetime | None = ...,
               tail: timedelta | None = ..., design: Literal["both"],
               progress: Callable[[int, int], None] | None = ...) -> DesignRuns: ...

    def replay(
        self,
        records: Iterable[Mapping[str, Any]],
        *,
        until: datetime | None = None,
        tail: timedelta | None = None,
        design: str = "blog",
        progress: Callable[[int, int], None] | None = None,
    ) -> ReplayRun | EventBridgeRun | DesignRuns:
        """The records through the deployed design: `blog` (ReplayRun), `eventbridge` (the rules
        of every Region the records were recorded in, see emulator/eventbridge.py: EventBridgeRun)
        or `both` (DesignRuns). Every message lands in the one inbox. `progress(done, total)` is
        called as the blog's design delivers records (for a progress bar)."""
        if design not in ("blog", "eventbridge", "both"):
            raise SigninLabError(f"replay design={design!r}: expected 'blog', 'eventbridge' or 'both'")
        if design == "blog":
            return self._replay_blog(records, until=until, tail=tail, progress=progress)
        recs = check_records(records)
        blog = (
            self._replay_blog(recs, until=until, tail=tail, progress=progress)
            if design == "both"
            else None
        )
        if not self.lab.target.emulated:
            raise SigninLabError("replay emulates AWS on moto; on real AWS, EventBridge runs itself")
        from signin_lab.emulator.eventbridge import DesignRuns
        from signin_lab.emulator.eventbridge import replay as replay_eventbridge

        run = replay_eventbridge(self.lab, recs, [self.lab.region])
        self._inbox.extend(run.messages)
        if recs and blog is None:
            last = floor_minute(max(event_time(r) for r in recs))
            if self.clock.now is None or last > self.clock.now:
                self.clock.advance_to(last)
        return run if blog is None else DesignRuns(blog, run)

    def _replay_blog(
        self,
        records: Iterable[Mapping[str, Any]],
        *,
        until: datetime | None = None,
        tail: timedelta | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ReplayRun:
        """CloudTrail records through delivery, metric filters, alarms and SNS, on the simulated clock.

        The run lasts from the first record's minute (or where the previous replay ended) to
        `until`, by default the last record plus `tail` (default: the longest alarm Period plus a
        minute, so each alarm has evaluated the last record's period). A longer tail is a stretch
        with no logs at all: alarms then go to INSUFFICIENT_DATA (or OK with notBreaching).

        Records stream: each is checked as it is read and kept only as its log message (sorted
        runs spill to a temporary folder past `stream.SPILL_AT` records), then delivered,
        filtered and counted in time order one at a time, so memory stays flat however many
        there are. `progress(done, total)` is called as records are delivered (for a progress
        bar; the library prints nothing).
        """
        if not self.lab.target.emulated:
            raise SigninLabError(
                "replay emulates AWS on moto; on real AWS, AWS runs the pipeline itself: "
                "use lab.drill(outcome, user_type) to send one sign-in through it"
            )
        ordered = SortedRecords().add_all(records)
        try:
            return self._replay(ordered, until, tail, progress)
        finally:
            ordered.close()

    def _replay(
        self,
        ordered: SortedRecords,
        until: datetime | None,
        tail: timedelta | None,
        progress: Callable[[int, int], None] | None,
    ) -> ReplayRun:
        pipeline = read_pipeline(self.lab)
        first_time, last_time = ordered.first, ordered.last
        first = floor_minute(first_time) if first_time is not None else None
        start = self.clock.now or first or DEFAULT_START
        if first is not None and first < start:
            self.clock.advance_to(first)  # raises: records older than the clock
        longest = max((a.period // 60 for a in pipeline.alarms), default=5)
        last = floor_minute(last_time) if last_time is not None else start
        end = until or (last + (tail if tail is not None else timedelta(minutes=longest + 1)))
        end = floor_minute(end)
        if end < start:
            raise SigninLabError(
                f"until={end.isoformat()} is before the replay's start {start.isoformat()}"
            )

        selection = Selection(self.lab, pipeline)
        notes = selection.notes({cls: s.count for cls, s in ordered.classes.items()})
        kept = [s for cls, s in ordered.classes.items() if selection.keeps(cls)]
        acc = DatapointAccumulator(pipeline.filters)
        keys: list[str] = []
        stream: str | None = None
        shift: timedelta | None = timedelta(0)
        written = 0
        total = ordered.count
        if kept:
            ship = Shipper(self.lab, pipeline, self._wall, key_time(min(s.first for s in kept)),
                           key_time(max(s.last for s in kept)))
            for done, (time, message, record) in enumerate(ordered, 1):
                if selection.keeps(selection_class(record)) and ship.add(time, message, record):
                    acc.add(LogEvent(time, message, record))
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done, total)
            ship.close()
            notes += ship.s3_notes + ship.log_notes
            keys, stream, shift, written = ship.keys, ship.stream, ship.shift, ship.written
        if progress is not None:
            progress(total, total)

        points = acc.result()
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
            records=total,
            log_events=written,
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
        from signin_lab.emulator.drill import Drill, drill_on_aws
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
