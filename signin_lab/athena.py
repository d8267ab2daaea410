"""Athena for an organisation's CloudTrail archive: the table DDL, the counting SQL, and a runner.

The table is the one AWS documents for CloudTrail with partition projection
(https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html):
the JSON SerDe `org.apache.hive.hcatalog.data.JsonSerDe` (the legacy CloudTrail SerDe mishandles
requestParameters, responseElements and additionalEventData:
https://docs.aws.amazon.com/athena/latest/ug/cloudtrail-logs.html), the input format
`com.amazon.emr.cloudtrail.CloudTrailInputFormat`, a `timestamp` partition projected as a date
(`yyyy/MM/dd`, one day) and `storage.location.template`. An organisation trail's files sit under
`AWSLogs/<org-id>/<account>/CloudTrail/<region>/` (creating-trail-organization.html), so its
table adds `account` and `region` partitions projected as enums
(https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html).

Filter patterns read a record as JSON text (`FilterPattern.to_sql("athena")`), which the typed
table does not keep, so the DDL adds a second table over the same files and partitions with one
STRING column `record`: the input format hands each record over as one JSON text, and Hive's
default text SerDe (LazySimpleSerDe, fields split at \\001, a byte JSON text never holds raw)
keeps it whole. That companion table is this kit's decision, not an AWS page's example, and has
not been run against real Athena here: `athena sql --run` is its first test on a real account.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from signin_lab.errors import SigninLabError

#: The columns of AWS's documented CloudTrail table (create-cloudtrail-table-partition-projection.html).
COLUMNS = """    eventversion STRING,
    useridentity STRUCT<
        type: STRING,
        principalid: STRING,
        arn: STRING,
        accountid: STRING,
        invokedby: STRING,
        accesskeyid: STRING,
        username: STRING,
        onbehalfof: STRUCT<
             userid: STRING,
             identitystorearn: STRING>,
        sessioncontext: STRUCT<
            attributes: STRUCT<
                mfaauthenticated: STRING,
                creationdate: STRING>,
            sessionissuer: STRUCT<
                type: STRING,
                principalid: STRING,
                arn: STRING,
                accountid: STRING,
                username: STRING>,
            ec2roledelivery: STRING,
            webidfederationdata: STRUCT<
                federatedprovider: STRING,
                attributes: map<string,string>>
        >
    >,
    eventtime STRING,
    eventsource STRING,
    eventname STRING,
    awsregion STRING,
    sourceipaddress STRING,
    useragent STRING,
    errorcode STRING,
    errormessage STRING,
    requestparameters STRING,
    responseelements STRING,
    additionaleventdata STRING,
    requestid STRING,
    eventid STRING,
    readonly STRING,
    resources ARRAY<STRUCT<
        arn: STRING,
        accountid: STRING,
        type: STRING>>,
    eventtype STRING,
    apiversion STRING,
    recipientaccountid STRING,
    serviceeventdetails STRING,
    sharedeventid STRING,
    vpcendpointid STRING,
    vpcendpointaccountid STRING,
    eventcategory STRING,
    addendum STRUCT<
      reason: STRING,
      updatedfields: STRING,
      originalrequestid: STRING,
      originaleventid: STRING>,
    sessioncredentialfromconsole STRING,
    edgedevicedetails STRING,
    tlsdetails STRUCT<
      tlsversion: STRING,
      ciphersuite: STRING,
      clienthostheader: STRING>"""

_INPUT = "com.amazon.emr.cloudtrail.CloudTrailInputFormat"
_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_ORG = re.compile(r"^o-[a-z0-9]{10,32}$")
_ACCOUNT = re.compile(r"^\d{12}$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
_DAY = re.compile(r"^\d{4}/\d\d/\d\d$")
_TABLE = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class ArchiveTable:
    """Where a CloudTrail archive is and how Athena should see it (validated on creation)."""

    bucket: str
    prefix: str = ""
    org_id: str | None = None
    accounts: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    start: str = "2020/01/01"
    table: str = "cloudtrail_logs_pp"

    def __post_init__(self) -> None:
        if not _BUCKET.match(self.bucket):
            raise SigninLabError(f"--bucket {self.bucket!r}: not an S3 bucket name")
        if self.org_id is not None and not _ORG.match(self.org_id):
            raise SigninLabError(f"--org-id {self.org_id!r}: expected o- and 10-32 lowercase letters or digits")
        for account in self.accounts:
            if not _ACCOUNT.match(account):
                raise SigninLabError(f"--account {account!r}: expected 12 digits")
        if not self.accounts:
            raise SigninLabError("--account: name at least one account whose logs the table reads")
        if self.org_id is None and len(self.accounts) > 1:
            raise SigninLabError("--account: several accounts need --org-id (an organisation trail)")
        if not self.regions:
            raise SigninLabError("--regions: name at least one Region whose logs the table reads")
        for region in self.regions:
            if not _REGION.match(region):
                raise SigninLabError(f"--regions {region!r}: not a Region name")
        if not _DAY.match(self.start):
            raise SigninLabError(f"--start {self.start!r}: expected YYYY/MM/DD")
        if not _TABLE.match(self.table):
            raise SigninLabError(f"--table {self.table!r}: lowercase letters, digits and _")

    @property
    def records_table(self) -> str:
        """The companion table with each record's JSON text in `record`."""
        return f"{self.table}_records"

    def _root(self) -> str:
        prefix = self.prefix.strip("/")
        base = f"s3://{self.bucket}/{prefix + '/' if prefix else ''}AWSLogs/"
        return base + (f"{self.org_id}/" if self.org_id else "")

    def _layout(self) -> tuple[list[str], str, list[tuple[str, str]]]:
        """(partition columns, LOCATION, projection properties)."""
        props = [("projection.enabled", "true")]
        parts: list[str] = []
        root = self._root()
        if self.org_id:
            parts.append("account")
            props += [("projection.account.type", "enum"),
                      ("projection.account.values", ",".join(self.accounts))]
            where = root + "${account}/CloudTrail/"
            location = root
        else:
            where = f"{root}{self.accounts[0]}/CloudTrail/"
            location = where.rstrip("/")
        if self.org_id or len(self.regions) > 1:
            parts.append("region")
            props += [("projection.region.type", "enum"),
                      ("projection.region.values", ",".join(self.regions))]
            where += "${region}/"
        else:
            where += f"{self.regions[0]}/"
            location = where.rstrip("/")
        parts.append("timestamp")
        props += [
            ("projection.timestamp.format", "yyyy/MM/dd"),
            ("projection.timestamp.interval", "1"),
            ("projection.timestamp.interval.unit", "DAYS"),
            ("projection.timestamp.range", f"{self.start},NOW"),
            ("projection.timestamp.type", "date"),
            ("storage.location.template", where + "${timestamp}"),
        ]
        return parts, location, props


