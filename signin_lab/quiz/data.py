"""Exam practice's data files: the exam registry and each notebook's questions, validated on load."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import orjson

from signin_lab.errors import SigninLabError
from signin_lab.quiz.model import (
    LETTERS,
    Exam,
    ExamMap,
    ExamRef,
    Option,
    Question,
    Quiz,
    objective_key,
)

_DATA = "data"



def _read(name: str) -> Any:
    path = resources.files("signin_lab").joinpath(f"{_DATA}/{name}")
    try:
        return orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise SigninLabError(f"signin_lab/{_DATA}/{name}: no such quiz data file") from None
    except orjson.JSONDecodeError as exc:
        raise SigninLabError(f"signin_lab/{_DATA}/{name}: not valid JSON ({exc})") from None


@cache
def exams() -> dict[str, Exam]:
    """The exams questions may cite, by code (quiz_exams.json), in the order the exam map shows them."""
    return {
        code: Exam(code, e["name"], e["guide"], e["note"], dict(e["domains"]), dict(e["tasks"]))
        for code, e in _read("quiz_exams.json")["exams"].items()
    }


def notebooks() -> tuple[str, ...]:
    """The notebooks with exam practice, e.g. ("00_overview", ..., "09_beyond"), in course order."""
    return tuple(_index())


@cache
def _index() -> dict[str, str]:
    """{notebook: data file name}, from the files present."""
    folder = resources.files("signin_lab").joinpath(_DATA)
    found: dict[str, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if re.fullmatch(r"quiz_\d\d\.json", entry.name):
            found[_read(entry.name)["notebook"]] = entry.name
    return found


def _resolve(notebook: str) -> str:
    names = notebooks()
    matches = [n for n in names if n == notebook or n[:2] == notebook]
    if len(matches) != 1:
        raise SigninLabError(f"notebook={notebook!r}: no exam practice; expected one of {', '.join(names)}")
    return matches[0]


def _question(raw: Mapping[str, Any], where: str) -> Question:
    qid = raw.get("id", "?")
    at = f"{where}, question {qid}"
    options = raw.get("options") or {}
    if sorted(options) != list(LETTERS):
        raise SigninLabError(f"{at}: options must be exactly A, B, C, D (got {', '.join(sorted(options))})")
    if raw.get("answer") not in LETTERS:
        raise SigninLabError(f"{at}: answer {raw.get('answer')!r} is not one of A, B, C, D")
    opts = []
    for letter in LETTERS:
        text, why = options[letter].get("text", ""), options[letter].get("why", "")
        if not text.strip() or not why.strip():
            raise SigninLabError(f"{at}: option {letter} needs a text and a why")
        opts.append(Option(letter, text, why))
    refs = tuple(ExamRef(e["code"], e["objective"]) for e in raw.get("exams", ()))
    if not refs:
        raise SigninLabError(f"{at}: name at least one exam and objective")
    for ref in refs:
        if ref.code not in exams():
            raise SigninLabError(f"{at}: exam {ref.code!r} is not in quiz_exams.json ({', '.join(exams())})")
        exams()[ref.code].label(ref.objective)
    source = raw.get("source") or {}
    if not str(source.get("url", "")).startswith("https://docs.aws.amazon.com/"):
        raise SigninLabError(f"{at}: source.url must be an AWS documentation page")
    return Question(qid, raw["topic"], raw["scenario"], tuple(opts), raw["answer"], refs,
                    source["url"], source.get("title", source["url"]))


@cache
def load(notebook: str) -> Quiz:
    """One notebook's questions, by name ("03_cloudtrail") or number ("03"); validated on load."""
    name = _resolve(notebook)
    file = _index()[name]
    data = _read(file)
    questions = tuple(_question(q, f"signin_lab/{_DATA}/{file}") for q in data["questions"])
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise SigninLabError(f"signin_lab/{_DATA}/{file}: question ids repeat: {', '.join(ids)}")
    return Quiz(name, questions)


def exam_map() -> ExamMap:
    """For each notebook, the exam objectives its questions serve (the table in notebook 00)."""
    rows = []
    for name in notebooks():
        served: dict[str, list[str]] = {}
        for q in load(name):
            for ref in q.exams:
                if ref.objective not in served.setdefault(ref.code, []):
                    served[ref.code].append(ref.objective)
        for code in exams():
            if code in served:
                rows.append((name, code, tuple(sorted(served[code], key=objective_key))))
    return ExamMap(tuple(rows))
