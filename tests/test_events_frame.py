"""signins_frame: one typed row per ConsoleLogin, right on every AWS documented example."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from signin_lab.errors import SigninLabError
from signin_lab.events import COLUMNS, load_records, signins_frame
from signin_lab.events.samples import aws_example_entries

ENTRIES = {e["scenario"]: e for e in aws_example_entries()}
NA = None  # expected missing value

# scenario -> (outcome, user_type, user_name, mfa_used, region, error_message); each from the
# record in signin_lab/data/console_login_examples.json, whose "source" names the AWS page.
EXPECTED: dict[str, tuple[Any, ...]] = {
    "IAM user, successful sign-in without MFA": ("Success", "IAMUser", "Anaya", False, "us-east-1", NA),
    "IAM user, successful sign-in with MFA": ("Success", "IAMUser", "Anaya", True, "us-east-1", NA),
    "IAM user, unsuccessful sign-in": (
        "Failure", "IAMUser", "Paulo", True, "us-east-1", "Failed authentication"),
    "Root user, successful sign-in without MFA": ("Success", "Root", NA, False, "us-east-1", NA),
    "Root user, successful sign-in with MFA": ("Success", "Root", NA, True, "us-east-1", NA),
    "Root user, unsuccessful sign-in": (
        "Failure", "Root", NA, False, "us-east-1", "Failed authentication"),
    "Federated user, successful ConsoleLogin without MFA": (
        "Success", "AssumedRole", "JohnDoe", False, "us-east-1", NA),
    "Root user, successful sign-in with MFA (older doc version)": (
        "Success", "Root", NA, True, "us-east-1", NA),
    "IAM user, sign-in failure (wrong password)": (
        "Failure", "IAMUser", "JaneDoe", False, "us-east-2", "Failed authentication"),
    "Sign-in failure caused by incorrect user name": (
        "Failure", "IAMUser", "HIDDEN_DUE_TO_SECURITY_REASONS", False, "us-east-2",
        "No username found in supplied account"),
}
NOT_SIGNINS = [s for s in ENTRIES if s not in EXPECTED]


def value(x: Any) -> Any:
    return None if pd.isna(x) else x


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_each_documented_console_login(scenario: str) -> None:
    """Each AWS example ConsoleLogin gives the row its record says (source in the entry)."""
    entry = ENTRIES[scenario]
    row = signins_frame([entry["record"]]).iloc[0]
    got = tuple(value(row[c]) for c in
                ("outcome", "user_type", "user_name", "mfa_used", "region", "error_message"))
    assert EXPECTED[scenario] == got, entry["source"]
    assert entry["record"]["eventID"] == row["event_id"]
    assert pd.Timestamp(entry["record"]["eventTime"]) == row["time"]


@pytest.mark.parametrize("scenario", NOT_SIGNINS)
def test_other_sign_in_and_api_events_are_not_rows(scenario: str) -> None:
    """CheckMfa, GetSigninToken and root API calls are not ConsoleLogin rows."""
    assert 0 == len(signins_frame([ENTRIES[scenario]["record"]]))


def test_all_examples_make_ten_rows_sorted_by_time() -> None:
    """The 15 examples give 10 rows, oldest first, index 0..9."""
    frame = signins_frame(e["record"] for e in aws_example_entries())
    assert 10 == len(frame)
    assert frame["time"].is_monotonic_increasing
    assert list(range(10)) == list(frame.index)


def test_columns_and_dtypes() -> None:
    """Columns come in the documented order with UTC nanosecond times and nullable types."""
    frame = signins_frame(e["record"] for e in aws_example_entries())
    assert list(COLUMNS) == list(frame.columns)
    assert "datetime64[ns, UTC]" == str(frame["time"].dtype)
    assert {c: str(frame[c].dtype) for c in COLUMNS} == COLUMNS


def test_empty_input_gives_empty_typed_frame() -> None:
    """No records give an empty frame that still has every column and dtype."""
    frame = signins_frame([])
    assert (0, list(COLUMNS)) == (len(frame), list(frame.columns))
    assert "datetime64[ns, UTC]" == str(frame["time"].dtype)


def test_missing_additional_event_data_gives_na_mfa() -> None:
    """A ConsoleLogin without additionalEventData has mfa_used NA, not False."""
    record = dict(ENTRIES["IAM user, successful sign-in without MFA"]["record"])
    del record["additionalEventData"]
    assert pd.isna(signins_frame([record])["mfa_used"].iloc[0])


def test_mfa_used_yes_in_capitals_counts_as_mfa() -> None:
    """"YES" (the 2022 example) and "Yes" both mean MFA was used (docs ambiguity 17, decided)."""
    record = ENTRIES["Root user, successful sign-in with MFA (older doc version)"]["record"]
    assert "YES" == record["additionalEventData"]["MFAUsed"]
    assert True is bool(signins_frame([record])["mfa_used"].iloc[0])


def test_bad_event_time_names_the_event() -> None:
    """A ConsoleLogin whose eventTime is not ISO 8601 raises naming its eventID."""
    record = dict(ENTRIES["Root user, unsuccessful sign-in"]["record"], eventTime="yesterday")
    with pytest.raises(SigninLabError, match="f28d4329-5050-480b-8de0-EXAMPLE07329"):
        signins_frame([record])


def test_accepts_a_record_stream(tmp_path: Path) -> None:
    """signins_frame reads straight from load_records."""
    path = tmp_path / "e.json"
    path.write_text(json.dumps({"Records": [e["record"] for e in aws_example_entries()]}))
    assert 10 == len(signins_frame(load_records(path)))
