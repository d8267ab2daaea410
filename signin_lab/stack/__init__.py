"""The blog's stack, one module per blog section: iam, sns, cloudtrail, cloudwatch; deploy ties them."""
