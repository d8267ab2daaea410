"""load_records: every CloudTrail file format, folders, streaming, and bad input (raise and skip)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from signin_lab.errors import SigninLabError
from signin_lab.events import EventFileError, SkippedInputWarning, load_records
from signin_lab.events.samples import aws_examples, write_s3_layout

RECORDS = aws_examples()  # 15 records, AWS's documented examples
IDS = [r["eventID"] for r in RECORDS]


def ids(records: Any) -> list[str]:
    return [r["eventID"] for r in records]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def records_json(records: list[dict[str, Any]]) -> str:
    return json.dumps({"Records": records})


def console_csv(records: list[dict[str, Any]]) -> str:
    """The console's event-history CSV: summary columns, then the record JSON in the last."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Event ID", "Event time", "User name", "Event name", "Event source",
                     "Resource type", "Resource name", "AWS access key", "Source IP address",
                     "AWS region", "Error code", "Read-only", "CloudTrail event"])
    for r in records:
        writer.writerow([r["eventID"], r["eventTime"], r["userIdentity"].get("userName", ""),
                         r["eventName"], r["eventSource"], "", "", "", r["sourceIPAddress"],
                         r["awsRegion"], "", str(r.get("readOnly", "")).lower(), json.dumps(r)])
    return out.getvalue()


# -- formats -----------------------------------------------------------------------------------


def test_s3_delivery_folder_reads_every_record(tmp_path: Path) -> None:
    """A folder in CloudTrail's S3 layout (AWSLogs/.../*.json.gz) yields all its records."""
    write_s3_layout(RECORDS, tmp_path)
    assert sorted(IDS) == sorted(ids(load_records(tmp_path)))


def test_plain_json_records_file(tmp_path: Path) -> None:
    """A plain .json {"Records": [...]} file yields its records in order."""
    path = write(tmp_path / "events.json", records_json(RECORDS))
    assert IDS == ids(load_records(path))


def test_console_json_download_is_records_document(tmp_path: Path) -> None:
    """The console's "Download as JSON" file (a Records document, indented) reads in order."""
    path = write(tmp_path / "event_history.json", json.dumps({"Records": RECORDS}, indent=2))
    assert IDS == ids(load_records(path))


def test_console_csv_download_reads_the_cloudtrail_event_column(tmp_path: Path) -> None:
    """The console's CSV download yields the full records held in its "CloudTrail event" column."""
    path = write(tmp_path / "event_history.csv", console_csv(RECORDS))
    assert RECORDS == list(load_records(path))


def test_gzipped_csv_download(tmp_path: Path) -> None:
    """A gzip-compressed CSV download reads like the plain one."""
    path = write(tmp_path / "event_history.csv.gz", gzip.compress(console_csv(RECORDS).encode()))
    assert IDS == ids(load_records(path))


def test_json_lines_of_records(tmp_path: Path) -> None:
    """A .jsonl file with one record a line yields every record."""
    path = write(tmp_path / "events.jsonl", "\n".join(json.dumps(r) for r in RECORDS) + "\n")
    assert IDS == ids(load_records(path))


def test_cloudwatch_logs_events_lines(tmp_path: Path) -> None:
    """JSON lines of CloudWatch Logs events ({"timestamp", "message": record JSON}) are unwrapped."""
    lines = [json.dumps({"logStreamName": "123456789012_CloudTrail_eu-west-1", "timestamp": 1,
                         "message": json.dumps(r), "ingestionTime": 2, "eventId": str(i)})
             for i, r in enumerate(RECORDS)]
    path = write(tmp_path / "filter-log-events.ndjson", "\n".join(lines))
    assert IDS == ids(load_records(path))


def test_filter_log_events_response_document(tmp_path: Path) -> None:
    """A saved `aws logs filter-log-events` response {"events": [...]} yields the messages' records."""
    doc = {"events": [{"timestamp": 1, "message": json.dumps(r)} for r in RECORDS],
           "searchedLogStreams": []}
    path = write(tmp_path / "filter.json", json.dumps(doc))
    assert IDS == ids(load_records(path))


def test_lookup_events_response_document(tmp_path: Path) -> None:
    """A saved `aws cloudtrail lookup-events` response yields each CloudTrailEvent record."""
    doc = {"Events": [{"EventId": r["eventID"], "CloudTrailEvent": json.dumps(r)} for r in RECORDS]}
    path = write(tmp_path / "lookup.json", json.dumps(doc))
    assert IDS == ids(load_records(path))


