"""Exam practice: scenario questions stored as data, graded in a live kernel, answers folded until opened.

Each notebook's questions live in `signin_lab/data/quiz_NN.json`; the exams and the objectives
they may cite (task statements, or domains where only the domain is verified) live in
`signin_lab/data/quiz_exams.json`, each exam with the guide page it was read from. Nothing here
prints: `Quiz`, `Results` and `ExamMap` render themselves (`_repr_html_`, `_repr_markdown_`) in a
notebook and on the documentation site, with every answer inside an HTML `<details>` element.

    quiz = load("03")                  # shows the questions
    quiz.check({"03-1": "B", ...})     # right or wrong, with the explanation; None = not answered
"""

from __future__ import annotations

from signin_lab.quiz.data import exam_map, exams, load, notebooks
from signin_lab.quiz.model import (
    LETTERS,
    Exam,
    ExamMap,
    ExamRef,
    Option,
    Question,
    Quiz,
    Results,
    Status,
    Verdict,
)

__all__ = [
    "LETTERS", "Exam", "ExamMap", "ExamRef", "Option", "Question", "Quiz", "Results", "Status", "Verdict",
    "exam_map", "exams", "load", "notebooks",
]
