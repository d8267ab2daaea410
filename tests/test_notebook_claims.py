"""Where a notebook's text states a fact about an output, the stored output holds it.

Each claim names the markdown cell that makes it (by cell id, with the words that make it) and the
code cell whose stored output must bear it out, so a change that makes the text false fails here.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

Check = Callable[[str], bool]


def _has(pattern: str) -> Check:
    return lambda text: re.search(pattern, text) is not None


def _count(needle: str, expected: int) -> Check:
    return lambda text: text.count(needle) == expected


def _lacks(needle: str) -> Check:
    return lambda text: needle not in text


#: (notebook, claim cell id, words of the claim, output cell id, what the output must show, why)
CLAIMS: list[tuple[str, str, str, str, Check, str]] = [
    ("00_overview", "00-teardown-1", r"\*\*9 absent\*\* are the CIS controls' 3 alarms, 3 metric filters and 3 topics",
     "00-19", _has(r"teardown: 16 deleted, 9 absent"), "first teardown: 16 deleted, 9 absent"),
    ("00_overview", "00-teardown-1", r"25 resources checked", "00-19",
     _has(r"nothing to change \(25 resources checked\)"), "second teardown checks 25"),
    ("02_sns", "02-08", r"Four emails and one SMS", "02-07", _has(r"email\s+4\nsms\s+1\n"), "4 email, 1 sms"),
    ("02_sns", "02-pending-1", r"`PendingConfirmation`", "02-pending-2",
     _has(r"PendingConfirmation  confirmed: False"), "a pending subscription is not confirmed"),
    ("03_cloudtrail", "03-04", r"two\s+statements, nothing else", "03-07", _count('"Sid"', 2), "two statements"),
    ("03_cloudtrail", "03-08", r"The kit leaves it out", "03-07", _lacks("SecureTransport"), "no TLS statement"),
    ("03_cloudtrail", "03-13", r"single-Region trail here would miss them all", "03-16",
     _has(r"would record: 0 of \d+"), "a single-Region trail in eu-west-1 records none"),
    ("03_cloudtrail", "03-record-3", r"A sign-in has no request parameters \(`null`", "03-record-2",
     _has(r"requestParameters\s+null"), "the sign-in's requestParameters is null"),
    ("05_metric_filters", "05-19", r"The two blog columns are empty", "05-18",
     lambda t: (re.search(r"blog failure-root\s+0\n", t) is not None
                and re.search(r"blog success-root\s+0\n", t) is not None),
     "the blog's root patterns match 0 records"),
    ("05_metric_filters", "05-16", r"checks that it\s+changes nothing", "05-eventsource-1",
     _count("same as without: True", 2), "eventSource changes no match"),
    ("05_metric_filters", "05-21", r"identity type as \*\*`Root`\*\*", "05-20", _has(r'"type": "Root"'),
     "AWS's root record says Root"),
    ("05_metric_filters", "05-21", r"an empty `matches` list means the blog's pattern does not match", "05-root-1",
     _has(r'the emulator\'s answer for the same call: \{"matches": \[\]\}'), "the emulator's answer is no match"),
    ("05_metric_filters", "05-21", r"The command below tests the blog's\s+pattern on AWS's example record", "05-root-1",
     _has(r"^aws logs test-metric-filter --filter-pattern '\{ \(\$\.eventName = \"ConsoleLogin\"\) && "
          r"\(\$\.userIdentity\.type = \"root\"\)"), "the command tests the blog's pattern"),
    ("06_alarms", "06-02", r"\*\*Sum\*\* of the metric over \*\*5 minutes\*\*", "06-05",
     _count("Sum     300", 4), "four alarms, Sum over 300 s"),
    ("07_does_it_all_work", "07-08", r"Four minutes have a\s+sign-in, one for each metric", "07-09",
     lambda t: len(re.findall(r"\d\d:\d\d:00\+00:00\s+signin-console-\S+\s+1\.0", t)) == 4, "four non-zero minutes"),
    ("07_does_it_all_work", "07-timing-1", r"a sign-in at 09:08 raises its alarm here at 09:09", "07-11",
     _has(r"09:09\s+signin-console-failure-iam\s+OK -> ALARM"), "the 09:08 sign-in's alarm at 09:09"),
    ("07_does_it_all_work", "07-00", r"four emails and an SMS", "07-14",
     lambda t: t.count("email:you@example.com") == 4 and t.count("sms:+447700900123") == 1, "4 emails, 1 SMS"),
    ("08_cost_analysis", "a54421b3", r"Eight cents", "5acfc870", _has(r"total after the free tier: USD 0\.08"),
     "the blog's month costs USD 0.08"),
    ("09_beyond", "42e02b1e", r"All three \*\*FAILED\*\*", "0bf4b1c0", _count("FAILED", 3), "three controls fail"),
    ("09_beyond", "684a637b", r"All three \*\*PASSED\*\*", "32c774e7", _count("PASSED", 3), "three controls pass"),
]


def _notebook(name: str) -> Any:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def _cell(nb: Any, cell_id: str) -> Any:
    found = [c for c in nb.cells if c.get("id") == cell_id]
    assert 1 == len(found), f"cell {cell_id!r}: found {len(found)}"
    return found[0]


def _output_text(cell: Any) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append(out["text"])
        elif "text/plain" in out.get("data", {}):
            parts.append(out["data"]["text/plain"])
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("notebook", "claim_id", "claim", "output_id", "check", "why"),
    CLAIMS,
    ids=[f"{c[0][:2]}:{c[1]}:{c[5]}" for c in CLAIMS],
)
def test_claim_holds_in_stored_output(
    notebook: str, claim_id: str, claim: str, output_id: str, check: Check, why: str
) -> None:
    """The markdown cell still makes the claim, and the stored output of its code cell bears it out."""
    nb = _notebook(notebook)
    text = _cell(nb, claim_id).source
    assert re.search(claim, text), f"{notebook} {claim_id} no longer says {claim!r}: update the claim table"
    output = _output_text(_cell(nb, output_id))
    assert output, f"{notebook} {output_id} has no stored output"
    assert check(output), f"{notebook} {output_id}: output does not show {why!r}:\n{output[:800]}"


@pytest.mark.parametrize(
    ("notebook", "answer_id", "check_id"),
    [("03_cloudtrail", "03-21", "03-22"), ("03_cloudtrail", "03-record-6", "03-record-7"),
     ("05_metric_filters", "05-39", "05-40")],
)
def test_exercise_is_stored_unanswered(notebook: str, answer_id: str, check_id: str) -> None:
    """The answer cell holds None and its check's stored output says it is not answered yet."""
    nb = _notebook(notebook)
    assert "None" in _cell(nb, answer_id).source
    assert _output_text(_cell(nb, check_id)).startswith("Not answered yet")


