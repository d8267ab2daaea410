"""Benchmark: `signin-lab scan` against a hand-written gunzip + orjson pass, whole process each.

Builds (once, cached in benchmarks/_work/, git-ignored) an archive of at least 100,000 CloudTrail
records in CloudTrail's S3 layout, sign-ins mixed into ordinary traffic. It then times, in the
same run and alternately, two processes over the same files: `signin-lab scan DIR --format json`,
and a baseline script that gunzips each file, parses it with orjson and counts the blog's four
conditions by hand. Both processes' start-up counts. It checks that the counts agree exactly and
prints the best-of-N wall times and their ratio. The goal is a ratio of 1.25 or less.

    python benchmarks/scan.py [--records 100000] [--repeat 5]
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
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from signin_lab.events.samples import console_login, ordinary_traffic, write_s3_layout

WORK = Path(__file__).resolve().parent / "_work"

BASELINE = r"""
import gzip, os, sys, orjson
root = sys.argv[1]
n = fi = fr = si = sr = 0
for dirpath, dirnames, filenames in os.walk(root):
    dirnames.sort()
    for name in sorted(filenames):
        if not name.endswith(".json.gz"):
            continue
        with open(os.path.join(dirpath, name), "rb") as f:
            records = orjson.loads(gzip.decompress(f.read()))["Records"]
        n += len(records)
        for r in records:
            if r.get("eventName") != "ConsoleLogin":
                continue
            kind = (r.get("userIdentity") or {}).get("type")
            result = (r.get("responseElements") or {}).get("ConsoleLogin")
            if kind == "IAMUser":
                if result == "Failure": fi += 1
                elif result == "Success": si += 1
            elif kind == "Root":
                if result == "Failure": fr += 1
                elif result == "Success": sr += 1
print(orjson.dumps({"records": n, "matches": {
    "signin-console-failure-iam": fi, "signin-console-failure-root": fr,
    "signin-console-success-iam": si, "signin-console-success-root": sr}}).decode())
"""


def build_archive(records: int) -> Path:
    """An S3-layout archive of at least `records` records (cached by size)."""
    root = WORK / f"archive-{records}"
    marker = root / ".complete"
    if marker.exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    start = datetime(2025, 1, 6, tzinfo=UTC)
    rng = random.Random(42)
    out: list[dict] = []
    day = 0
    while len(out) < records:
        t0 = start + timedelta(days=day)
        out += ordinary_traffic(t0, t0 + timedelta(days=1), seed=day,
                                service_per_hour=(60, 120), human_per_hour=(150, 250))
        for i in range(40):  # about 1 in 150 records is a sign-in, all four kinds
            outcome = rng.choice(("success", "failure"))
            user_type = rng.choice(("iam", "iam", "iam", "root"))
            region = None if user_type == "root" else rng.choice(("us-east-2", "eu-north-1"))
            when = t0 + timedelta(seconds=rng.randrange(86400))
            out.append(console_login(outcome, user_type, when, region=region, seed=day * 100 + i,
                                     mfa=rng.random() < 0.5))
        day += 1
    write_s3_layout(out, root, window=timedelta(minutes=5))
    marker.write_text(f"{len(out)}\n")
    return root


def timed(cmd: list[str]) -> tuple[float, dict]:
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    root = build_archive(args.records)
    files = sum(1 for _ in root.rglob("*.json.gz"))
    size = sum(p.stat().st_size for p in root.rglob("*.json.gz"))
    script = Path(sys.executable).with_name("signin-lab")
    scan_cmd = ([str(script)] if script.exists() else [sys.executable, "-m", "signin_lab.cli"])
    scan_cmd += ["scan", str(root), "--format", "json"]
    base_cmd = [sys.executable, "-c", BASELINE, str(root)]
    # For information: the same scan without the command-line framework's start-up.
    direct = ("import json, sys; from signin_lab.events.scan import run_scan; "
              "print(json.dumps(run_scan(sys.argv[1:]).to_json()))")
    direct_cmd = [sys.executable, "-c", direct, str(root)]

    scan_times, base_times, direct_times = [], [], []
    for _ in range(args.repeat):  # alternate, so all see the same machine load
        t, scan_out = timed(scan_cmd)
        scan_times.append(t)
        t, base_out = timed(base_cmd)
        base_times.append(t)
        t, direct_out = timed(direct_cmd)
        direct_times.append(t)
    if not scan_out == direct_out == base_out:
        raise SystemExit(f"counts differ:\n  scan     {scan_out}\n  baseline {base_out}")
    best_scan, best_base = min(scan_times), min(base_times)
    print(f"archive: {scan_out['records']} records in {files} files, {size / 1e6:.1f} MB gzip")
    print(f"counts agree: {scan_out['matches']}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cpus, "
          f"Python {platform.python_version()}")
    print(f"signin-lab scan : best {best_scan:.3f} s of {args.repeat}")
    print(f"gunzip + orjson : best {best_base:.3f} s of {args.repeat}")
    print(f"ratio scan / baseline: {best_scan / best_base:.2f}x (goal <= 1.25x)")
    print(f"(run_scan without the CLI framework: best {min(direct_times):.3f} s, "
          f"{min(direct_times) / best_base:.2f}x)")


if __name__ == "__main__":
    main()
