"""signin_lab.events.samples: AWS-shaped records, deterministic scenarios, and the committed files."""

from __future__ import annotations

import gzip
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from signin_lab.errors import SigninLabError
from signin_lab.events import load_records, signins_frame
from signin_lab.events.samples import (
    SCENARIOS,
    aws_example_entries,
    aws_examples,
    blog_test_signins,
    console_login,
    password_guessing,
    root_at_night,
    write_samples,
)
from signin_lab.events.scan import count_matches, default_patterns

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "sample_events"
WHEN = datetime(2025, 3, 3, 9, 8, 20, tzinfo=UTC)
EXAMPLES = {e["scenario"]: e["record"] for e in aws_example_entries()}
S3_NAME = re.compile(
    r"AWSLogs/(\d{12})/CloudTrail/([a-z0-9-]+)/(\d{4})/(\d\d)/(\d\d)/"
    r"\1_CloudTrail_\2_\3\4\5T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$"
)


def keys(record: dict) -> tuple[list[str], list[str]]:
    return list(record), list(record["userIdentity"])


@pytest.mark.parametrize(
    ("outcome", "user_type", "scenario"),
    [
        ("success", "iam", "IAM user, successful sign-in without MFA"),
        ("failure", "iam", "IAM user, unsuccessful sign-in"),
        ("success", "root", "Root user, successful sign-in without MFA"),
        ("failure", "root", "Root user, unsuccessful sign-in"),
    ],
)
def test_console_login_has_the_fields_of_aws_example(outcome: str, user_type: str,
                                                     scenario: str) -> None:
    """console_login's record has exactly the fields, in order, of AWS's example of that case."""
    assert keys(EXAMPLES[scenario]) == keys(console_login(outcome, user_type, WHEN))  # type: ignore[arg-type]


def test_root_sign_in_is_root_in_us_east_1_without_user_name() -> None:
    """A root sign-in has type "Root", an ARN ending ":root", no userName, and Region us-east-1."""
    record = console_login("success", "root", WHEN)
    identity = record["userIdentity"]
    assert ("Root", "arn:aws:iam::123456789012:root", "us-east-1") == (
        identity["type"], identity["arn"], record["awsRegion"])
    assert "userName" not in identity


def test_root_sign_in_elsewhere_is_refused() -> None:
    """Asking for a root sign-in outside us-east-1 is a SigninLabError citing the rule."""
    with pytest.raises(SigninLabError, match="us-east-1"):
        console_login("success", "root", WHEN, region="eu-west-1")


def test_failures_carry_failed_authentication() -> None:
    """A failed sign-in has errorMessage "Failed authentication" and ConsoleLogin "Failure"."""
    record = console_login("failure", "iam", WHEN)
    assert ("Failed authentication", {"ConsoleLogin": "Failure"}) == (
        record["errorMessage"], record["responseElements"])


def test_unknown_user_name_is_hidden() -> None:
    """An unknown user name gives HIDDEN_DUE_TO_SECURITY_REASONS and the IAM guide's message."""
    record = console_login("failure", "iam", WHEN, user_name="admin", unknown_user=True)
    assert ("HIDDEN_DUE_TO_SECURITY_REASONS", "No username found in supplied account") == (
        record["userIdentity"]["userName"], record["errorMessage"])


def test_mfa_success_names_the_device() -> None:
    """A sign-in with MFA says MFAUsed "Yes" and names the MFA device."""
    extra = console_login("success", "iam", WHEN, mfa=True)["additionalEventData"]
    assert ("Yes", "arn:aws:iam::123456789012:mfa/alice") == (extra["MFAUsed"], extra["MFAIdentifier"])


def test_event_ids_are_deterministic_per_seed() -> None:
    """The same arguments give the same eventID; another seed gives another."""
    first = console_login("success", "iam", WHEN, seed=1)["eventID"]
    assert first == console_login("success", "iam", WHEN, seed=1)["eventID"]
    assert first != console_login("success", "iam", WHEN, seed=2)["eventID"]


def test_naive_time_is_refused() -> None:
    """A datetime without a time zone is a SigninLabError, not a guess."""
    with pytest.raises(SigninLabError, match="timezone"):
        console_login("success", "iam", datetime(2025, 3, 3, 9))


