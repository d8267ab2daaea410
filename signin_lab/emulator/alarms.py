"""CloudWatch metric-alarm evaluation, pure: evaluation range, TreatMissingData, premature ALARM, reasons.

Models https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
("How alarm state is evaluated when data is missing", "Avoiding premature transitions to alarm
state") and https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html.
Both of the page's tables and its premature-alarm examples are conformance data in
tests/conformance/alarms_missing_data.json.

Decisions where the page is silent or contradicts itself (each pinned by a test):

1. Evaluation range. The page gives one value only: 5 for Evaluation Periods = 3 ("depends on the
   length of the alarm period and whether ... standard resolution or high resolution"). The kit
   uses N + 2 for every N (`evaluation_range`), which gives 5 for N = 3.
2. Premature-ALARM rule. Read literally ("the oldest available breaching datapoint ... is at least
   as old as Datapoints to Alarm, and all other more recent data points are breaching or missing")
   it would put table 2's row `0 - X - -` (2 out of 3) into ALARM, but the table says OK. The kit
   applies the rule only when fewer than M (Datapoints to Alarm) real datapoints are in the range,
   the case the page says it exists for ("even if the total number of datapoints available is lower
   than M"); with M or more real points the ordinary M-out-of-N count decides. Ages count in
   periods, the newest period of the range being 1 old, over the whole evaluation range (the page's
   last paragraph says "during the evaluation range").
3. `- - - - X` and `- - - X -` with M = N = 3 and `missing`: the page says only that the alarm does
   not go to ALARM "immediately". With no non-breaching real point to justify OK, the kit keeps the
   current state (as the `ignore` column does for the same shape of data).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

from signin_lab.config import ComparisonOperator, TreatMissingData
from signin_lab.errors import SigninLabError

AlarmState = Literal["OK", "ALARM", "INSUFFICIENT_DATA"]
#: How a state was reached, for the reason text and for tests.
Rule = Literal["real", "filled", "premature", "all_missing", "retained"]

ALARM_STATES: tuple[AlarmState, ...] = get_args(AlarmState)
TREATMENTS: tuple[TreatMissingData, ...] = get_args(TreatMissingData)
OPERATORS: tuple[ComparisonOperator, ...] = get_args(ComparisonOperator)

#: The words AWS's reason text uses for each operator (observed in alarm notifications).
OPERATOR_WORDS: dict[str, str] = {
    "GreaterThanOrEqualToThreshold": "greater than or equal to",
    "GreaterThanThreshold": "greater than",
    "LessThanThreshold": "less than",
    "LessThanOrEqualToThreshold": "less than or equal to",
}
#: The reason AWS gives an alarm that has never been evaluated (DescribeAlarms StateReason).
INITIAL_REASON = "Unchecked: Initial alarm creation"


def evaluation_range(evaluation_periods: int) -> int:
    """How many periods CloudWatch retrieves for an alarm of N evaluation periods: N + 2.

    The docs give only N = 3 -> 5 (alarms-and-missing-data.html); N + 2 is the kit's general rule.
    """
    if evaluation_periods < 1:
        raise SigninLabError(f"evaluation_periods={evaluation_periods!r}: must be at least 1")
    return evaluation_periods + 2


def is_breaching(value: float, threshold: float, comparison_operator: str) -> bool:
    """Whether one datapoint breaches: "The specified statistic value is used as the first operand."

    https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
    """
    if comparison_operator == "GreaterThanThreshold":
        return value > threshold
    if comparison_operator == "GreaterThanOrEqualToThreshold":
        return value >= threshold
    if comparison_operator == "LessThanThreshold":
        return value < threshold
    if comparison_operator == "LessThanOrEqualToThreshold":
        return value <= threshold
    raise SigninLabError(
        f"comparison_operator={comparison_operator!r}: the emulator models {', '.join(OPERATORS)}"
    )


@dataclass(frozen=True)
class Point:
    """One period's datapoint in an evaluation: its start time, value (None: missing), age."""

    time: datetime | None
    value: float | None
    age: int  # periods back from the evaluation time; the newest period is 1
    breaching: bool | None = None  # None when missing


@dataclass(frozen=True)
class Evaluation:
    """The result of one alarm evaluation and what it was based on."""

    state: AlarmState
    rule: Rule
    evaluated: tuple[Point, ...]  # the real datapoints that decided it, newest first
    filled: int  # how many missing datapoints were filled with the TreatMissingData setting
    filled_as: Literal["Breaching", "NonBreaching"] | None
    evaluation_periods: int
    datapoints_to_alarm: int
    threshold: float
    comparison_operator: str
    treat_missing_data: str
    range: tuple[Point, ...] = field(repr=False, default=())