def test_cloudwatch_logs_s3_export_file(tmp_path: Path) -> None:
    """A CloudWatch Logs S3 export (000000.gz, lines "<timestamp> <message>") is read."""
    lines = [f"2023-07-19T21:44:40.000Z {json.dumps(r)}" for r in RECORDS]
    path = write(tmp_path / "exportTask" / "stream" / "000000.gz",
                 gzip.compress("\n".join(lines).encode()))
    assert IDS == ids(load_records(path))


def test_json_lines_in_a_json_file(tmp_path: Path) -> None:
    """A .json file that holds one record a line is read as JSON lines."""
    path = write(tmp_path / "events.json", "\n".join(json.dumps(r) for r in RECORDS))
    assert IDS == ids(load_records(path))


def test_single_record_document(tmp_path: Path) -> None:
    """A file holding one record (as the console's record view shows it) yields that record."""
    path = write(tmp_path / "one.json", json.dumps(RECORDS[0]))
    assert [IDS[0]] == ids(load_records(path))


def test_bare_array_of_records(tmp_path: Path) -> None:
    """A JSON array of records (as json.dump(records) writes) yields them."""
    path = write(tmp_path / "array.json", json.dumps(RECORDS))
    assert IDS == ids(load_records(path))


# -- folders -----------------------------------------------------------------------------------


def test_folders_are_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    """Files in nested folders are read in sorted path order, whatever their creation order."""
    write(tmp_path / "b" / "z.json", records_json(RECORDS[2:3]))
    write(tmp_path / "a.json", records_json(RECORDS[0:1]))
    write(tmp_path / "b" / "c" / "y.json", records_json(RECORDS[1:2]))
    stream = load_records(tmp_path)
    assert [IDS[0], IDS[1], IDS[2]] == ids(stream)
    assert [str(tmp_path / "a.json"), str(tmp_path / "b" / "c" / "y.json"),
            str(tmp_path / "b" / "z.json")] == stream.report.files


def test_non_event_files_in_folders_are_ignored_and_listed(tmp_path: Path) -> None:
    """README.md, hidden files and CloudTrail digest files are not read but listed as ignored."""
    write(tmp_path / "events.json", records_json(RECORDS))
    write(tmp_path / "README.md", "# notes")
    write(tmp_path / ".DS_Store", b"\x00")
    digest = tmp_path / "AWSLogs" / "123456789012" / "CloudTrail-Digest"
    write(digest / "us-east-1" / "x_CloudTrail-Digest_us-east-1.json.gz", gzip.compress(b"{}"))
    stream = load_records(tmp_path)
    assert 15 == len(list(stream))
    assert {str(tmp_path / "README.md"), str(tmp_path / ".DS_Store"), str(digest)} == set(
        stream.report.ignored
    )


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    """A path that does not exist raises SigninLabError naming it."""
    with pytest.raises(SigninLabError, match="nope.json"):
        load_records(tmp_path / "nope.json")


def test_no_path_is_an_error() -> None:
    """Calling load_records with no path raises SigninLabError."""
    with pytest.raises(SigninLabError, match="no path"):
        load_records()


def test_unknown_on_error_is_refused(tmp_path: Path) -> None:
    """on_error other than raise/skip is a SigninLabError."""
    with pytest.raises(SigninLabError, match="on_error"):
        load_records(tmp_path, on_error="ignore")  # type: ignore[arg-type]


# -- streaming and reports ---------------------------------------------------------------------


def test_report_counts_files_and_records(tmp_path: Path) -> None:
    """After exhaustion the report counts files read and records yielded."""
    write(tmp_path / "a.json", records_json(RECORDS))
    write(tmp_path / "b.jsonl", json.dumps(RECORDS[0]))
    stream = load_records(tmp_path)
    list(stream)
    assert (2, 16, True) == (stream.report.files_read, stream.report.records, stream.report.done)


