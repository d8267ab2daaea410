"""S3 sources: listing both layouts, pruning before download, digests skipped, bad input named."""

from __future__ import annotations

import gzip
from datetime import date

import orjson
import pytest

from signin_lab import Lab
from signin_lab.errors import SigninLabError
from signin_lab.events import load_records
from signin_lab.events.samples import blog_test_signins
from signin_lab.events.scan import scan
from signin_lab.events.sources import Prune, S3Archive, parse_s3_url

BUCKET = "archive-bucket"
ACCOUNT = "123456789012"
OTHER = "210987654321"
ORG = "o-exampleorgid"


def _body(n: int, day: str) -> bytes:
    records = [{"eventTime": f"{day}T10:00:0{i}Z", "eventName": "GetObject", "eventSource": "s3.amazonaws.com"}
               for i in range(n)]
    return gzip.compress(orjson.dumps({"Records": records}))


def _key(account: str, region: str, day: str, org: str | None = None) -> str:
    y, m, d = day.split("-")
    base = f"AWSLogs/{org}/{account}" if org else f"AWSLogs/{account}"
    return f"{base}/CloudTrail/{region}/{y}/{m}/{d}/{account}_CloudTrail_{region}_{y}{m}{d}T1005Z_x.json.gz"


@pytest.fixture
def archive(lab: Lab):
    """A bucket holding three days in two Regions and two accounts, a digest and a Config check."""
    s3 = lab.client("s3")
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    for account in (ACCOUNT, OTHER):
        for region in ("eu-west-1", "us-east-1"):
            for day in ("2025-03-01", "2025-03-02", "2025-03-03"):
                s3.put_object(Bucket=BUCKET, Key=_key(account, region, day), Body=_body(2, day))
    s3.put_object(Bucket=BUCKET, Key=f"AWSLogs/{ACCOUNT}/CloudTrail-Digest/eu-west-1/2025/03/01/d.json.gz",
                  Body=b"not records")
    s3.put_object(Bucket=BUCKET, Key=f"AWSLogs/{ACCOUNT}/Config/ConfigWritabilityCheckFile", Body=b"")
    return lab


def test_parse_s3_url_splits_bucket_and_prefix() -> None:
    """s3://bucket/prefix gives the bucket and the prefix."""
    assert ("b", "AWSLogs/1/") == parse_s3_url("s3://b/AWSLogs/1/")


def test_s3_url_without_bucket_is_an_error() -> None:
    """An s3:// URL naming no bucket is a SigninLabError quoting the URL."""
    with pytest.raises(SigninLabError, match="s3://: expected s3://BUCKET"):
        parse_s3_url("s3://")


def test_whole_bucket_reads_every_record(archive: Lab) -> None:
    """All 12 files of 2 records are read from the bucket."""
    stream = load_records(f"s3://{BUCKET}", target=archive)
    assert 24 == sum(1 for _ in stream)


def test_digest_and_config_objects_are_ignored_and_counted(archive: Lab) -> None:
    """The digest folder and the Config writability check are listed as ignored, not read."""
    stream = load_records(f"s3://{BUCKET}", target=archive)
    list(stream)
    assert 2 == len(stream.report.ignored)


def test_prune_by_region_and_account_and_days(archive: Lab) -> None:
    """--region, --account, --since/--until keep one account, one Region, two days: 4 records."""
    prune = Prune.from_options("2025-03-02", "2025-03-03", ["eu-west-1"], [ACCOUNT])
    stream = load_records(f"s3://{BUCKET}", target=archive, prune=prune)
    assert 4 == sum(1 for _ in stream)


def test_prune_lists_only_wanted_prefixes(archive: Lab) -> None:
    """Pruned to one account and Region, listing takes 5 requests (bucket, AWSLogs, account, CloudTrail, Region)."""
    src = S3Archive(f"s3://{BUCKET}", archive.client("s3"),
                    Prune(since=date(2025, 3, 3), regions=("us-east-1",), accounts=(OTHER,)))
    keys = src.list_keys()
    assert (5, 1) == (src.requests, len(keys))


def test_until_stops_listing_after_the_last_day(archive: Lab) -> None:
    """--until keeps keys up to that day, inclusive."""
    src = S3Archive(f"s3://{BUCKET}/AWSLogs/{ACCOUNT}/CloudTrail/eu-west-1/", archive.client("s3"),
                    Prune(until=date(2025, 3, 2)))
    assert ["01", "02"] == [k.split("/")[-2] for k in src.list_keys()]


