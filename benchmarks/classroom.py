"""Benchmark: a classroom on one `signin-lab serve`: N learners at once, each in their own account.

Starts `signin-lab serve --port 0` in its own process on loopback (as an instructor would), then
N learner threads at once each deploy the blog's stack, replay the blog's four test sign-ins,
read their inbox and tear down. Prints the wall time for 10, 20 and 30 learners (or --learners),
and checks each learner saw only its own resources and messages and left nothing behind.

    python benchmarks/classroom.py [--learners 10 20 30]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from signin_lab import Lab
from signin_lab.events.samples import blog_test_signins
from signin_lab.server import Learner, roster


@contextmanager
def serve() -> Iterator[str]:
    """`signin-lab serve --port 0` in a child process on loopback; yields its URL, then stops it."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "signin_lab.cli", "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        match = re.search(r"listening on (http://\S+)", line)
        if not match:
            raise RuntimeError(f"serve did not start: {line!r} {proc.stderr.read() if proc.stderr else ''}")
        yield match.group(1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()


def resources(lab: Lab) -> dict[str, list[str]]:
    """What the learner's account holds in the lab's Region, by kind (topics, trails, ...)."""
    return {
        "roles": [r["RoleName"] for r in lab.client("iam").list_roles()["Roles"]],
        "topics": sorted(t["TopicArn"] for t in lab.client("sns").list_topics()["Topics"]),
        "trails": [
            t["TrailARN"] for t in lab.client("cloudtrail").describe_trails(includeShadowTrails=False)["trailList"]
        ],
        "buckets": [b["Name"] for b in lab.client("s3").list_buckets()["Buckets"]],
        "log groups": [g["logGroupName"] for g in lab.client("logs").describe_log_groups()["logGroups"]],
        "alarms": [a["AlarmName"] for a in lab.client("cloudwatch").describe_alarms()["MetricAlarms"]],
    }


def learner_day(url: str, learner: Learner) -> dict[str, Any]:
    """One learner's session: deploy, replay the blog's sign-ins, read the inbox, tear down."""
    lab = Lab.endpoint(url, "eu-west-1", account=learner.account)
    email = f"{learner.name}@example.com"
    lab.deploy(email=email)
    during = resources(lab)
    lab.replay(blog_test_signins())
    inbox = [(m.topic, m.protocol, m.endpoint) for m in lab.inbox()]
    lab.teardown()
    return {"account": lab.config.account_id, "email": email, "during": during, "inbox": inbox, "after": resources(lab)}


def classroom(url: str, learners: int) -> tuple[float, list[Any]]:
    """All learners at once (threads released together); (wall seconds, results or exceptions)."""
    people = roster(url, learners).learners
    results: list[Any] = [None] * learners
    barrier = threading.Barrier(learners)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = learner_day(url, people[i])
        except Exception as exc:  # noqa: BLE001 - each learner's failure is reported by the caller
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(learners)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, results


def problems(results: list[Any]) -> list[str]:
    """What went wrong for any learner: an error, another account's resource or message, leftovers."""
    out = []
    for r in results:
        if isinstance(r, Exception):
            out.append(f"error: {r}")
            continue
        acct = r["account"]
        foreign = [t for t in r["during"]["topics"] if f":{acct}:" not in t]
        others = [m for m in r["inbox"] if f":{acct}:" not in m[0] or m[2] not in (r["email"], "+447700900123")]
        left = {k: v for k, v in r["after"].items() if v}
        if len(r["during"]["topics"]) != 4 or foreign:
            out.append(f"{acct}: topics {r['during']['topics']}")
        if others or not r["inbox"]:
            out.append(f"{acct}: inbox {r['inbox']}")
        if left:
            out.append(f"{acct}: left {left}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[10, 20, 30])
    args = parser.parse_args()
    print(f"python {platform.python_version()}, {os.cpu_count()} CPU(s), {platform.platform()}")
    for n in args.learners:
        with serve() as url:
            seconds, results = classroom(url, n)
        bad = problems(results)
        print(f"{n:3d} learners: {seconds:6.1f} s wall, {seconds / n:5.2f} s per learner, "
              f"{'all isolated, nothing left' if not bad else f'{len(bad)} problem(s): ' + bad[0]}")


if __name__ == "__main__":
    main()
