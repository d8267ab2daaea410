"""Benchmark: `signin-lab backtest` against `signin-lab scan` over the same month, whole process each.

Builds (once, cached in benchmarks/_work/, git-ignored) a one-month archive in CloudTrail's S3
layout: ordinary traffic around the clock, a console sign-in in most 5-minute files (so the
literal pre-check of both commands rules few files out), and the filters' literals ("ConsoleLogin",
"Root", "IAMUser", "Failure", "Success") inside the parameters of about 2% of the other events,
half of those also with an IAM policy document (JSON inside a string, so most files hold
backslashes) and a user name that is not ASCII.
It then times, alternately, the two processes over the same files with the same engine (python),
checks that their match counts agree exactly, and prints the best-of-N wall times, their ratio
(goal: backtest at most 1.3x scan) and each process's peak memory (max RSS) at two archive sizes
over the same month: the per-minute series of a month is the same size however many records
fill it, so peak memory should stay flat.

    python benchmarks/backtest.py [--records 1000000] [--small 250000] [--repeat 3] [--engine python|duckdb]

`--small 0` skips the second (memory) archive.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from signin_lab.events.samples import HOME_REGION, console_login, ordinary_traffic, write_s3_layout

WORK = Path(__file__).resolve().parent / "_work"
DAYS = 30
LITERALS = {"description": "ConsoleLogin review: Root and IAMUser sign-ins, Failure and Success"}
POLICY = {"Statement": [{"Effect": "Deny", "Action": "signin:ConsoleLogin", "Resource": "*",
                         "Condition": {"StringEquals": {"aws:PrincipalType": "Root"}}}]}


def build_archive(records: int) -> Path:
    """A 30-day S3-layout archive of at least `records` records (cached by size)."""
    root = WORK / f"month2-{records}"
    marker = root / ".complete"
    if marker.exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    rng = random.Random(42)
    per_day = records // DAYS + 1
    # ordinary_traffic: service calls every hour, people on weekday working hours (10 of 24).
    per_hour = max(1, per_day // 30)
    total = 0
    for day in range(DAYS):
        t0 = start + timedelta(days=day)
        out = ordinary_traffic(t0, t0 + timedelta(days=1), seed=day,
                               service_per_hour=(per_hour * 9 // 10, per_hour * 11 // 10),
                               human_per_hour=(per_hour * 2, per_hour * 3))
        for r in out:
            if rng.random() < 0.02:
                r["requestParameters"] = {**(r.get("requestParameters") or {}), **LITERALS}
                if rng.random() < 0.5:  # JSON inside a string (backslashes) and a name that is not ASCII
                    r["requestParameters"]["policyDocument"] = json.dumps(POLICY)
                    r.setdefault("userIdentity", {})["userName"] = "Jos\u00e9 M\u00fcller"
        for window in range(288):  # a sign-in in about 80% of the 5-minute files
            if rng.random() < 0.8:
                when = t0 + timedelta(minutes=5 * window, seconds=rng.randrange(300))
                outcome = rng.choice(("failure", "failure", "success"))
                user_type = rng.choice(("iam", "iam", "iam", "root"))
                # IAM users signing in to a Regional endpoint are recorded in that Region (the
                # home Region's files); root sign-ins always in us-east-1.
                region = None if user_type == "root" else HOME_REGION
                out.append(console_login(outcome, user_type, when, region=region,
                                         seed=day * 1000 + window, mfa=rng.random() < 0.5))
        out.sort(key=lambda r: r["eventTime"])
        write_s3_layout(out, root, window=timedelta(minutes=5))
        total += len(out)
    marker.write_text(f"{total}\n")
    return root


def run(cmd: list[str]) -> tuple[float, int, dict]:
    """(wall seconds, peak RSS in MB, parsed JSON stdout) of one process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)  # files: no pipe to fill up
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"{cmd[3]} failed ({proc.returncode}): {err.read().decode().strip()}")
        return elapsed, usage.ru_maxrss // 1024, json.loads(out.read())


def compare(records: int, repeat: int, engine: str = "python") -> dict[str, float]:
    root = build_archive(records)
    base = [sys.executable, "-m", "signin_lab.cli"]
    scan_cmd = [*base, "scan", str(root), "--format", "json", "--engine", engine]
    back_cmd = [*base, "backtest", str(root), "--format", "json", "--engine", engine]
    scan_t, back_t, scan_m, back_m = [], [], [], []
    for _ in range(repeat):  # alternate, so both see the same machine load
        t, m, scan_out = run(scan_cmd)
        scan_t.append(t)
        scan_m.append(m)
        t, m, back_out = run(back_cmd)
        back_t.append(t)
        back_m.append(m)
    counts = {name: a["matches"] for name, a in back_out["alerts"].items()}
    if scan_out["records"] != back_out["records"] or scan_out["matches"] != counts:
        raise SystemExit(f"counts differ:\n  scan     {scan_out}\n  backtest {counts}")
    files = sum(1 for _ in root.rglob("*.json.gz"))
    print(f"archive: {scan_out['records']:,} records over {DAYS} days in {files:,} files")
    print(f"  counts agree: {counts}")
    print(f"  engine {engine}; pairs (scan s, backtest s): "
          + ", ".join(f"({a:.2f}, {b:.2f})" for a, b in zip(scan_t, back_t, strict=True)))
    print(f"  signin-lab scan     : best {min(scan_t):.2f} s of {repeat}, peak {max(scan_m)} MB")
    print(f"  signin-lab backtest : best {min(back_t):.2f} s of {repeat}, peak {max(back_m)} MB")
    print(f"  ratio backtest / scan: {min(back_t) / min(scan_t):.2f}x (goal <= 1.3x)")
    return {"ratio": min(back_t) / min(scan_t), "peak": max(back_m), "records": scan_out["records"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engine", choices=("python", "duckdb"), default="python",
                        help="The engine both commands read the archive with.")
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cpus, "
          f"Python {platform.python_version()}")
    large = compare(args.records, args.repeat, args.engine)
    if not args.small:
        return
    small = compare(args.small, args.repeat, args.engine)
    print(f"peak memory of backtest: {small['peak']} MB at {small['records']:,} records, "
          f"{large['peak']} MB at {large['records']:,} records")


if __name__ == "__main__":
    main()
