"""Exam practice as data: exams, questions, verdicts, and the collections that render themselves."""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from signin_lab.errors import SigninLabError
from signin_lab.quiz.render import question_html, verdict_html

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


LETTERS = ("A", "B", "C", "D")
Status = Literal["right", "wrong", "unanswered"]


def exams() -> dict[str, Exam]:
    """The exam registry (signin_lab.quiz.data.exams), imported on use: data imports this module."""
    from signin_lab.quiz.data import exams as registry

    return registry()


# -- the data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exam:
    """One AWS certification exam: its code, name, guide page and the objectives questions cite."""

    code: str
    name: str
    guide: str
    note: str
    domains: Mapping[str, str]
    tasks: Mapping[str, str]

    def title(self, objective: str) -> str:
        """The task statement or domain name as the exam guide words it, e.g. 'Detection'."""
        if objective in self.tasks:
            return self.tasks[objective]
        if objective in self.domains:
            return self.domains[objective]
        raise SigninLabError(f"{self.code}: no task or domain {objective!r} in quiz_exams.json")

    def label(self, objective: str) -> str:
        """'Task 4.2: Instrument code for observability' or 'Domain 1: Detection'."""
        kind = "Task" if objective in self.tasks else "Domain"
        return f"{kind} {objective}: {self.title(objective)}"


@dataclass(frozen=True)
class ExamRef:
    """An exam code and the task statement (e.g. "4.2") or domain (e.g. "1") a question serves."""

    code: str
    objective: str

    def label(self) -> str:
        """The objective spelt out, e.g. 'DVA-C02 Task 4.2: Instrument code for observability'."""
        return f"{self.code} {exams()[self.code].label(self.objective)}"


@dataclass(frozen=True)
class Option:
    """One answer option: its letter, its text, and why it is right or wrong."""

    letter: str
    text: str
    why: str


@dataclass(frozen=True)
class Question:
    """A scenario question with four options, exactly one right, and the AWS page it rests on."""

    id: str
    topic: str
    scenario: str
    options: tuple[Option, ...]
    answer: str
    exams: tuple[ExamRef, ...]
    source: str
    source_title: str

    def option(self, letter: str) -> Option:
        """The option with this letter (A-D)."""
        for opt in self.options:
            if opt.letter == letter:
                return opt
        raise SigninLabError(f"question {self.id}: no option {letter!r}; expected one of A, B, C, D")

    def grade(self, answer: str | None) -> Verdict:
        """Right, wrong or unanswered; `answer` is a letter A-D (any case) or None."""
        if answer is None:
            return Verdict(self, None, "unanswered")
        if not isinstance(answer, str) or answer.strip().upper() not in LETTERS:
            raise SigninLabError(f"answer for {self.id}: {answer!r} is not one of A, B, C, D", field=self.id)
        letter = answer.strip().upper()
        return Verdict(self, letter, "right" if letter == self.answer else "wrong")

    def _repr_html_(self) -> str:
        return question_html(self)


@dataclass(frozen=True)
class Verdict:
    """The grade of one answer: the question, the letter given (None if unanswered), the status."""

    question: Question
    given: str | None
    status: Status

    @property
    def right(self) -> bool:
        """True when the given letter is the right answer."""
        return self.status == "right"

    def __str__(self) -> str:
        q = self.question
        if self.status == "unanswered":
            return f"… {q.id}: not answered yet"
        assert self.given is not None
        mark = "✔" if self.status == "right" else "✘"
        return f"{mark} {q.id}: {self.given}. {q.option(self.given).why}"

    def _repr_html_(self) -> str:
        return verdict_html(self)


# -- collections that render themselves -------------------------------------------------------


@dataclass(frozen=True)
class Results:
    """The verdicts for one notebook's answers, in question order."""

    verdicts: tuple[Verdict, ...]

    @property
    def score(self) -> tuple[int, int]:
        """(right answers, questions)."""
        return sum(v.right for v in self.verdicts), len(self.verdicts)

    def __iter__(self) -> Iterator[Verdict]:
        return iter(self.verdicts)

    def __str__(self) -> str:
        right, total = self.score
        answered = sum(v.status != "unanswered" for v in self.verdicts)
        head = (f"{right} of {total} right" if answered else
                f"Not answered yet: set each answer above to a letter, A to D ({total} questions).")
        return "\n".join([head, *map(str, self.verdicts)])

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        right, total = self.score
        answered = sum(v.status != "unanswered" for v in self.verdicts)
        head = (f"<p><strong>{right} of {total} right</strong></p>" if answered else
                f"<p>Not answered yet: set each answer above to a letter, A to D ({total} questions).</p>")
        return '<div class="signin-lab-quiz-results">' + head + "".join(map(verdict_html, self.verdicts)) + "</div>"

    def _repr_markdown_(self) -> str:
        return self._repr_html_()

    def frame(self) -> pd.DataFrame:
        """One row per question: id, given, status, right answer."""
        import pandas as pd

        return pd.DataFrame(
            [(v.question.id, v.given, v.status, v.question.answer) for v in self.verdicts],
            columns=["question", "given", "status", "answer"],
        )


