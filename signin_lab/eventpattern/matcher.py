"""Match a compiled event pattern against an event (a parsed JSON object).

Rules (EventBridge user guide): "For a pattern to match an event, the event must contain all the
field names listed in the pattern" with the same nesting
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html); "If the value in
the event is an array, then the event pattern matches if the intersection of the event pattern
array and the event array is non-empty"
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html); null and
"" are different values (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html);
"exists" only sees leaf nodes (content filtering page). Where an array holds objects, the fields of
one sub-pattern must match inside the same element (event-ruler's array consistency, the behaviour
of its rulesForJSONEvent).
"""

from __future__ import annotations

from typing import Any

from signin_lab.eventpattern.compiler import FieldTest, ObjectTest
from signin_lab.eventpattern.matchers import Exists, Leaf

_MISSING: Any = object()


def leaves(value: Any) -> list[Leaf]:
    """The leaf values at a field: a scalar (null included) is one, arrays are spread (nested
    arrays too), objects are not leaves, a missing field has none."""
    if value is _MISSING or isinstance(value, dict):
        return []
    if isinstance(value, list):
        out: list[Leaf] = []
        for item in value:
            out.extend(leaves(item))
        return out
    return [value]


def field_matches(test: FieldTest, value: Any) -> bool:
    """Any matcher matches any leaf value; `exists` looks at whether there is a leaf at all."""
    found = leaves(value)
    for matcher in test.matchers:
        if isinstance(matcher, Exists):
            if bool(found) == matcher.present:
                return True
        elif any(matcher.matches(v) for v in found):
            return True
    return False


def _value_matches(test: ObjectTest | FieldTest, value: Any) -> bool:
    if isinstance(test, FieldTest):
        return field_matches(test, value)
    if isinstance(value, dict):
        return object_matches(test, value)
    if isinstance(value, list) and value:
        return any(_value_matches(test, item) for item in value)
    # missing, a scalar or an empty array where the pattern has an object: only absence can match
    return object_matches(test, {})


def object_matches(test: ObjectTest, obj: dict[str, Any]) -> bool:
    """Every field matches (AND) and, for each $or, at least one branch does."""
    for key, sub in test.fields:
        if not _value_matches(sub, obj.get(key, _MISSING)):
            return False
    return all(any(object_matches(branch, obj) for branch in group) for group in test.ors)