def ddl(archive: ArchiveTable) -> list[str]:
    """The two CREATE EXTERNAL TABLE statements: AWS's typed table and the records table."""
    parts, location, props = archive._layout()
    partitioned = ", ".join(f"`{p}` string" for p in parts)
    properties = ",\n".join(f"  '{k}'='{v}'" for k, v in props)
    tail = (
        f"PARTITIONED BY ({partitioned})\n"
        "{serde}"
        f"STORED AS INPUTFORMAT '{_INPUT}'\n"
        f"OUTPUTFORMAT '{_OUTPUT}'\n"
        f"LOCATION '{location}'\n"
        f"TBLPROPERTIES (\n{properties})"
    )
    typed = (f"CREATE EXTERNAL TABLE {archive.table}(\n{COLUMNS}\n)\n"
             + tail.replace("{serde}", "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'\n"))
    records = f"CREATE EXTERNAL TABLE {archive.records_table}(\n    record STRING\n)\n" + tail.replace("{serde}", "")
    return [typed, records]


def counting_sql(
    patterns: Mapping[str, str],
    table: str,
    *,
    by: str | None = None,
    since: str | None = None,
    until: str | None = None,
    dialect: str = "athena",
) -> str:
    """The query counting each pattern's matches (per minute or day with `by`) over `table`.

    `table` has the record's JSON text in `record` (and, on Athena, the `timestamp` partition,
    which `since`/`until` (YYYY/MM/DD) restrict so Athena reads only those days' files).
    """
    from signin_lab.events.engine_duckdb import count_columns

    if by not in (None, "minute", "day"):
        raise SigninLabError(f"--by {by!r}: expected minute or day")
    for name in patterns:
        if not re.match(r"^[A-Za-z0-9_./#-]+$", name):
            raise SigninLabError(f"pattern name {name!r}: letters, digits and _ . - / # only")
    counts = count_columns(patterns, dialect)
    where = []
    for value, op, option in ((since, ">=", "--since"), (until, "<=", "--until")):
        if value is not None:
            if not _DAY.match(value):
                raise SigninLabError(f"{option} {value!r}: expected YYYY/MM/DD")
            where.append(f"\"timestamp\" {op} '{value}'")
    clause = f"\nWHERE {' AND '.join(where)}" if where else ""
    if by is None:
        return f"SELECT count(*) AS records,\n  {counts}\nFROM {table}{clause}"
    bucket = f"date_trunc('{by}', from_iso8601_timestamp(json_extract_scalar(record, '$.eventTime')))"
    return (f"SELECT {bucket} AS \"{by}\",\n  count(*) AS records,\n  {counts}\nFROM {table}{clause}\n"
            "GROUP BY 1\nORDER BY 1")