def _validate(
    evaluation_periods: int,
    datapoints_to_alarm: int | None,
    treat_missing_data: str,
    current_state: str,
    comparison_operator: str,
) -> int:
    if not isinstance(evaluation_periods, int) or evaluation_periods < 1:
        raise SigninLabError(f"evaluation_periods={evaluation_periods!r}: must be an integer >= 1")
    m = evaluation_periods if datapoints_to_alarm is None else datapoints_to_alarm
    if not isinstance(m, int) or not 1 <= m <= evaluation_periods:
        raise SigninLabError(
            f"datapoints_to_alarm={datapoints_to_alarm!r}: must be between 1 and "
            f"evaluation_periods ({evaluation_periods})"
        )
    if treat_missing_data not in TREATMENTS:
        raise SigninLabError(
            f"treat_missing_data={treat_missing_data!r}: one of {', '.join(TREATMENTS)}"
        )
    if current_state not in ALARM_STATES:
        raise SigninLabError(f"current_state={current_state!r}: one of {', '.join(ALARM_STATES)}")
    if comparison_operator not in OPERATORS:
        raise SigninLabError(
            f"comparison_operator={comparison_operator!r}: the emulator models {', '.join(OPERATORS)}"
        )
    return m


def evaluate(  # noqa: C901 - alarms-and-missing-data.html's rules in the page's order, one branch each
    points: Sequence[tuple[datetime | None, float | None]],
    *,
    threshold: float = 0.0,
    comparison_operator: str = "GreaterThanThreshold",
    evaluation_periods: int = 1,
    datapoints_to_alarm: int | None = None,
    treat_missing_data: str = "missing",
    current_state: str = "INSUFFICIENT_DATA",
) -> Evaluation:
    """Evaluate an alarm over (period start, value) pairs, oldest first, value None when missing.

    Only the newest `evaluation_range(N)` periods are looked at; fewer are padded with missing
    periods on the old side. The rules are those of alarms-and-missing-data.html, in its order.
    """
    n = evaluation_periods
    m = _validate(n, datapoints_to_alarm, treat_missing_data, current_state, comparison_operator)
    width = evaluation_range(n)
    window = list(points)[-width:]
    window = [(None, None)] * (width - len(window)) + window
    rng: list[Point] = []
    for i, (time, value) in enumerate(window):
        age = width - i
        if value is None:
            rng.append(Point(time, None, age))
        else:
            v = float(value)
            rng.append(Point(time, v, age, is_breaching(v, threshold, comparison_operator)))
    real = [p for p in reversed(rng) if p.value is not None]  # newest first

    def result(
        state: str,
        rule: Rule,
        evaluated: list[Point],
        filled: int = 0,
        filled_as: Literal["Breaching", "NonBreaching"] | None = None,
    ) -> Evaluation:
        return Evaluation(
            state=state,  # type: ignore[arg-type]
            rule=rule,
            evaluated=tuple(evaluated),
            filled=filled,
            filled_as=filled_as,
            evaluation_periods=n,
            datapoints_to_alarm=m,
            threshold=float(threshold),
            comparison_operator=comparison_operator,
            treat_missing_data=treat_missing_data,
            range=tuple(rng),
        )

    # "If no data points in the evaluation range are missing ... the most recent data points";
    # "If some ... are missing, but the total number of existing data points ... is equal to or
    # more than the alarm's Evaluation Periods ... the most recent real data points ... the value
    # you set for how to treat missing data is not needed and is ignored."
    if len(real) >= n:
        newest = real[:n]
        breaching = sum(1 for p in newest if p.breaching)
        return result("ALARM" if breaching >= m else "OK", "real", newest)

    # Fewer than N real points: "fills in the missing data points with the result you specified
    # ... all real data points in the evaluation range are included ... uses missing data points
    # only as few times as possible."
    filled = n - len(real)
    breaching = sum(1 for p in real if p.breaching)
    # `filled` is the page's column "# of data points that must be filled" on every row below.

    if not real:  # "- - - - -": table 1 row 3
        if treat_missing_data == "breaching":
            return result("ALARM" if filled >= m else "OK", "all_missing", [], filled, "Breaching")
        if treat_missing_data == "notBreaching":
            return result("OK", "all_missing", [], filled, "NonBreaching")
        if treat_missing_data == "ignore":  # "The current alarm state is maintained"
            return result(current_state, "retained", [], filled)
        return result("INSUFFICIENT_DATA", "all_missing", [], filled)

    if breaching >= m:  # the real points alone reach Datapoints to Alarm
        return result("ALARM", "real", real, filled)
    if treat_missing_data == "breaching":
        state = "ALARM" if breaching + filled >= m else "OK"
        return result(state, "filled", real, filled, "Breaching")
    if treat_missing_data == "notBreaching":
        return result("OK", "filled", real, filled, "NonBreaching")
    if treat_missing_data == "missing" and len(real) < m and _premature(rng, m):
        return result("ALARM", "premature", real, filled)
    if any(p.breaching is False for p in real):
        # A real non-breaching point and too few breaching ones: table 1 row 2, table 2 rows 3-4.
        return result("OK", "real", real, filled)
    # Only breaching real points, too few and too recent: table 1 and 2 row 5 under `ignore`
    # ("Retain current state"), and decision 3 above under `missing`.
    return result(current_state, "retained", real, filled)


