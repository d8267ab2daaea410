"""Where CloudTrail files come from: local paths and `s3://bucket/prefix`, listed and pruned.

CloudTrail writes log files under `[prefix/]AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/`
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html)
and, for an organisation trail, under `[prefix/]AWSLogs/<org-id>/<account>/CloudTrail/...`
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html).
`Prune` (dates, Regions, accounts) is applied to those key parts while listing, so S3 is only
asked for the accounts and Regions wanted and, within a Region, for keys from the first day on
(ListObjectsV2 `StartAfter`; keys come back in UTF-8 binary order, so listing stops after the
last day): https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html.
Digest files (`CloudTrail-Digest/`, hashes, not records:
https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html)
and AWS Config's `ConfigWritabilityCheckFile` (Config's write test in a shared bucket:
https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html) are counted as
ignored, never read. Objects are fetched one at a time (`S3Archive.fetch`), so memory holds one
file, not the archive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from signin_lab.errors import SigninLabError

#: Keys never read as records: digest files and AWS Config's writability check object.
NOT_RECORDS = re.compile(r"CloudTrail-Digest|ConfigWritabilityCheck")
_ACCOUNT = re.compile(r"^\d{12}$")
_ORG = re.compile(r"^o-[a-z0-9]{10,32}$")  # AWS Organizations ids: o- and 10-32 characters
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
_DAY = re.compile(r"(\d{4})/(\d\d)/(\d\d)(?:/|$)")
_SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv", ".log", ".gz")


@dataclass(frozen=True)
class Prune:
    """Which part of a CloudTrail archive to read: days (inclusive), Regions, accounts."""

    since: date | None = None
    until: date | None = None
    regions: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()

    @classmethod
    def from_options(
        cls,
        since: str | date | None = None,
        until: str | date | None = None,
        regions: Iterable[str] = (),
        accounts: Iterable[str] = (),
    ) -> Prune:
        """A Prune from CLI-style values (`YYYY-MM-DD` dates); a bad date is a SigninLabError."""
        out = cls(_day("--since", since), _day("--until", until), tuple(regions), tuple(accounts))
        if out.since and out.until and out.since > out.until:
            raise SigninLabError(f"--since {out.since} is after --until {out.until}")
        return out

    @property
    def empty(self) -> bool:
        """True when nothing is pruned."""
        return not (self.since or self.until or self.regions or self.accounts)

    def keeps(self, key: str) -> bool:
        """False when `key` (an S3 key or a local path) lies in the layout outside the prune."""
        if self.empty:
            return True
        parts = key.replace("\\", "/").split("/")
        if "AWSLogs" not in parts:
            return True
        rest = parts[len(parts) - 1 - parts[::-1].index("AWSLogs") + 1:]
        if rest and _ORG.match(rest[0]):
            rest = rest[1:]
        if len(rest) >= 1 and self.accounts and _ACCOUNT.match(rest[0]) and rest[0] not in self.accounts:
            return False
        if len(rest) >= 3 and self.regions and rest[1] == "CloudTrail" and rest[2] not in self.regions:
            return False
        if len(rest) >= 6 and rest[1] == "CloudTrail":
            match = _DAY.match("/".join(rest[3:6]))
            if match:
                day = f"{match.group(1)}/{match.group(2)}/{match.group(3)}"
                return self.day_in(day)
        return True

    def day_in(self, day: str) -> bool:
        """Whether a `YYYY/MM/DD` key part lies within since..until."""
        return not (
            (self.since and day < self.since.strftime("%Y/%m/%d"))
            or (self.until and day > self.until.strftime("%Y/%m/%d"))
        )


def _day(option: str, value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return datetime.strptime(value.replace("/", "-"), "%Y-%m-%d").date()
    except ValueError:
        raise SigninLabError(f"{option} {value!r}: expected a date YYYY-MM-DD") from None


def parse_s3_url(url: str) -> tuple[str, str]:
    """(bucket, prefix) of `s3://bucket[/prefix]`; a URL without a bucket is a SigninLabError."""
    rest = url[len("s3://"):] if url.startswith("s3://") else ""
    bucket, _, prefix = rest.partition("/")
    if not url.startswith("s3://") or not bucket:
        raise SigninLabError(f"{url}: expected s3://BUCKET[/PREFIX] (no bucket named)")
    return bucket, prefix


def s3_client(target: Any) -> Any:
    """An S3 client from a Lab or Target (`.client("s3")`) or an S3 client itself."""
    if target is None:
        raise SigninLabError("an s3:// path needs a target: pass target= (a Lab or Target)")
    if hasattr(target, "list_objects_v2"):
        return target
    return target.client("s3")


class S3Archive:
    """The objects under one `s3://bucket/prefix`, listed with pruning and fetched one at a time."""

    def __init__(self, url: str, client: Any, prune: Prune | None = None) -> None:
        self.url = url
        self.bucket, prefix = parse_s3_url(url)
        self.key = prefix if prefix.lower().endswith(_SUFFIXES) else None  # one object named
        self.prefix = prefix if not prefix or prefix.endswith("/") else prefix + "/"
        self.client = client
        self.prune = prune or Prune()
        self.ignored: list[str] = []
        self.requests = 0  # ListObjectsV2 pages requested (the tests check pruning with it)

    def list_keys(self) -> list[str]:
        """The keys to read, in key order; digest and Config objects go to `.ignored`.

        A URL naming one object (`s3://b/AWSLogs/.../file.json.gz`) gives that key if it exists.
        """
        if self.key is not None:
            for page in self._pages(Prefix=self.key):
                if any(o["Key"] == self.key for o in page.get("Contents", [])):
                    return [self.key]
        return sorted(self._walk(self.prefix))

    # -- listing ---------------------------------------------------------------------------

    def _pages(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        from botocore.exceptions import ClientError

        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, **kwargs):
                self.requests += 1
                yield page
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            where = f"s3://{self.bucket}/{kwargs.get('Prefix', '')}"
            if code == "NoSuchBucket":
                raise SigninLabError(f"s3://{self.bucket}: no such bucket on this target") from None
            if code in ("AccessDenied", "AllAccessDisabled", "403"):
                raise SigninLabError(f"{where}: access denied listing objects ({code})") from None
            raise SigninLabError(f"{where}: cannot list objects: {code or exc}") from None

    def _children(self, prefix: str) -> tuple[list[str], list[str]]:
        """(sub-prefixes, object keys) directly under `prefix`."""
        subs: list[str] = []
        keys: list[str] = []
        for page in self._pages(Prefix=prefix, Delimiter="/"):
            subs += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
            keys += [o["Key"] for o in page.get("Contents", [])]
        return subs, keys

    def _take(self, keys: Iterable[str]) -> Iterator[str]:
        for key in keys:
            name = key.rsplit("/", 1)[-1]
            if NOT_RECORDS.search(key) or not name.lower().endswith(_SUFFIXES):
                self.ignored.append(f"s3://{self.bucket}/{key}")
            elif self.prune.keeps(key):
                yield key

    def _walk(self, prefix: str) -> Iterator[str]:
        """Descend the layout level by level; past a Region, list flat from the first day."""
        parts = [p for p in prefix.split("/") if p]
        if "AWSLogs" in parts:
            rest = parts[parts.index("AWSLogs") + 1:]
            if rest and _ORG.match(rest[0]):
                rest = rest[1:]
            if len(rest) >= 3 and rest[1] == "CloudTrail":
                yield from self._days(prefix, "/".join(parts[: len(parts) - len(rest) + 3]) + "/")
                return
        subs, keys = self._children(prefix)
        yield from self._take(keys)
        for sub in subs:
            name = sub[len(prefix):].rstrip("/")
            if NOT_RECORDS.search(name):
                self.ignored.append(f"s3://{self.bucket}/{sub}")
            elif self._wanted(parts, name):
                yield from self._walk(sub)

    def _wanted(self, parts: list[str], name: str) -> bool:
        """Whether the sub-prefix `name` under `parts` can hold records the prune keeps."""
        if "AWSLogs" not in parts:
            return True
        rest = parts[parts.index("AWSLogs") + 1:]
        if rest and _ORG.match(rest[0]):
            rest = rest[1:]
        if not rest and not _ORG.match(name):  # an account (or an org id, handled above)
            return not self.prune.accounts or name in self.prune.accounts
        if len(rest) == 1:  # CloudTrail, CloudTrail-Insight, ... : only CloudTrail holds records
            if name != "CloudTrail":
                self.ignored.append(f"s3://{self.bucket}/{'/'.join([*parts, name])}/")
                return False
            return True
        if len(rest) == 2:  # a Region
            return not self.prune.regions or name in self.prune.regions
        return True

    def _days(self, prefix: str, region_prefix: str) -> Iterator[str]:
        """Keys under a Region (or deeper) within since..until: one flat listing, no walking."""
        kwargs: dict[str, Any] = {"Prefix": prefix}
        if self.prune.since:
            first = region_prefix + self.prune.since.strftime("%Y/%m/%d")
            if first > prefix:
                kwargs["StartAfter"] = first
        last = region_prefix + (self.prune.until + timedelta(days=1)).strftime("%Y/%m/%d") if self.prune.until else None
        for page in self._pages(**kwargs):
            keys = [o["Key"] for o in page.get("Contents", [])]
            if last is not None and keys and keys[-1] >= last:
                yield from self._take(k for k in keys if k < last)
                return
            yield from self._take(keys)

    # -- reading ---------------------------------------------------------------------------

    def fetch(self, key: str) -> bytes:
        """One object's bytes; a missing object or a denied read is a SigninLabError naming it."""
        from botocore.exceptions import ClientError

        try:
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
            try:
                return body.read()  # type: ignore[no-any-return]
            finally:
                body.close()
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            reason = "access denied" if code in ("AccessDenied", "403") else f"cannot read ({code or exc})"
            from signin_lab.events.load import EventFileError

            raise EventFileError(f"s3://{self.bucket}/{key}", None, reason) from None
