"""Tests for signin_lab.emulator.alarms: AWS's missing-data tables, premature ALARM, reason text."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from signin_lab.emulator.alarms import (
    alarm_state,
    evaluate,
    evaluation_range,
    is_breaching,
    reason,
)
from signin_lab.errors import SigninLabError

DATA = json.loads((Path(__file__).parent / "conformance" / "alarms_missing_data.json").read_text())
SYMBOL = {"0": 0.0, "X": 1.0, "-": None}
STATES = ("OK", "ALARM", "INSUFFICIENT_DATA")


def _values(text: str) -> list[float | None]:
    return [SYMBOL[s] for s in text.split()]


def _table_cases() -> list[tuple[str, int, int, str, str]]:
    cases = []
    for table in DATA["tables"]:
        for row in table["rows"]:
            for treatment in ("missing", "ignore", "breaching", "notBreaching"):
                cases.append(
                    (
                        row["datapoints"],
                        table["evaluation_periods"],
                        table["datapoints_to_alarm"],
                        treatment,
                        row[treatment],
                    )
                )
    return cases


@pytest.mark.parametrize(("datapoints", "n", "m", "treatment", "expected"), _table_cases())
@pytest.mark.parametrize("current", STATES)
def test_missing_data_tables(
    datapoints: str, n: int, m: int, treatment: str, expected: str, current: str
) -> None:
    """Every row and every TreatMissingData column of AWS's two tables, from every current state."""
    want = current if expected == "RETAIN" else expected
    got = alarm_state(
        _values(datapoints),
        threshold=0,
        comparison_operator="GreaterThanThreshold",
        evaluation_periods=n,
        datapoints_to_alarm=m,
        treat_missing_data=treatment,
        current_state=current,
    )
    assert want == got


@pytest.mark.parametrize(
    ("datapoints", "n", "m", "filled"),
    [
        (row["datapoints"], t["evaluation_periods"], t["datapoints_to_alarm"], row["filled"])
        for t in DATA["tables"]
        for row in t["rows"]
    ],
)
def test_tables_count_of_points_to_fill(datapoints: str, n: int, m: int, filled: int) -> None:
    """The tables' second column (points that must be filled) matches the evaluation."""
    points = [(None, v) for v in _values(datapoints)]
    assert filled == evaluate(points, evaluation_periods=n, datapoints_to_alarm=m).filled


def _example_cases() -> list:
    # "does not go to ALARM" is about an alarm not already in ALARM, so those run from OK and
    # INSUFFICIENT_DATA only.
    return [
        pytest.param(case, current, id=f"{case['name']}-{current}")
        for case in DATA["examples"]
        for current in STATES
        if "expected" in case or current != "ALARM"
    ]


@pytest.mark.parametrize(("case", "current"), _example_cases())
def test_documented_examples(case: dict, current: str) -> None:
    """The page's premature-ALARM examples and the note under table 1."""
    got = alarm_state(
        _values(case["datapoints"]),
        evaluation_periods=case["evaluation_periods"],
        datapoints_to_alarm=case["datapoints_to_alarm"],
        treat_missing_data=case["treat_missing_data"],
        current_state=current,
    )
    if "expected" in case:
        assert case["expected"] == got
    else:
        assert case["not_expected"] != got


def test_evaluation_range_is_five_for_three_periods() -> None:
    """The one documented evaluation range: 5 for Evaluation Periods 3."""
    assert DATA["evaluation_range"]["range"] == evaluation_range(3)


def test_evaluation_range_general_rule() -> None:
    """The kit's documented general rule for other N is N + 2."""
    assert [3, 4, 7] == [evaluation_range(n) for n in (1, 2, 5)]


def test_points_older_than_the_range_are_ignored() -> None:
    """A breaching point older than the evaluation range does not count."""
    assert "INSUFFICIENT_DATA" == alarm_state([1.0, None, None, None], evaluation_periods=1)


def test_single_period_alarm_uses_latest_real_point_in_range() -> None:
    """For N=1 the newest real datapoint in the range decides, even after missing periods."""
    assert "ALARM" == alarm_state([None, 1.0, None], evaluation_periods=1)


def test_short_history_is_padded_as_missing() -> None:
    """Fewer values than the range are missing periods on the old side."""
    assert "OK" == alarm_state([0.0], evaluation_periods=3, datapoints_to_alarm=3)


def test_premature_rule_needs_fewer_than_m_real_points() -> None:
    """Decision 2: with M real points in range the ordinary count decides (table 2 row 3)."""
    assert "OK" == alarm_state(_values("0 - X - -"), evaluation_periods=3, datapoints_to_alarm=2)


