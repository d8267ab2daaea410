"""EventBridge's input transformer: InputPathsMap variables filled into an InputTemplate.

Rules from "Amazon EventBridge input transformation"
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html) and the
API's InputTransformer (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html):
at most 100 variables; the predefined variables below are reserved; JSON paths in dot notation with
array indices and `*`; "If InputTemplate is a JSON object ... the placeholder cannot be used as an
object key"; InputTemplate "Minimum length of 1. Maximum length of 8192"; EventBridge "adds quotes to
string variable values" placed outside a string, and inserts values as they are inside one, where
an object or array loses its inner quotes; `aws.events.event` and `aws.events.event.json` "can only be
used as the value of a JSON field, as its contents are not escaped".
"""

from __future__ import annotations

import json
import re
from typing import Any

from signin_lab.eventpattern.errors import InputTransformerError

MAX_VARIABLES = 100
MAX_TEMPLATE = 8192
RULE_ARN, RULE_NAME = "aws.events.rule-arn", "aws.events.rule-name"
INGESTION_TIME = "aws.events.event.ingestion-time"
EVENT, EVENT_JSON = "aws.events.event", "aws.events.event.json"
PREDEFINED = (RULE_ARN, RULE_NAME, INGESTION_TIME, EVENT, EVENT_JSON)
_RAW_ONLY = (EVENT, EVENT_JSON)

_PLACEHOLDER = re.compile(r"<([A-Za-z0-9_.\-]+)>")
#: "dot notation, dashes, underscores, alphanumeric characters, array indices, wildcards (*),
#: forward slashes" (the user guide's list of the JSON path syntax EventBridge supports)
_STEP = re.compile(r"\.(\*|[A-Za-z0-9_\-/]+)|\[(\d+|\*)\]")
_MISSING: Any = object()


def _steps(path: str, where: str) -> list[str | int]:
    if not path.startswith("$"):
        raise InputTransformerError(f"the JSON path {path!r} does not start with '$'", where)
    steps: list[str | int] = []
    pos = 1
    while pos < len(path):
        m = _STEP.match(path, pos)
        if m is None:
            raise InputTransformerError(
                f"the JSON path {path!r} has syntax EventBridge does not support at character "
                f"{pos + 1} (dot notation, array indices and * only)", where)
        name, index = m.groups()
        steps.append(name if name is not None else ("*" if index == "*" else int(index)))
        pos = m.end()
    return steps


def extract(event: Any, path: str) -> Any:
    """The value at a JSON path of InputPathsMap (`$.detail.userIdentity.type`, `$.resources[0]`,
    `$.detail.*`); a wildcard gives the list of what it reaches; missing -> the `_MISSING` marker."""
    values = [event]
    wildcard = False
    for step in _steps(path, path):
        out: list[Any] = []
        for value in values:
            if step == "*":
                wildcard = True
                out.extend(value.values() if isinstance(value, dict) else
                           value if isinstance(value, list) else [])
            elif isinstance(step, int):
                if isinstance(value, list) and step < len(value):
                    out.append(value[step])
            elif isinstance(value, dict) and step in value:
                out.append(value[step])
        values = out
    if wildcard:
        return values if values else _MISSING
    return values[0] if values else _MISSING


def check(input_paths_map: dict[str, str], input_template: str) -> bool:
    """Validate an InputTransformer as PutTargets would; True if the template is a JSON object."""
    _check_paths_map(input_paths_map)
    if not isinstance(input_template, str) or not 1 <= len(input_template) <= MAX_TEMPLATE:
        raise InputTransformerError(
            f"InputTemplate must be a string of 1 to {MAX_TEMPLATE} characters", "InputTemplate")
    is_json = input_template.lstrip().startswith("{")
    for offset, name, inside, is_key in _placeholders(input_template, is_json):
        where = f"InputTemplate column {offset + 1}"
        if is_key:
            raise InputTransformerError(
                f"<{name}> is used as an object key; in a JSON template a placeholder cannot be "
                "an object key", where)
        if inside and name in _RAW_ONLY:
            raise InputTransformerError(
                f"<{name}> can only be used as the value of a JSON field, not inside a string",
                where)
    if is_json:
        # each placeholder becomes a number padded to its width, so error columns stay true
        probe = _PLACEHOLDER.sub(
            lambda m: "0".ljust(len(m.group(0))) if _is_var(m.group(1), input_paths_map)
            else m.group(0), input_template)
        try:
            json.loads(probe)
        except ValueError as exc:
            msg = getattr(exc, "msg", str(exc))
            pos = getattr(exc, "pos", 0)
            raise InputTransformerError(f"the JSON template is not valid JSON: {msg}",
                                        f"InputTemplate column {pos + 1}") from None
    return is_json


