"""A classroom on one moto server: one account per learner, two Regions, racing peers, hardening."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from signin_lab import Lab
from signin_lab.errors import SigninLabError
from signin_lab.server import RunningServer, roster
from signin_lab.stack.iam import current_policy
from signin_lab.stack.policies import log_stream_arn

EMAIL = "you@example.com"
A, B = "100000000001", "100000000002"

pytestmark = pytest.mark.server


@pytest.fixture
def server(moto_server: RunningServer) -> Iterator[RunningServer]:
    """The session's moto server, empty before and after the test."""
    moto_server.reset()
    yield moto_server
    moto_server.reset()


def leftovers(lab: Lab) -> dict[str, list[str]]:
    """Every resource of the lab's account and Region the kit could have made, by kind."""
    cfg = lab.config
    return {
        "roles": [r["RoleName"] for r in lab.client("iam").list_roles()["Roles"]],
        "topics": [t["TopicArn"] for t in lab.client("sns").list_topics()["Topics"]],
        "trails": [
            t["TrailARN"] for t in lab.client("cloudtrail").describe_trails(includeShadowTrails=False)["trailList"]
        ],
        "buckets": [b["Name"] for b in lab.client("s3").list_buckets()["Buckets"]],
        "log groups": [g["logGroupName"] for g in lab.client("logs").describe_log_groups()["logGroups"]],
        "alarms": [a["AlarmName"] for a in lab.client("cloudwatch").describe_alarms()["MetricAlarms"]],
        "filters": [f["filterName"] for f in lab.client("logs").describe_metric_filters()["metricFilters"]
                    if f.get("logGroupName") == cfg.log_group_name],
    }


NOTHING: dict[str, list[str]] = {
    k: [] for k in ("roles", "topics", "trails", "buckets", "log groups", "alarms", "filters")
}


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together; return their results or exceptions."""
    barrier = threading.Barrier(len(calls))
    out: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            out[i] = call()
        except Exception as exc:  # noqa: BLE001 - kept, to be asserted on
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return out


# -- two Regions on one server (the repro) ------------------------------------------------
def test_deploy_in_two_regions_on_one_server(server: RunningServer) -> None:
    """us-east-1 then eu-west-1 on one server: both deploys build their own trail."""
    us, eu = Lab.endpoint(server.url, "us-east-1"), Lab.endpoint(server.url, "eu-west-1")
    us.deploy(email=EMAIL)
    eu.deploy(email=EMAIL)
    assert ["arn:aws:cloudtrail:eu-west-1:123456789012:trail/events-management"] == \
        leftovers(eu)["trails"]


def test_teardown_in_two_regions_leaves_nothing(server: RunningServer) -> None:
    """After deploys in two Regions, tearing both down leaves nothing in either."""
    us, eu = Lab.endpoint(server.url, "us-east-1"), Lab.endpoint(server.url, "eu-west-1")
    us.deploy(email=EMAIL)
    eu.deploy(email=EMAIL)
    us.teardown()
    eu.teardown()
    assert (NOTHING, NOTHING) == (leftovers(us), leftovers(eu))


def test_teardown_of_one_region_keeps_the_others_role_policy(server: RunningServer) -> None:
    """Tearing down us-east-1 keeps the role, and its policy still lists eu-west-1's streams."""
    us, eu = Lab.endpoint(server.url, "us-east-1"), Lab.endpoint(server.url, "eu-west-1")
    us.deploy(email=EMAIL)
    eu.deploy(email=EMAIL)
    us.teardown()
    policy: Any = current_policy(eu)
    assert [[log_stream_arn(eu.config)]] * 2 == [s["Resource"] for s in policy["Statement"]]


def test_the_other_region_is_unchanged_after_a_teardown(server: RunningServer) -> None:
    """After us-east-1's teardown, a redeploy in eu-west-1 has nothing to change."""
    us, eu = Lab.endpoint(server.url, "us-east-1"), Lab.endpoint(server.url, "eu-west-1")
    us.deploy(email=EMAIL)
    eu.deploy(email=EMAIL)
    us.teardown()
    assert False is eu.deploy(email=EMAIL).changed


def test_a_second_region_adds_its_streams_to_the_role_policy(server: RunningServer) -> None:
    """A deploy in a second Region keeps the first Region's log streams in the role's policy."""
    us, eu = Lab.endpoint(server.url, "us-east-1"), Lab.endpoint(server.url, "eu-west-1")
    us.deploy(email=EMAIL)
    eu.deploy(email=EMAIL)
    policy: Any = current_policy(eu)
    assert sorted([log_stream_arn(eu.config), log_stream_arn(us.config)]) == policy["Statement"][1]["Resource"]