def test_premature_rule_ignores_older_non_breaching_point_below_m() -> None:
    """Decision 2: with fewer than M real points, an older non-breaching point does not block it."""
    got = alarm_state(_values("0 - X - -"), evaluation_periods=3, datapoints_to_alarm=3)
    assert "ALARM" == got


@pytest.mark.parametrize("current", STATES)
def test_too_recent_lone_breach_keeps_state(current: str) -> None:
    """Decision 3: `- - - - X` with M=N=3 and missing keeps the current state."""
    got = alarm_state(
        _values("- - - - X"), evaluation_periods=3, datapoints_to_alarm=3, current_state=current
    )
    assert current == got


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("GreaterThanThreshold", 1.0, True),
        ("GreaterThanThreshold", 0.0, False),
        ("GreaterThanOrEqualToThreshold", 0.0, True),
        ("LessThanThreshold", -1.0, True),
        ("LessThanThreshold", 0.0, False),
        ("LessThanOrEqualToThreshold", 0.0, True),
    ],
)
def test_comparison_operators(op: str, value: float, expected: bool) -> None:
    """The statistic is the first operand of each comparison operator."""
    assert expected == is_breaching(value, 0.0, op)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"evaluation_periods": 0},
        {"evaluation_periods": 2, "datapoints_to_alarm": 3},
        {"treat_missing_data": "Missing"},
        {"current_state": "PENDING"},
        {"comparison_operator": "LessThanLowerOrGreaterThanUpperThreshold"},
    ],
)
def test_bad_parameters_raise(kwargs: dict) -> None:
    """Invalid alarm parameters are a SigninLabError naming the parameter."""
    with pytest.raises(SigninLabError, match=next(iter(kwargs))):
        alarm_state([1.0], **kwargs)


T0 = datetime(2025, 3, 3, 9, 5, tzinfo=UTC)


def test_reason_alarm_matches_aws_example_format() -> None:
    """The ALARM reason is AWS's documented example text, with our datapoint."""
    e = evaluate([(T0, 1.0)])
    expected = (
        "Threshold Crossed: 1 out of the last 1 datapoints [1.0 (03/03/25 09:05:00)] was greater "
        "than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition)."
    )
    assert expected == reason(e, "INSUFFICIENT_DATA")


@pytest.mark.parametrize("case", DATA["reasons"], ids=[c["name"] for c in DATA["reasons"]])
def test_reason_conformance(case: dict) -> None:
    """AWS's own reason examples are reproduced from their value and time."""
    e = evaluate(
        [(datetime.fromisoformat(case["time"]), case["value"])],
        threshold=case["threshold"],
        comparison_operator=case["comparison_operator"],
        evaluation_periods=case["evaluation_periods"],
        datapoints_to_alarm=case["datapoints_to_alarm"],
    )
    assert case["expected"] == reason(e, case["old_state"])


def test_reason_ok_first_evaluation() -> None:
    """The OK reason after INSUFFICIENT_DATA lists the non-breaching datapoint."""
    e = evaluate([(T0, 0.0)])
    expected = (
        "Threshold Crossed: 1 datapoint [0.0 (03/03/25 09:05:00)] was not greater than the "
        "threshold (0.0)."
    )
    assert expected == reason(e, "INSUFFICIENT_DATA")


def test_reason_ok_after_alarm_names_the_transition() -> None:
    """The OK reason after ALARM names the ALARM -> OK transition."""
    e = evaluate([(T0, 0.0)])
    assert reason(e, "ALARM").endswith("(minimum 1 datapoint for ALARM -> OK transition).")


def test_reason_insufficient_data() -> None:
    """The INSUFFICIENT_DATA reason counts the unknown datapoints."""
    assert "Insufficient Data: 1 datapoint was unknown." == reason(evaluate([(T0, None)]), "OK")


def test_reason_all_missing_not_breaching() -> None:
    """With notBreaching and no data, the reason says how the missing points were treated."""
    e = evaluate([(T0, None)], treat_missing_data="notBreaching")
    expected = (
        "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was "
        "treated as [NonBreaching]."
    )
    assert expected == reason(e)


def test_reason_lists_breaching_points_newest_first() -> None:
    """An M-out-of-N ALARM reason lists the breaching datapoints, newest first."""
    pts = [(T0 + timedelta(days=i), v) for i, v in enumerate([1.0, 0.0, 2.0])]
    e = evaluate(pts, evaluation_periods=3, datapoints_to_alarm=2)
    assert (
        "Threshold Crossed: 2 out of the last 3 datapoints [2.0 (03/05/25 09:05:00), "
        "1.0 (03/03/25 09:05:00)] were greater than the threshold (0.0) "
        "(minimum 2 datapoints for OK -> ALARM transition)."
    ) == reason(e)
