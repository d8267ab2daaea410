"""Deterministic CloudTrail scenarios shaped like AWS's documented records, and the sample files.

Every record here is synthetic. Shapes follow AWS's examples:
- sign-in events: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
  (copied in signin_lab/data/console_login_examples.json, see `aws_example_entries`);
- the wrong-user-name failure: https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html
- API calls and userIdentity: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
- which Region a sign-in is recorded in (root: us-east-1; IAM users through the global endpoint
  with an account-alias cookie: us-east-2, eu-north-1 or ap-southeast-2; without it: us-east-1;
  a Regional endpoint: its Region): the sign-in events page above.
- S3 delivery layout and file names: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html

The package: `_common` (the account, agents, deterministic ids), `signins`, `traffic`, `scenarios`
and `files` (writing the samples); every name is importable from `signin_lab.events.samples`.

Same arguments, same records: times come from the arguments, randomness from `random.Random(seed)`,
ids from hashes. `write_samples` writes byte-for-byte identical files on every run (gzip mtime 0).
"""

from __future__ import annotations

from signin_lab.events.samples._common import (
    ACCOUNT_ID,
    BLOG_START,
    BROWSERS,
    CLI_AGENT,
    GLOBAL_SIGNIN_REGIONS,
    HOME_REGION,
    Record,
)
from signin_lab.events.samples.files import (
    s3_key,
    write_records_json,
    write_s3_layout,
    write_samples,
)
from signin_lab.events.samples.scenarios import (
    S3_WINDOWS,
    SCENARIOS,
    aws_example_entries,
    aws_examples,
    blog_test_signins,
    password_guessing,
    quiet_month,
    root_at_night,
)
from signin_lab.events.samples.signins import (
    check_mfa,
    console_login,
    federated_login,
)
from signin_lab.events.samples.traffic import (
    ordinary_traffic,
)

__all__ = [
    "ACCOUNT_ID",
    "BLOG_START",
    "BROWSERS",
    "CLI_AGENT",
    "GLOBAL_SIGNIN_REGIONS",
    "HOME_REGION",
    "Record",
    "S3_WINDOWS",
    "SCENARIOS",
    "aws_example_entries",
    "aws_examples",
    "blog_test_signins",
    "check_mfa",
    "console_login",
    "federated_login",
    "ordinary_traffic",
    "password_guessing",
    "quiet_month",
    "root_at_night",
    "s3_key",
    "write_records_json",
    "write_s3_layout",
    "write_samples",
]