def _premature(rng: Sequence[Point], m: int) -> bool:
    """The page's rule: the oldest breaching point is at least M periods old, and every more recent
    point is breaching or missing (alarms-and-missing-data.html, "Avoiding premature transitions")."""
    oldest = next((p for p in rng if p.breaching), None)
    if oldest is None or oldest.age < m:
        return False
    return all(p.breaching is not False for p in rng if p.age < oldest.age)


def alarm_state(
    values: Sequence[float | None],
    threshold: float = 0,
    comparison_operator: str = "GreaterThanThreshold",
    evaluation_periods: int = 1,
    datapoints_to_alarm: int | None = None,
    treat_missing_data: str = "missing",
    current_state: str = "INSUFFICIENT_DATA",
) -> AlarmState:
    """The state an alarm goes to for `values` (one per period, oldest first, None where missing).

    The pure core of the emulator; see `evaluate` and alarms-and-missing-data.html.
    """
    return evaluate(
        [(None, v) for v in values],
        threshold=threshold,
        comparison_operator=comparison_operator,
        evaluation_periods=evaluation_periods,
        datapoints_to_alarm=datapoints_to_alarm,
        treat_missing_data=treat_missing_data,
        current_state=current_state,
    ).state


# -- reason text --------------------------------------------------------------------------------
# AWS documents no grammar for StateReason. The ALARM form is AWS's own example (aws-lambda-go's
# fixture, the aws/aws-lambda-go test fixture cloudwatch-alarm-sns-payload-single-metric.json):
# "Threshold Crossed: 1 out of the last 1 datapoints [1234.0 (06/03/15 17:43:27)] was greater than
# the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition)." The OK, INSUFFICIENT_DATA
# and filled forms follow the same grammar as seen in published alarm notifications; treat them as
# observed, not documented.


def format_value(value: float) -> str:
    """A datapoint value as AWS prints it: 1.0, 0.0, 1234.0."""
    return repr(float(value))


def format_time(time: datetime | None) -> str:
    """A datapoint time as AWS prints it in reasons: mm/dd/yy HH:MM:SS (UTC).

    Month first: AWS's fixture shows "06/03/15 17:43:27" for StateChangeTime 2015-06-03T17:43:27.
    """
    return "" if time is None else time.strftime("%m/%d/%y %H:%M:%S")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _points(points: Sequence[Point]) -> str:
    return ", ".join(
        f"{format_value(p.value)} ({format_time(p.time)})" for p in points if p.value is not None
    )


def reason(evaluation: Evaluation, old_state: str = "OK") -> str:
    """AWS's NewStateReason for an evaluation (see the comment above for its sources)."""
    e = evaluation
    words = OPERATOR_WORDS[e.comparison_operator]
    thr = format_value(e.threshold)
    m, n = e.datapoints_to_alarm, e.evaluation_periods
    if e.state == "INSUFFICIENT_DATA":
        count = e.filled or n
        return f"Insufficient Data: {_plural(count, 'datapoint')} {'was' if count == 1 else 'were'} unknown."
    if e.rule == "all_missing":
        return (
            f"Threshold Crossed: no datapoints were received for {_plural(e.filled, 'period')} and "
            f"{_plural(e.filled, 'missing datapoint')} {'was' if e.filled == 1 else 'were'} "
            f"treated as [{e.filled_as}]."
        )
    filled = (
        f" and {_plural(e.filled, 'missing datapoint')} {'was' if e.filled == 1 else 'were'} "
        f"treated as [{e.filled_as}]"
        if e.rule == "filled" and e.filled
        else ""
    )
    if e.state == "ALARM":
        hits = [p for p in e.evaluated if p.breaching]
        return (
            f"Threshold Crossed: {len(hits)} out of the last {len(e.evaluated)} datapoints "
            f"[{_points(hits)}] {'was' if len(hits) == 1 else 'were'} {words} the threshold "
            f"({thr}){filled} (minimum {_plural(m, 'datapoint')} for OK -> ALARM transition)."
        )
    # OK
    good = [p for p in e.evaluated if p.breaching is False]
    if old_state == "ALARM":
        need = n - m + 1
        return (
            f"Threshold Crossed: {len(good)} out of the last {len(e.evaluated)} datapoints "
            f"[{_points(good)}] {'was' if len(good) == 1 else 'were'} not {words} the threshold "
            f"({thr}){filled} (minimum {_plural(need, 'datapoint')} for ALARM -> OK transition)."
        )
    if not good:  # only breaching real points, outvoted by points filled as NonBreaching
        hits = [p for p in e.evaluated if p.breaching]
        return (
            f"Threshold Crossed: {len(hits)} out of the last {len(e.evaluated)} datapoints "
            f"[{_points(hits)}] {'was' if len(hits) == 1 else 'were'} {words} the threshold "
            f"({thr}){filled} (minimum {_plural(m, 'datapoint')} for OK -> ALARM transition)."
        )
    return (
        f"Threshold Crossed: {_plural(len(good), 'datapoint')} [{_points(good)}] "
        f"{'was' if len(good) == 1 else 'were'} not {words} the threshold ({thr}){filled}."
    )
