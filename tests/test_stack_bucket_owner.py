"""The trail's bucket must be the account's own: S3's 403 for ExpectedBucketOwner is a one-line error."""

from __future__ import annotations

import pytest
from botocore.stub import Stubber

from signin_lab import Lab
from signin_lab.errors import SigninLabError
from signin_lab.stack import cloudtrail


def test_a_403_for_the_expected_owner_is_a_one_line_error(lab: Lab) -> None:
    """HeadBucket answering 403 (another account owns the name) stops deploy on the bucket_name field."""
    s3 = lab.client("s3")
    with Stubber(s3) as stub:
        stub.add_client_error(
            "head_bucket",
            service_error_code="403",
            http_status_code=403,
            expected_params={"Bucket": lab.config.bucket, "ExpectedBucketOwner": lab.config.account_id},
        )
        with pytest.raises(SigninLabError) as info:
            cloudtrail.ensure_bucket(lab)
    assert "bucket_name" == info.value.field


def test_owned_names_the_account(lab: Lab) -> None:
    """Every S3 call's bucket arguments carry the lab's account as ExpectedBucketOwner."""
    assert {"Bucket": lab.config.bucket, "ExpectedBucketOwner": "123456789012"} == cloudtrail.owned(lab.config)
