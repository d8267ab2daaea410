"""Athena: the DDL and the counting SQL parse, the SQL agrees with the python engine, the runner's calls."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from signin_lab import Lab
from signin_lab.athena import ArchiveTable, AthenaResult, counting_sql, ddl, run_query
from signin_lab.cli import main
from signin_lab.errors import SigninLabError
from signin_lab.events import load_records
from signin_lab.events.scan import default_patterns, scan
from signin_lab.filterpattern import FilterPattern

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "sample_events"
ORG = ArchiveTable("trail-bucket", "", "o-abcdefghij", ("111122223333", "444455556666"),
                   ("eu-west-1", "us-east-1"), "2024/01/01")
SINGLE = ArchiveTable("trail-bucket", "", None, ("123456789012",), ("eu-west-1",))


@pytest.mark.parametrize("archive", [ORG, SINGLE], ids=["organisation", "single"])
def test_every_ddl_statement_parses_as_create(archive: ArchiveTable) -> None:
    """Each statement parses with sqlglot's Athena dialect as a CREATE (not an unparsed command)."""
    kinds = [type(sqlglot.parse_one(s, read="athena")) for s in ddl(archive)]
    assert [exp.Create, exp.Create] == kinds


def test_single_region_table_has_awss_documented_location() -> None:
    """One account and Region: LOCATION and template are AWS's documented form."""
    typed = ddl(SINGLE)[0]
    assert (
        "LOCATION 's3://trail-bucket/AWSLogs/123456789012/CloudTrail/eu-west-1'" in typed
        and "'storage.location.template'='s3://trail-bucket/AWSLogs/123456789012/CloudTrail/eu-west-1/${timestamp}'"
        in typed
    )


def test_typed_table_uses_json_serde_and_cloudtrail_input_format() -> None:
    """The typed table names the JSON SerDe and CloudTrailInputFormat."""
    typed = ddl(SINGLE)[0]
    assert ("org.apache.hive.hcatalog.data.JsonSerDe" in typed,
            "com.amazon.emr.cloudtrail.CloudTrailInputFormat" in typed) == (True, True)


def test_organisation_table_projects_account_and_region() -> None:
    """An organisation trail's template has the account and Region partitions."""
    assert ("'storage.location.template'='s3://trail-bucket/AWSLogs/o-abcdefghij/${account}/CloudTrail/"
            "${region}/${timestamp}'") in ddl(ORG)[1]


def test_bad_org_id_is_an_error() -> None:
    """An organisation id not of the form o-xxxxxxxxxx is a SigninLabError."""
    with pytest.raises(SigninLabError, match="--org-id 'org1'"):
        ArchiveTable("trail-bucket", org_id="org1", accounts=("123456789012",), regions=("eu-west-1",))


def test_several_accounts_need_an_org_id() -> None:
    """Two accounts without --org-id is a SigninLabError."""
    with pytest.raises(SigninLabError, match="several accounts need --org-id"):
        ArchiveTable("trail-bucket", accounts=("111122223333", "444455556666"), regions=("eu-west-1",))


@pytest.mark.parametrize("by", [None, "minute", "day"])
def test_counting_sql_parses_as_trino(by: str | None) -> None:
    """The counting query (total, per minute, per day) parses with sqlglot's Trino dialect as a SELECT."""
    sql = counting_sql(default_patterns(), "t", by=by, since="2025/03/01", until="2025/03/31")
    assert exp.Select is type(sqlglot.parse_one(sql, read="trino"))