@dataclass
class AthenaResult:
    """A finished query: its id, the column names and the rows (strings, as Athena returns them)."""

    query_id: str
    columns: list[str]
    rows: list[list[str | None]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """For a total query, the same JSON as `scan`: {"records": N, "matches": {...}}; else rows."""
        if self.columns[:1] == ["records"] and len(self.rows) == 1:
            values = [int(v or 0) for v in self.rows[0]]
            return {"records": values[0], "matches": dict(zip(self.columns[1:], values[1:], strict=True))}
        return {"columns": self.columns, "rows": self.rows}


def run_query(
    client: Any,
    sql: str,
    *,
    workgroup: str,
    output: str,
    database: str = "default",
    on_progress: Callable[[str, float], None] | None = None,
    poll: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> AthenaResult:
    """Run `sql` with boto3's Athena client: StartQueryExecution, GetQueryExecution until done,
    then GetQueryResults (paginated). A failed or cancelled query is a SigninLabError naming it.
    https://docs.aws.amazon.com/athena/latest/APIReference/API_StartQueryExecution.html
    """
    from botocore.exceptions import ClientError

    if not output.startswith("s3://"):
        raise SigninLabError(f"--output {output!r}: expected an s3:// location for query results")
    try:
        started = client.start_query_execution(
            QueryString=sql,
            WorkGroup=workgroup,
            QueryExecutionContext={"Database": database},
            ResultConfiguration={"OutputLocation": output},
        )
        query_id = started["QueryExecutionId"]
        t0 = time.monotonic()
        while True:
            status = client.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]["Status"]
            state = status["State"]
            if on_progress is not None:
                on_progress(state, time.monotonic() - t0)
            if state == "SUCCEEDED":
                break
            if state in ("FAILED", "CANCELLED"):
                reason = status.get("StateChangeReason") or state.lower()
                raise SigninLabError(f"Athena query {query_id} {state.lower()}: {reason}")
            sleep(poll)
        columns: list[str] = []
        rows: list[list[str | None]] = []
        first = True
        for page in client.get_paginator("get_query_results").paginate(QueryExecutionId=query_id):
            result = page["ResultSet"]
            if not columns:
                columns = [c["Name"] for c in result.get("ResultSetMetadata", {}).get("ColumnInfo", [])]
            for row in result.get("Rows", []):
                values = [d.get("VarCharValue") for d in row.get("Data", [])]
                if first and values == columns:  # Athena repeats the header as the first row
                    first = False
                    continue
                first = False
                rows.append(values)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise SigninLabError(f"Athena ({workgroup}): {error.get('Code', '')}: {error.get('Message', exc)}") from None
    return AthenaResult(query_id, columns, rows)


def parse_regions(values: Iterable[str]) -> tuple[str, ...]:
    """Regions from repeated or comma-separated options."""
    return tuple(r.strip() for v in values for r in v.split(",") if r.strip())