# -- one account per learner ----------------------------------------------------------------------
def test_roster_gives_each_learner_an_account_and_a_line() -> None:
    """The roster's second learner has account 100000000002 and one line naming URL and account."""
    learner = roster("http://127.0.0.1:5000", 30).learners[1]
    assert ("learner-02", B, "SIGNIN_LAB_TARGET=http://127.0.0.1:5000 SIGNIN_LAB_ACCOUNT=100000000002") == \
        (learner.name, learner.account, learner.env)


def test_roster_accounts_are_distinct() -> None:
    """Thirty learners get thirty different account ids."""
    assert 30 == len({x.account for x in roster("http://h:1", 30).learners})


def test_roster_refuses_zero_learners() -> None:
    """A roster of 0 learners is refused, naming the field."""
    with pytest.raises(SigninLabError) as info:
        roster("http://h:1", 0)
    assert "learners" == info.value.field


def test_learner_lab_reads_its_own_account_id(server: RunningServer) -> None:
    """STS on moto, with the account header, answers the learner's account id."""
    assert B == Lab.endpoint(server.url, account=B).config.account_id


def test_same_names_coexist_in_two_accounts(server: RunningServer) -> None:
    """Two learners deploy the same stack; each has its own trail in its own account."""
    a, b = Lab.endpoint(server.url, account=A), Lab.endpoint(server.url, account=B)
    a.deploy(email=EMAIL)
    b.deploy(email=EMAIL)
    assert [f"arn:aws:cloudtrail:eu-west-1:{B}:trail/events-management"] == leftovers(b)["trails"]


def test_a_learners_teardown_leaves_the_other_learner_alone(server: RunningServer) -> None:
    """Learner A's teardown does not touch learner B's stack."""
    a, b = Lab.endpoint(server.url, account=A), Lab.endpoint(server.url, account=B)
    a.deploy(email=EMAIL)
    b.deploy(email=EMAIL)
    a.teardown()
    assert False is b.deploy(email=EMAIL).changed