@dataclass(frozen=True)
class Quiz:
    """One notebook's exam-practice questions."""

    notebook: str
    questions: tuple[Question, ...]

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    @property
    def ids(self) -> tuple[str, ...]:
        """The question ids, in order (e.g. "03-1", "03-2", ...)."""
        return tuple(q.id for q in self.questions)

    def question(self, qid: str) -> Question:
        """The question with this id."""
        for q in self.questions:
            if q.id == qid:
                return q
        raise SigninLabError(f"{self.notebook}: no question {qid!r}; its questions are {', '.join(self.ids)}")

    def blank(self) -> dict[str, None]:
        """An answer sheet with every question unanswered: {"03-1": None, ...}."""
        return dict.fromkeys(self.ids)

    def check(self, answers: Mapping[str, str | None]) -> Results:
        """Grade an answer sheet {question id: letter or None}; a missing id counts as unanswered.

        An id that is not one of this notebook's questions, or an answer that is not A-D, raises
        SigninLabError naming it; a wrong letter does not raise: its verdict says why it is wrong.
        """
        unknown = sorted(set(answers) - set(self.ids))
        if unknown:
            raise SigninLabError(
                f"{self.notebook}: no question {', '.join(map(repr, unknown))}; its questions are {', '.join(self.ids)}"
            )
        return Results(tuple(q.grade(answers.get(q.id)) for q in self.questions))

    def __str__(self) -> str:
        lines = []
        for q in self.questions:
            lines += [f"{q.id} · {q.topic}", q.scenario]
            lines += [f"  {o.letter}. {o.text}" for o in q.options]
            lines.append("")
        return "\n".join(lines).rstrip()

    def __repr__(self) -> str:
        return f"Quiz({self.notebook!r}, {len(self)} questions: {', '.join(self.ids)})"

    def _repr_html_(self) -> str:
        return '<div class="signin-lab-quiz">' + "".join(map(question_html, self.questions)) + "</div>"

    def _repr_markdown_(self) -> str:
        return self._repr_html_()

    def frame(self) -> pd.DataFrame:
        """One row per question: id, topic, answer, exam objectives, source."""
        import pandas as pd

        return pd.DataFrame(
            [(q.id, q.topic, q.answer, "; ".join(e.label() for e in q.exams), q.source) for q in self.questions],
            columns=["question", "topic", "answer", "exams", "source"],
        )


@dataclass(frozen=True)
class ExamMap:
    """Which exam objectives each notebook's questions serve, derived from the question data."""

    rows: tuple[tuple[str, str, tuple[str, ...]], ...]  # (notebook, exam code, objectives)

    def frame(self) -> pd.DataFrame:
        """Notebooks down, exam codes across; a cell lists tasks ("4.1, 4.2") or domains ("D1")."""
        import pandas as pd

        codes = list(exams())
        table: dict[str, dict[str, str]] = {}
        for notebook, code, objectives in self.rows:
            short = [o if "." in o else f"D{o}" for o in objectives]
            table.setdefault(notebook, dict.fromkeys(codes, ""))[code] = ", ".join(short)
        frame = pd.DataFrame.from_dict(table, orient="index", columns=codes)
        frame.index.name = "notebook"
        return frame

    def legend(self) -> pd.DataFrame:
        """Every objective the map cites, spelt out: exam, objective ("4.2" or "D1"), name, exam guide."""
        import pandas as pd

        used = sorted({(code, o) for _, code, objectives in self.rows for o in objectives},
                      key=lambda r: (list(exams()).index(r[0]), objective_key(r[1])))
        return pd.DataFrame(
            [(code, o if "." in o else f"D{o}", exams()[code].title(o), exams()[code].guide) for code, o in used],
            columns=["exam", "objective", "name", "exam guide"],
        )

    def _repr_html_(self) -> str:
        codes = list(exams())
        names = "".join(f'<th title="{html.escape(exams()[c].name)}">{html.escape(c)}</th>' for c in codes)
        body = "".join(
            f"<tr><th>{html.escape(str(nb))}</th>" + "".join(f"<td>{html.escape(str(row[c]))}</td>" for c in codes)
            + "</tr>"
            for nb, row in self.frame().iterrows()
        )
        legend = "".join(
            f"<li><strong>{html.escape(r.exam)} {html.escape(r.objective)}</strong>: {html.escape(r.name)}</li>"
            for r in self.legend().itertuples()
        )
        guides = "".join(
            f'<li><a href="{html.escape(e.guide)}">{html.escape(e.code)}: {html.escape(e.name)}</a></li>'
            for e in exams().values()
        )
        return (f'<table class="signin-lab-exam-map"><thead><tr><th>notebook</th>{names}</tr></thead>'
                f"<tbody>{body}</tbody></table><details><summary>What each objective is</summary>"
                f"<ul>{legend}</ul><p>Exam guides:</p><ul>{guides}</ul></details>")

    def _repr_markdown_(self) -> str:
        return self._repr_html_()

    def __repr__(self) -> str:
        return self.frame().to_string()


def objective_key(objective: str) -> tuple[int, ...]:
    """Sort key for objectives: "1.3" before "2.1", domain "4" before task "4.1"."""
    return tuple(int(part) for part in objective.split("."))