def test_organisation_layout_is_listed_and_pruned(lab: Lab) -> None:
    """AWSLogs/<org-id>/<account>/CloudTrail/... is read, and --account prunes inside it."""
    s3 = lab.client("s3")
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    for account in (ACCOUNT, OTHER):
        s3.put_object(Bucket=BUCKET, Key=_key(account, "eu-west-1", "2025-03-01", ORG), Body=_body(3, "2025-03-01"))
    stream = load_records(f"s3://{BUCKET}", target=lab, prune=Prune(accounts=(OTHER,)))
    assert 3 == sum(1 for _ in stream)


def test_missing_bucket_is_one_line_error(lab: Lab) -> None:
    """A bucket the target lacks is a SigninLabError naming it."""
    with pytest.raises(SigninLabError, match="s3://nope-bucket: no such bucket"):
        load_records("s3://nope-bucket", target=lab)


def test_key_that_is_not_gzip_is_named(archive: Lab) -> None:
    """A .gz key holding plain bytes is an error naming the object."""
    archive.client("s3").put_object(Bucket=BUCKET, Key="loose/bad.json.gz", Body=b"{}")
    with pytest.raises(SigninLabError, match=f"s3://{BUCKET}/loose/bad.json.gz: not a valid gzip"):
        list(load_records(f"s3://{BUCKET}/loose", target=archive))


def test_on_error_skip_counts_bad_objects(archive: Lab) -> None:
    """With on_error='skip' a bad object is counted in the report and the rest is read."""
    archive.client("s3").put_object(Bucket=BUCKET, Key="loose/bad.json.gz", Body=b"{}")
    archive.client("s3").put_object(Bucket=BUCKET, Key="loose/good.json.gz", Body=_body(2, "2025-03-01"))
    stream = load_records(f"s3://{BUCKET}/loose", target=archive, on_error="skip")
    with pytest.warns(UserWarning, match="skipped 1 files"):
        assert 2 == sum(1 for _ in stream)


def test_access_denied_is_one_line_error() -> None:
    """An AccessDenied from ListObjectsV2 is a SigninLabError naming the URL."""
    import boto3
    from botocore.stub import Stubber

    client = boto3.client("s3", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stub:
        stub.add_client_error("list_objects_v2", "AccessDenied", http_status_code=403)
        with pytest.raises(SigninLabError, match="s3://locked/: access denied"):
            load_records("s3://locked", target=client)


def test_s3_path_without_target_is_an_error() -> None:
    """An s3:// path with no target to read it through is a SigninLabError."""
    with pytest.raises(SigninLabError, match="needs a target"):
        load_records("s3://bucket")


def test_scan_counts_what_replay_delivered(deployed: Lab) -> None:
    """After replaying the blog's four sign-ins, scanning the trail's bucket finds each alert once."""
    deployed.replay(blog_test_signins())
    result = scan(f"s3://{deployed.config.bucket}", target=deployed)
    assert {name: 1 for name in result.matches} == result.matches


def test_url_naming_one_object_reads_it(archive: Lab) -> None:
    """s3://bucket/<key of one file> reads that file's 2 records."""
    key = _key(ACCOUNT, "eu-west-1", "2025-03-02")
    assert 2 == sum(1 for _ in load_records(f"s3://{BUCKET}/{key}", target=archive))


def test_scan_skips_and_counts_a_bad_object(archive: Lab) -> None:
    """scan with on_error='skip' over S3 counts the bad object in its report and reads the rest."""
    archive.client("s3").put_object(Bucket=BUCKET, Key="loose/bad.json.gz", Body=b"{}")
    archive.client("s3").put_object(Bucket=BUCKET, Key="loose/good.json.gz", Body=_body(2, "2025-03-01"))
    with pytest.warns(UserWarning, match="skipped 1 files"):
        result = scan(f"s3://{BUCKET}/loose", target=archive, on_error="skip")
    assert (2, 1) == (result.records, result.report.skipped_files)


def test_scan_names_a_bad_object(archive: Lab) -> None:
    """scan over S3 stops at a bad object with an error naming it."""
    archive.client("s3").put_object(Bucket=BUCKET, Key="loose/bad.json.gz", Body=b"{}")
    with pytest.raises(SigninLabError, match=f"s3://{BUCKET}/loose/bad.json.gz: not a valid gzip"):
        scan(f"s3://{BUCKET}/loose", target=archive)


def test_s3_object_over_max_bytes_is_named(archive: Lab) -> None:
    """An S3 object inflating past max_bytes is an error naming its s3:// URL and the cap."""
    key = _key(ACCOUNT, "eu-west-1", "2025-03-01")
    with pytest.raises(SigninLabError, match=rf"s3://{BUCKET}/{key}: holds more than 100 bytes once decompressed"):
        list(load_records(f"s3://{BUCKET}/{key}", target=archive, max_bytes=100))