def test_from_env_reads_the_learners_account(server: RunningServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lab.from_env scopes the server target to SIGNIN_LAB_ACCOUNT."""
    monkeypatch.setenv("SIGNIN_LAB_TARGET", server.url)
    monkeypatch.setenv("SIGNIN_LAB_ACCOUNT", A)
    assert A == Lab.from_env().config.account_id


def test_from_env_refuses_a_bad_account(monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGNIN_LAB_ACCOUNT of 11 digits is refused, naming the variable."""
    monkeypatch.setenv("SIGNIN_LAB_TARGET", "http://127.0.0.1:5000")
    monkeypatch.setenv("SIGNIN_LAB_ACCOUNT", "10000000000")
    with pytest.raises(SigninLabError, match="^SIGNIN_LAB_ACCOUNT: account '10000000000'"):
        Lab.from_env()


def test_an_account_on_in_process_moto_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGNIN_LAB_ACCOUNT without a server target is refused, not silently ignored."""
    monkeypatch.setenv("SIGNIN_LAB_TARGET", "moto")
    monkeypatch.setenv("SIGNIN_LAB_ACCOUNT", A)
    with pytest.raises(SigninLabError, match="only a moto server"):
        Lab.from_env()


def test_every_request_carries_the_account_header(server: RunningServer) -> None:
    """Each request a learner's client sends names the learner's account in x-moto-account-id."""
    lab = Lab.endpoint(server.url, account=A)
    seen: list[str] = []
    sns = lab.client("sns")
    sns.meta.events.register(
        "before-send.sns.*", lambda request, **_: seen.append(request.headers["x-moto-account-id"])
    )
    sns.list_topics()
    assert [A] == [h.decode() if isinstance(h, bytes) else h for h in seen]


# -- racing peers ----------------------------------------------------------------------------------
def test_two_deploys_at_once_both_succeed(server: RunningServer) -> None:
    """Two threads deploying the same stack in one account at once both succeed."""
    labs = [Lab.endpoint(server.url, account=A) for _ in range(2)]
    results = at_once(*(lambda lab=lab: lab.deploy(email=EMAIL) for lab in labs))
    assert [False, False] == [isinstance(r, Exception) for r in results]


def test_two_deploys_at_once_converge(server: RunningServer) -> None:
    """After two deploys at once, a third deploy has nothing to change."""
    labs = [Lab.endpoint(server.url, account=A) for _ in range(2)]
    at_once(*(lambda lab=lab: lab.deploy(email=EMAIL) for lab in labs))
    assert False is labs[0].deploy(email=EMAIL).changed


def test_two_teardowns_at_once_both_succeed_and_leave_nothing(server: RunningServer) -> None:
    """Two teardowns at once both succeed, and nothing of the stack is left."""
    labs = [Lab.endpoint(server.url, account=A) for _ in range(2)]
    labs[0].deploy(email=EMAIL)
    results = at_once(*(lambda lab=lab: lab.teardown() for lab in labs))
    assert ([False, False], NOTHING) == ([isinstance(r, Exception) for r in results], leftovers(labs[0]))


# -- hardening ------------------------------------------------------------------------------------
def test_a_bucket_of_another_account_is_refused(server: RunningServer) -> None:
    """Learner B's deploy onto a bucket name learner A owns stops with a one-line error."""
    Lab.endpoint(server.url, account=A).deploy(email=EMAIL, bucket_name="shared-trail-bucket")
    with pytest.raises(SigninLabError, match="not owned by account 100000000002"):
        Lab.endpoint(server.url, account=B).deploy(email=EMAIL, bucket_name="shared-trail-bucket")


def test_a_refused_bucket_is_left_untouched(server: RunningServer) -> None:
    """The other account's bucket keeps its own policy after the refused deploy."""
    owner = Lab.endpoint(server.url, account=A)
    owner.deploy(email=EMAIL, bucket_name="shared-trail-bucket")
    with pytest.raises(SigninLabError):
        Lab.endpoint(server.url, account=B).deploy(email=EMAIL, bucket_name="shared-trail-bucket")
    policy = json.loads(owner.client("s3").get_bucket_policy(Bucket="shared-trail-bucket")["Policy"])
    assert f"arn:aws:s3:::shared-trail-bucket/AWSLogs/{A}/*" == policy["Statement"][1]["Resource"]


def test_every_s3_call_on_the_bucket_names_its_owner(server: RunningServer) -> None:
    """Every S3 call of deploy and teardown on the trail's bucket passes ExpectedBucketOwner."""
    lab = Lab.endpoint(server.url, account=A)
    calls: list[tuple[str, Any]] = []
    lab.client("s3").meta.events.register(
        "provide-client-params.s3.*",
        lambda params, model, **_: calls.append((model.name, params.get("ExpectedBucketOwner"))),
    )
    lab.deploy(email=EMAIL)
    lab.teardown()
    exempt = {"CreateBucket", "ListBuckets"}  # CreateBucket has no such parameter; ListBuckets no bucket
    assert [] == [(op, owner) for op, owner in calls if op not in exempt and owner != A]


def test_trust_policy_is_scoped_to_the_accounts_trail(server: RunningServer) -> None:
    """The role's trust policy names the account and its trail in aws:SourceAccount / aws:SourceArn."""
    lab = Lab.endpoint(server.url, account=A)
    lab.deploy(email=EMAIL)
    role = lab.client("iam").get_role(RoleName=lab.config.role_name)["Role"]
    assert {
        "StringEquals": {"aws:SourceAccount": A},
        "ArnLike": {"aws:SourceArn": f"arn:aws:cloudtrail:*:{A}:trail/events-management"},
    } == role["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]


def test_cli_deploy_uses_the_learners_account(server: RunningServer, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """`signin-lab deploy` with SIGNIN_LAB_TARGET and SIGNIN_LAB_ACCOUNT builds in that account only."""
    from signin_lab.cli import main

    monkeypatch.setenv("SIGNIN_LAB_TARGET", server.url)
    monkeypatch.setenv("SIGNIN_LAB_ACCOUNT", B)
    with pytest.raises(SystemExit):
        main(["deploy", "--email", EMAIL])
    capsys.readouterr()
    counts = [len(leftovers(Lab.endpoint(server.url, account=x))["topics"]) for x in (A, B)]
    assert [0, 4] == counts


def test_deploys_in_two_regions_at_once_keep_both_in_the_role_policy(server: RunningServer) -> None:
    """Two Regions deploying at once both end up in the role's policy (neither overwrites the other)."""
    us, eu = Lab.endpoint(server.url, "us-east-1", account=A), Lab.endpoint(server.url, "eu-west-1", account=A)
    at_once(lambda: us.deploy(email=EMAIL), lambda: eu.deploy(email=EMAIL))
    policy: Any = current_policy(eu)
    assert sorted([log_stream_arn(eu.config), log_stream_arn(us.config)]) == policy["Statement"][0]["Resource"]