def test_blog_test_signins_four_in_order_among_other_sources() -> None:
    """The blog hour has the four sign-ins in order, sorted times, and other event sources."""
    records = blog_test_signins()
    times = [r["eventTime"] for r in records]
    assert sorted(times) == times
    frame = signins_frame(records)
    assert [("Failure", "IAMUser"), ("Failure", "Root"), ("Success", "IAMUser"),
            ("Success", "Root")] == list(zip(frame["outcome"], frame["user_type"], strict=True))
    assert len({r["eventSource"] for r in records}) >= 5


def test_blog_test_signins_fire_each_alarm_once() -> None:
    """Each of the four alerts matches one record, and the sign-ins fall in distinct 5-minute periods."""
    _, matches = count_matches(blog_test_signins(), default_patterns())
    assert {name: 1 for name in default_patterns()} == matches
    frame = signins_frame(blog_test_signins())
    gaps = frame["time"].diff().dropna()
    assert (gaps > timedelta(minutes=10)).all()


def test_blog_test_signins_start_can_move() -> None:
    """A start time shifts the whole hour."""
    start = datetime(2025, 6, 1, 12, tzinfo=UTC)
    frame = signins_frame(blog_test_signins(start))
    assert start <= frame["time"].min() and frame["time"].max() < start + timedelta(hours=1)


def test_aws_examples_are_the_reference_records() -> None:
    """aws_examples() returns the records of the reference file; entries keep source and scenario."""
    entries = aws_example_entries()
    assert [e["record"] for e in entries] == aws_examples()
    assert all("source" in e and "scenario" in e for e in entries)


def test_sign_ins_are_recorded_in_aws_regions() -> None:
    """Across every scenario, root sign-ins are in us-east-1 and IAM ones in a documented Region."""
    for make in SCENARIOS.values():
        frame = signins_frame(make())
        assert {"us-east-1"} >= set(frame.loc[frame["user_type"] == "Root", "region"])
        iam = set(frame.loc[frame["user_type"] == "IAMUser", "region"])
        assert {"us-east-1", "us-east-2", "eu-north-1", "ap-southeast-2"} >= iam


def test_password_guessing_mixes_both_failure_messages() -> None:
    """The guessing burst has both "Failed authentication" and "No username found" failures."""
    frame = signins_frame(password_guessing())
    assert {"Failed authentication", "No username found in supplied account"} == set(
        frame["error_message"])
    assert {"Failure"} == set(frame["outcome"])


def test_root_at_night_signs_in_without_mfa_at_night() -> None:
    """root_at_night has one root sign-in without MFA between midnight and 5 a.m. UTC."""
    frame = signins_frame(root_at_night())
    assert 1 == len(frame)
    row = frame.iloc[0]
    assert ("Root", False) == (row["user_type"], bool(row["mfa_used"]))
    assert row["time"].hour < 5


def test_write_samples_is_deterministic(tmp_path: Path) -> None:
    """Writing the samples twice gives byte-identical files."""
    first = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in write_samples(tmp_path / "a")}
    second = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in write_samples(tmp_path / "b")}
    assert first == second


def test_committed_samples_equal_the_generator(tmp_path: Path) -> None:
    """data/sample_events holds exactly what write_samples makes (gzip compared decompressed,
    since zlib builds may compress the same bytes differently)."""
    made = {p.relative_to(tmp_path): p for p in write_samples(tmp_path)}
    committed = {p.relative_to(SAMPLES): p for p in SAMPLES.rglob("*")
                 if p.is_file() and p.name != "README.md"}
    assert sorted(made) == sorted(committed)
    for rel, path in made.items():
        if path.suffix == ".gz":
            assert gzip.decompress(path.read_bytes()) == gzip.decompress(committed[rel].read_bytes())
        else:
            assert path.read_bytes() == committed[rel].read_bytes(), rel


def test_s3_layout_names_follow_cloudtrail() -> None:
    """Every gzip sample sits at AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/ with CloudTrail's name."""
    gz = [p for p in SAMPLES.rglob("*.gz")]
    assert gz
    for path in gz:
        assert S3_NAME.search(path.as_posix()), path


def test_samples_are_small_and_load_cleanly() -> None:
    """The committed samples are well under 2 MB and load without skipping anything."""
    size = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file())
    assert size < 1_000_000
    stream = load_records(SAMPLES)
    assert len(list(stream)) > 800
    assert [] == stream.report.skipped
