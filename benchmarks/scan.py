"""Benchmark: `signin-lab scan` (python engine, 1 process and --jobs 2; duckdb) against a hand-written loop.

Builds (once, cached in benchmarks/_work/, git-ignored) an archive shaped the way real archives
look to a pattern (issue 11): RECORDS records in 500 delivery files (more files past 200,000
records, 400 records a file), most files holding at least one console sign-in, and the filters'
literals ("ConsoleLogin", "Root", "signin.amazonaws.com", "Failure") also inside other events'
fields: LookupEvents request parameters, user agents, role session names and IAM policy documents
(JSON inside a string, so files hold backslashes), and user names that are not ASCII. It then times, in
the same run and alternately, whole processes over the same files: `signin-lab scan DIR --format
json` with `--jobs 1`, `--jobs 2` and `--engine duckdb`, and a baseline script that gunzips each
file, parses it with orjson and counts the blog's four conditions by hand. It checks that all
counts agree exactly and prints best-of-N wall times, the ratios to the baseline (goals: python
1 process <= 1.0x, --jobs 2 <= 0.65x), the CPU time (user + system, workers included: on a
machine shared with other work, wall time swings with the load and CPU time does not), and each
process's peak memory (max RSS, measured in
one more run of each under /usr/bin/time). The duckdb engine is slow on JSON text, so it is
timed only up to --duckdb-up-to records.

    python benchmarks/scan.py [--records 200000 1000000] [--repeat 3] [--duckdb-up-to 200000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from signin_lab.events.samples import console_login, ordinary_traffic, s3_key

WORK = Path(__file__).resolve().parent / "_work"
PER_FILE = 400

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


def _decoy(rec: dict, rng: random.Random) -> dict:
    """The filters' literals inside an ordinary event's fields, as real archives have them."""
    choice = rng.randrange(5)
    if choice == 0:  # someone looking up sign-ins: CloudTrail LookupEvents
        rec["eventName"] = "LookupEvents"
        rec["eventSource"] = "cloudtrail.amazonaws.com"
        rec["requestParameters"] = {"lookupAttributes": [
            {"attributeKey": "EventName", "attributeValue": "ConsoleLogin"},
            {"attributeKey": "Username", "attributeValue": "Root"}],
            "filter": "Failure"}
    elif choice == 1:
        rec["userAgent"] = "signin.amazonaws.com"
    elif choice == 2:
        ident = rec.setdefault("userIdentity", {})
        ident["sessionContext"] = {"sessionIssuer": {"type": "Role", "userName": "Root"}}
        rec["requestParameters"] = {"roleSessionName": "ConsoleLogin", "note": "Failure"}
    elif choice == 3:  # a policy document: JSON inside a string, so the file has backslashes
        rec["eventName"] = "PutUserPolicy"
        rec["requestParameters"] = {"policyName": "deny-console", "policyDocument": json.dumps(
            {"Statement": [{"Effect": "Deny", "Action": "signin:ConsoleLogin", "Resource": "*",
                            "Condition": {"StringEquals": {"aws:PrincipalType": "Root"}}}]})}
    else:  # a name that is not ASCII
        rec.setdefault("userIdentity", {})["userName"] = "Jos\u00e9 M\u00fcller"
    return rec


def build_archive(records: int) -> Path:
    """An S3-layout archive of at least `records` records, PER_FILE a file (cached by size)."""
    root = WORK / f"archive11b-{records}"
    marker = root / ".complete"
    if marker.exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(11)
    start = datetime(2025, 1, 6, tzinfo=UTC)
    pool: list[dict] = []
    day = 0
    while len(pool) < 20_000:
        t0 = start + timedelta(days=day)
        pool += ordinary_traffic(t0, t0 + timedelta(days=1), seed=day,
                                 service_per_hour=(60, 120), human_per_hour=(150, 250))
        day += 1
    files = -(-records // PER_FILE)
    for f in range(files):
        when = start + timedelta(minutes=5 * f)
        batch = [dict(pool[rng.randrange(len(pool))]) for _ in range(PER_FILE)]
        for rec in batch:
            rec["eventTime"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            if rng.random() < 0.02:
                _decoy(rec, rng)
        if rng.random() < 0.8:  # most files hold a sign-in, all four kinds
            for _ in range(rng.randint(1, 3)):
                outcome = rng.choice(("success", "failure"))
                user_type = rng.choice(("iam", "iam", "iam", "root"))
                batch[rng.randrange(PER_FILE)] = console_login(outcome, user_type, when, seed=f)
        path = root / s3_key("123456789012", "eu-west-1", when, f"{f:016d}")
        path.parent.mkdir(parents=True, exist_ok=True)
        import gzip

        path.write_bytes(gzip.compress(orjson.dumps({"Records": batch}), compresslevel=6))
    marker.write_text(f"{files * PER_FILE}\n")
    return root


def timed(cmd: list[str]) -> tuple[float, dict, float]:
    """(wall seconds, the JSON printed, CPU seconds: user + system, its worker processes included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:3])} failed ({done.returncode}): {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, json.loads(done.stdout), cpu


def run(records: int, repeat: int, duckdb: bool = True) -> None:
    """Time every command on one archive size and print the table."""
    root = build_archive(records)
    files = sum(1 for _ in root.rglob("*.json.gz"))
    size = sum(p.stat().st_size for p in root.rglob("*.json.gz"))
    script = Path(sys.executable).with_name("signin-lab")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "signin_lab.cli"]
    commands = {
        "gunzip + orjson loop": [sys.executable, "-c", BASELINE, str(root)],
        "python --jobs 1": [*base, "scan", str(root), "--format", "json", "--jobs", "1"],
        "python --jobs 2": [*base, "scan", str(root), "--format", "json", "--jobs", "2"],
        "duckdb": [*base, "scan", str(root), "--format", "json", "--engine", "duckdb"],
    }
    if not duckdb:
        del commands["duckdb"]
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    outputs: dict[str, dict] = {}
    for _ in range(repeat):  # alternate, so all see the same machine load
        for name, cmd in commands.items():
            t, out, cpu = timed(cmd)
            times[name].append(t)
            cpus[name].append(cpu)
            outputs[name] = out
    peaks = {name: _peak_of(cmd) for name, cmd in commands.items()}
    first = outputs["gunzip + orjson loop"]
    for name, out in outputs.items():
        if {k: out.get(k) for k in first} != first or out.get("skipped"):  # counts, and nothing skipped
            raise SystemExit(f"counts differ:\n  {name}: {out}\n  baseline: {first}")
    best_base = min(times["gunzip + orjson loop"])
    cpu_base = min(cpus["gunzip + orjson loop"])
    print(f"archive: {first['records']} records in {files} files, {size / 1e6:.1f} MB gzip; "
          f"counts agree: {first['matches']}")
    print(f"  {'':<22} {'wall (best of ' + str(repeat) + ')':>22}  {'CPU user+sys (best)':>22}  peak RSS")
    for name in commands:
        best, cpu = min(times[name]), min(cpus[name])
        print(f"  {name:<22} {best:9.3f} s {best / best_base:6.2f}x    {cpu:9.3f} s {cpu / cpu_base:6.2f}x"
              f"  {peaks[name]:6.0f} MB")


def _peak_of(cmd: list[str]) -> float:
    """Peak RSS (MB) of one run of `cmd`, measured alone with /usr/bin/time's %M if present."""
    timer = shutil.which("time") or "/usr/bin/time"
    if not os.path.exists(timer):
        return float("nan")
    done = subprocess.run([timer, "-f", "%M", *cmd], capture_output=True, text=True, check=False)
    try:
        return int(done.stderr.strip().splitlines()[-1]) / 1024
    except (ValueError, IndexError):
        return float("nan")


def main() -> None:
    """Parse the options and run the benchmark for each archive size."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--duckdb-up-to", type=int, default=200_000,
                        help="time the duckdb engine only on archives up to this size (it is slow)")
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cpus, "
          f"Python {platform.python_version()}")
    for records in args.records:
        run(records, args.repeat, duckdb=records <= args.duckdb_up_to)


if __name__ == "__main__":
    main()
