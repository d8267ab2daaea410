"""The alert's email address and SMS number: checked as AWS and the world would take them."""

from __future__ import annotations

import re
from typing import Any

from signin_lab.errors import SigninLabError

#: E.164: "+", a country code and the number, 15 digits at most
#: (https://docs.aws.amazon.com/sns/latest/dg/sms_publish-to-phone.html). Only the shape; the CloudFormation
#: export uses it as the parameter's AllowedPattern, `check_phone` also asks phonenumbers.
E164_PATTERN = r"\+[1-9][0-9]{1,14}"
#: The shape of an email address for the CloudFormation parameter (CloudFormation cannot run
#: email-validator); `check_email` is the real check.
EMAIL_SHAPE_PATTERN = r"[^@\s]+@[^@\s]+\.[^@\s]+"


def check_email(value: str, *, field: str = "email") -> str:
    """`value` if it is an email address (email-validator, no DNS lookup), else SigninLabError(field=...)."""
    from email_validator import EmailNotValidError, validate_email

    if not isinstance(value, str) or not re.fullmatch(EMAIL_SHAPE_PATTERN, value):
        raise SigninLabError(f"LabConfig.{field}={value!r}: not an email address", field=field)
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise SigninLabError(f"LabConfig.{field}={value!r}: not an email address ({exc})", field=field) from None
    return value


def _parse_phone(value: object, field: str) -> Any:
    import phonenumbers

    why = "not an E.164 phone number (+ country code and number, e.g. +447700900123)"
    if not isinstance(value, str) or not re.fullmatch(E164_PATTERN, value):
        raise SigninLabError(f"LabConfig.{field}={value!r}: {why}", field=field)
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise SigninLabError(f"LabConfig.{field}={value!r}: {why}", field=field) from None
    # is_possible_number checks the length the country's numbering plan allows. is_valid_number
    # would also refuse Ofcom's drama range +44 7700 900xxx, the only numbers the kit's examples
    # may use, so it is not asked.
    if not phonenumbers.is_possible_number(number):
        raise SigninLabError(
            f"LabConfig.{field}={value!r}: not a possible number for country code +{number.country_code}",
            field=field,
        )
    return number


def check_phone(value: str, *, field: str = "sms") -> str:
    """`value` if it is an E.164 number of a possible length for its country, else SigninLabError."""
    _parse_phone(value, field)
    return value


def sms_country(value: str) -> str:
    """The ISO 3166 country an E.164 number belongs to ("GB" for +447700900123), via phonenumbers."""
    import phonenumbers

    number = _parse_phone(value, "sms")
    region = phonenumbers.region_code_for_number(number)
    if region is None:  # a number outside the allocated ranges (Ofcom's drama range): the country code's main country
        region = phonenumbers.region_code_for_country_code(number.country_code)
    return str(region)
