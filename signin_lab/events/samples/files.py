"""Writing the samples: CloudTrail's S3 layout (gzip, deterministic names) and plain {"Records": [...]} files."""

from __future__ import annotations

import gzip
import hashlib
import string
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from signin_lab.errors import SigninLabError
from signin_lab.events.samples._common import ACCOUNT_ID, Record, _digest, _sorted
from signin_lab.events.samples.scenarios import S3_WINDOWS, SCENARIOS

# -- writing files ----------------------------------------------------------------------------


def _gzip(data: bytes) -> bytes:
    """gzip with mtime 0 and no file name, so the same bytes give the same file."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def _unique(*parts: object) -> str:
    """CloudTrail's 16-character UniqueString, derived from the file's identity."""
    alphabet = string.ascii_letters + string.digits
    return "".join(alphabet[b % len(alphabet)] for b in _digest(*parts)[:16])


def s3_key(account_id: str, region: str, delivered: datetime, unique: str) -> str:
    """CloudTrail's object key below the bucket (no prefix), e.g.
    AWSLogs/123456789012/CloudTrail/us-east-1/2025/03/03/123456789012_CloudTrail_us-east-1_20250303T0910Z_<16>.json.gz
    """
    d = delivered.astimezone(UTC)
    return (
        f"AWSLogs/{account_id}/CloudTrail/{region}/{d:%Y/%m/%d}/"
        f"{account_id}_CloudTrail_{region}_{d:%Y%m%dT%H%MZ}_{unique}.json.gz"
    )


def write_s3_layout(
    records: Iterable[Record],
    root: str | Path,
    *,
    window: timedelta = timedelta(minutes=5),
    delay: timedelta = timedelta(minutes=5),
    account_id: str | None = None,
) -> list[Path]:
    """Write records as CloudTrail delivers them to S3: one gzip file per Region and window.

    Each record goes to the file of its awsRegion and of the `window` its eventTime falls in
    (windows aligned to the Unix epoch); the file is named for its delivery time, the end of the
    window plus `delay`, as CloudTrail names files by delivery time. The account is
    recipientAccountId (or `account_id`). Returns the paths written, sorted.
    """
    seconds = int(window.total_seconds())
    if seconds <= 0:
        raise SigninLabError(f"window={window!r}: must be positive")
    groups: dict[tuple[str, str, int], list[Record]] = {}
    for rec in records:
        when = datetime.fromisoformat(rec["eventTime"])
        slot = int(when.timestamp()) // seconds
        account = account_id or rec.get("recipientAccountId") or ACCOUNT_ID
        groups.setdefault((account, rec["awsRegion"], slot), []).append(rec)
    root = Path(root)
    written: list[Path] = []
    for (account, region, slot), group in sorted(groups.items()):
        delivered = datetime.fromtimestamp((slot + 1) * seconds, UTC) + delay
        body = orjson.dumps({"Records": _sorted(group)})
        unique = _unique(account, region, delivered.isoformat(), hashlib.sha256(body).hexdigest())
        path = root / s3_key(account, region, delivered, unique)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_gzip(body))
        written.append(path)
    return sorted(written)


def write_records_json(records: Iterable[Record], path: str | Path) -> Path:
    """Write `{"Records": [...]}` as indented JSON (what the console's JSON download holds)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps({"Records": list(records)}, option=orjson.OPT_INDENT_2) + b"\n")
    return path


def write_samples(folder: str | Path) -> list[Path]:
    """Write every scenario of SCENARIOS into `folder` (data/sample_events/); returns the files.

    Run `python -m signin_lab.events.samples data/sample_events` to regenerate the committed files.
    """
    folder = Path(folder)
    written: list[Path] = []
    for name, make in SCENARIOS.items():
        records = make()
        if name.endswith(".json"):
            written.append(write_records_json(records, folder / name))
        else:
            written += write_s3_layout(records, folder / name, window=S3_WINDOWS[name])
    return sorted(written)