def _run_path_check(my_prefix: str | None) -> str:
    """Run notebook 03's path check cell on `my_prefix`, as the kernel would, and return what it prints."""
    from signin_lab import LabConfig
    from signin_lab.events import samples

    class _Lab:
        config = LabConfig()

    source = _cell(_notebook("03_cloudtrail"), "03-22").source
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "03-22", "exec"), {"lab": _Lab(), "samples": samples, "my_prefix": my_prefix})  # noqa: S102 - the notebook's own check cell
    return out.getvalue()


@pytest.mark.parametrize(
    "prefix",
    [
        "AWSLogs/123456789012/CloudTrail/eu-north-1/2025/03/0",  # the day cut short
        "AWSLogs/123456789012/CloudTrail/eu-north-1/2025/03/",  # the month folder only
        "AWSLogs/123456789012/CloudTrail/eu-west-1/2025/03/03/",  # the trail's home Region
    ],
)
def test_path_check_refuses_near_misses(prefix: str) -> None:
    """Notebook 03's check says ✘ for a truncated day, a month-only prefix and the wrong Region."""
    assert _run_path_check(prefix).startswith("✘")


@pytest.mark.parametrize(
    "prefix",
    [
        "AWSLogs/123456789012/CloudTrail/eu-north-1/2025/03/03/",
        "/AWSLogs/123456789012/CloudTrail/eu-north-1/2025/03/03",
    ],
)
def test_path_check_accepts_the_day_folder(prefix: str) -> None:
    """Notebook 03's check says ✔ for the day folder, with or without the outer slashes."""
    assert _run_path_check(prefix).startswith("✔")


@pytest.mark.parametrize(
    ("notebook", "stage"),
    [("01_iam", "iam"), ("02_sns", "sns"), ("03_cloudtrail", "cloudtrail"), ("04_cloudwatch_logs", "logs"),
     ("05_metric_filters", "metric_filters"), ("06_alarms", "alarms")],
)
def test_each_stage_notebook_shows_its_console_and_cli_steps(notebook: str, stage: str) -> None:
    """Each stage's notebook prints that stage's console steps and AWS CLI commands, stored executed."""
    cell = _cell(_notebook(notebook), f"{notebook[:2]}-steps-2")
    assert 'steps.cli(' in cell.source and f'"{stage}")' in cell.source
    output = _output_text(cell)
    assert output.startswith("1. ")
    assert re.search(r"^aws \S+ \S+ .* --region \S+$", output, re.MULTILINE)