def _duck_table(folder: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB table `t` shaped like the records table: record text and the `timestamp` partition."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    files = sorted(str(p) for p in folder.rglob("*.json.gz"))
    con.execute(
        "CREATE TABLE t AS SELECT CAST(unnest(Records) AS VARCHAR) AS record, "
        "regexp_extract(filename, '(\\d{4}/\\d\\d/\\d\\d)/[^/]*$', 1) AS \"timestamp\" "
        "FROM read_json($files, columns = {'Records': 'JSON[]'}, filename = true)",
        {"files": files},
    )
    return con


@pytest.mark.parametrize("folder", ["blog_test_signins", "quiet_month"])
def test_athena_query_transpiled_to_duckdb_gives_python_counts(folder: str) -> None:
    """The Athena query, transpiled by sqlglot to DuckDB over the samples, gives the python engine's counts."""
    sql = sqlglot.transpile(counting_sql(default_patterns(), "t"), read="trino", write="duckdb")[0]
    row = _duck_table(SAMPLES / folder).execute(sql).fetchone()
    py = scan(SAMPLES / folder, jobs=1)
    assert [py.records, *py.matches.values()] == list(row or ())


def test_per_minute_series_matches_the_interpreter() -> None:
    """The per-minute series, transpiled to DuckDB, counts each pattern's matches in each minute."""
    patterns = default_patterns()
    sql = sqlglot.transpile(counting_sql(patterns, "t", by="minute"), read="trino", write="duckdb")[0]
    rows = _duck_table(SAMPLES / "blog_test_signins").execute(sql).fetchall()
    got = {(r[0].strftime("%Y-%m-%dT%H:%M"), name): n
           for r in rows for name, n in zip(patterns, r[2:], strict=True) if n}
    want: Counter[tuple[str, str]] = Counter()
    compiled = {name: FilterPattern(p) for name, p in patterns.items()}
    for rec in load_records(SAMPLES / "blog_test_signins"):
        minute = datetime.fromisoformat(rec["eventTime"]).strftime("%Y-%m-%dT%H:%M")
        for name, fp in compiled.items():
            if fp.matches_event(rec):
                want[(minute, name)] += 1
    assert dict(want) == got


def test_since_restricts_the_partitions() -> None:
    """--since/--until become a WHERE on the `timestamp` partition."""
    sql = counting_sql({"x": '{ $.eventName = "ConsoleLogin" }'}, "t", since="2025/03/01", until="2025/03/02")
    assert "WHERE \"timestamp\" >= '2025/03/01' AND \"timestamp\" <= '2025/03/02'" in sql


def test_run_query_on_moto_returns_scan_json(lab: Lab) -> None:
    """On moto's Athena the runner starts, polls and reads the result as scan's JSON."""
    from moto.athena.models import QueryResults, athena_backends

    columns = ["records", "signin-console-failure-iam"]
    header = {"Data": [{"VarCharValue": c} for c in columns]}
    results = QueryResults(rows=[header, {"Data": [{"VarCharValue": "84"}, {"VarCharValue": "1"}]}],
                           column_info=[{"Name": c, "Type": "bigint"} for c in columns])
    athena_backends[lab.config.account_id]["eu-west-1"].query_results_queue.append(results)
    states: list[str] = []
    result = run_query(lab.client("athena"), "SELECT 1", workgroup="primary", output="s3://out-bucket/q/",
                       on_progress=lambda state, _t: states.append(state), sleep=lambda _s: None)
    assert ({"records": 84, "matches": {"signin-console-failure-iam": 1}}, "SUCCEEDED") == (
        result.to_json(), states[-1])


def test_failed_query_is_one_line_error() -> None:
    """A FAILED query is a SigninLabError naming the query id and Athena's reason."""
    import boto3
    from botocore.stub import Stubber

    client = boto3.client("athena", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stub:
        stub.add_response("start_query_execution", {"QueryExecutionId": "q-1"})
        stub.add_response("get_query_execution", {"QueryExecution": {"Status": {
            "State": "FAILED", "StateChangeReason": "TABLE_NOT_FOUND: t"}}})
        with pytest.raises(SigninLabError, match="Athena query q-1 failed: TABLE_NOT_FOUND: t"):
            run_query(client, "SELECT 1", workgroup="primary", output="s3://b/", sleep=lambda _s: None)


def test_result_rows_without_records_column_are_kept() -> None:
    """A series result's JSON keeps its columns and rows."""
    assert {"columns": ["minute"], "rows": [["x"]]} == AthenaResult("q", ["minute"], [["x"]]).to_json()


def test_cli_ddl_prints_both_tables(capsys: pytest.CaptureFixture[str]) -> None:
    """`athena ddl` prints the typed table and the records table."""
    with pytest.raises(SystemExit) as done:
        main(["athena", "ddl", "--bucket", "trail-bucket", "--account", "123456789012", "--regions", "eu-west-1"])
    out = capsys.readouterr().out
    assert (0, 2) == (done.value.code, out.count("CREATE EXTERNAL TABLE"))


def test_cli_run_without_output_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    """`athena sql --run` without --output exits 2 with one line."""
    with pytest.raises(SystemExit) as done:
        main(["athena", "sql", "--run"])
    assert (2, "signin-lab: error: --run needs --output s3://BUCKET/PATH/ for Athena's query results\n") == (
        done.value.code, capsys.readouterr().err)