def test_json_lines_stream_with_flat_memory(tmp_path: Path) -> None:
    """Reading a large JSON lines file holds a small fraction of it in memory at once."""
    line = json.dumps(RECORDS[0]) + "\n"
    path = tmp_path / "big.jsonl"
    with path.open("w") as f:
        for _ in range(20_000):
            f.write(line)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        count = sum(1 for _ in load_records(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert 20_000 == count
    assert peak < size / 4, f"peak {peak} bytes for a {size}-byte file"


def test_batches_give_document_text_for_records_files(tmp_path: Path) -> None:
    """batches() pairs a Records document's records with its text, and JSON lines with None."""
    write(tmp_path / "a.json", records_json(RECORDS))
    write(tmp_path / "b.jsonl", json.dumps(RECORDS[0]))
    batches = list(load_records(tmp_path).batches())
    assert [(True, 15), (False, 1)] == [(text is not None, len(recs)) for text, recs in batches]


# -- bad input: raise and skip -----------------------------------------------------------------

GOOD = records_json(RECORDS[:2])


def bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Each kind of bad input: the file, and the text the error must contain."""
    missing_time = [RECORDS[0], {k: v for k, v in RECORDS[1].items() if k != "eventTime"}]
    return {
        "truncated gzip": (write(tmp_path / "cut.json.gz", gzip.compress(GOOD.encode())[:-12]),
                           "truncated gzip"),
        "invalid json": (write(tmp_path / "broken.json", GOOD[:-5]), "invalid JSON"),
        "not cloudtrail": (write(tmp_path / "other.json", json.dumps({"foo": [1, 2]})),
                           "not CloudTrail"),
        "records not a list": (write(tmp_path / "odd.json", json.dumps({"Records": {"a": 1}})),
                               '"Records" is an object'),
        "no eventTime": (write(tmp_path / "notime.json", records_json(missing_time)),
                         "record 1: record has no eventTime"),
        "bad json line": (write(tmp_path / "lines.jsonl",
                                json.dumps(RECORDS[0]) + "\n{oops\n" + json.dumps(RECORDS[1])),
                          "line 2: invalid JSON"),
        "csv without record column": (write(tmp_path / "x.csv", "a,b\n1,2\n"),
                                      'no "CloudTrail event" column'),
        "not json at all": (write(tmp_path / "notes.json", "hello"), "invalid JSON"),
    }


KINDS = ["truncated gzip", "invalid json", "not cloudtrail", "records not a list",
         "no eventTime", "bad json line", "csv without record column", "not json at all"]


@pytest.mark.parametrize("kind", KINDS)
def test_bad_input_raises_naming_file_and_place(tmp_path: Path, kind: str) -> None:
    """With on_error="raise", each kind of bad input raises EventFileError naming file and place."""
    path, text = bad_inputs(tmp_path)[kind]
    with pytest.raises(EventFileError) as info:
        list(load_records(path))
    assert str(path) in str(info.value)
    assert text in str(info.value)
    assert isinstance(info.value, SigninLabError)


@pytest.mark.parametrize("kind", KINDS)
def test_bad_input_is_skipped_counted_and_warned(tmp_path: Path, kind: str) -> None:
    """With on_error="skip", good records still come through and the skip is counted and warned."""
    path, text = bad_inputs(tmp_path)[kind]
    good = write(tmp_path / "good" / "ok.json", GOOD)
    stream = load_records(good, path, on_error="skip")
    with pytest.warns(SkippedInputWarning, match="skipped"):
        got = list(stream)
    assert set(IDS[:2]) <= set(ids(got))
    assert 1 == len(stream.report.skipped)
    assert text in str(stream.report.skipped[0])


def test_skipping_a_bad_line_keeps_the_lines_after_it(tmp_path: Path) -> None:
    """One bad JSON line is skipped alone: the records before and after it come through."""
    path, _ = bad_inputs(tmp_path)["bad json line"]
    stream = load_records(path, on_error="skip")
    with pytest.warns(SkippedInputWarning):
        assert [IDS[0], IDS[1]] == ids(stream)
    assert (1, 0) == (stream.report.skipped_records, stream.report.skipped_files)


def test_truncated_gzip_lines_keep_what_came_before(tmp_path: Path) -> None:
    """A truncated .jsonl.gz yields the lines before the cut, then reports the rest lost."""
    body = "\n".join(json.dumps(r) for r in RECORDS * 40).encode()
    path = write(tmp_path / "cut.jsonl.gz", gzip.compress(body)[:-200])
    stream = load_records(path, on_error="skip")
    with pytest.warns(SkippedInputWarning, match="truncated gzip"):
        got = list(stream)
    assert 0 < len(got) < 600
    assert 1 == stream.report.skipped_files


def test_csv_row_with_invalid_json_is_named_by_row(tmp_path: Path) -> None:
    """A CSV row whose "CloudTrail event" is not JSON raises naming the row."""
    text = console_csv(RECORDS[:2]).replace('"{""eventVersion', '"{""eventVersion', 1)
    lines = text.splitlines()
    lines[2] = lines[2][: lines[2].rfind('"{') ] + '"{not json}"'
    path = write(tmp_path / "h.csv", "\n".join(lines) + "\n")
    with pytest.raises(EventFileError, match="row 2"):
        list(load_records(path))