def _check_paths_map(input_paths_map: dict[str, str]) -> None:
    """InputPathsMap: a map of at most MAX_VARIABLES names, none reserved, to valid JSON paths."""
    if not isinstance(input_paths_map, dict):
        raise InputTransformerError("InputPathsMap is a map of names to JSON paths", "InputPathsMap")
    if len(input_paths_map) > MAX_VARIABLES:
        raise InputTransformerError(
            f"{len(input_paths_map)} variables; InputPathsMap allows at most {MAX_VARIABLES}",
            "InputPathsMap")
    for name, path in input_paths_map.items():
        where = f"InputPathsMap[{name!r}]"
        if name in PREDEFINED or name.lower().startswith("aws."):
            raise InputTransformerError(
                f"{name!r} is reserved: names cannot start with 'AWS.' and the predefined "
                f"variables {', '.join(PREDEFINED)} cannot be redefined", where)
        if not isinstance(path, str):
            raise InputTransformerError("the JSON path must be a string", where)
        _steps(path, where)


def _is_var(name: str, input_paths_map: dict[str, str]) -> bool:
    return name in input_paths_map or name in PREDEFINED


def _placeholders(template: str, is_json: bool) -> list[tuple[int, str, bool, bool]]:
    """(offset, name, inside a JSON string, used as an object key) for every `<name>`."""
    out: list[tuple[int, str, bool, bool]] = []
    inside = False
    i = 0
    while i < len(template):
        ch = template[i]
        if inside and ch == "\\":
            i += 2
            continue
        if ch == '"':
            inside = not inside
        elif ch == "<":
            m = _PLACEHOLDER.match(template, i)
            if m:
                rest = template[m.end():].lstrip()
                out.append((i, m.group(1), inside, is_json and not inside and rest.startswith(":")))
                i = m.end()
                continue
        i += 1
    return out


def _render(value: Any, inside: bool) -> str:
    if value is _MISSING:
        return "" if inside else "null"
    if inside:
        if isinstance(value, str):
            return value  # "EventBridge doesn't escape values extracted by Input Path"
        text = json.dumps(value, ensure_ascii=False)
        # "Detail is <detail>" -> "Detail is {key1: value1}": inner quotes removed
        return text.replace('"', "") if isinstance(value, dict | list) else text
    return json.dumps(value, ensure_ascii=False)


def transform(
    input_paths_map: dict[str, str],
    input_template: str,
    event: dict[str, Any],
    *,
    rule_name: str = "rule",
    rule_arn: str | None = None,
    ingestion_time: str | None = None,
) -> str:
    """The text EventBridge sends to the target for this event.

    `rule_arn` defaults to `arn:aws:events:<region>:<account>:rule/<rule_name>` from the event;
    `ingestion_time` (`<aws.events.event.ingestion-time>`) defaults to the event's `time`, so the
    result is deterministic. A path missing from the event gives an empty value inside a string and
    `null` elsewhere (the guide: such a variable "isn't created and won't appear in the output").
    Placeholders that name no variable are left as they are.
    """
    is_json = check(input_paths_map, input_template)
    values: dict[str, Any] = {name: extract(event, path) for name, path in input_paths_map.items()}
    values[RULE_NAME] = rule_name
    values[RULE_ARN] = rule_arn or (
        f"arn:aws:events:{event.get('region', '')}:{event.get('account', '')}:rule/{rule_name}")
    values[INGESTION_TIME] = ingestion_time if ingestion_time is not None else event.get("time", "")
    values[EVENT_JSON] = event
    values[EVENT] = {k: v for k, v in event.items() if k != "detail"}
    out: list[str] = []
    last = 0
    for offset, name, inside, _key in _placeholders(input_template, is_json):
        if name not in values:
            continue
        end = offset + len(name) + 2
        out.append(input_template[last:offset])
        out.append(_render(values[name], inside))
        last = end
    out.append(input_template[last:])
    return "".join(out)
