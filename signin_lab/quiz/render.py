"""HTML for exam practice: questions with their answers folded in <details>, and verdicts."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.quiz import Question, Verdict

_CODE = re.compile(r"`([^`]+)`")


def inline(text: str) -> str:
    """HTML-escape, then `code` spans: the only markup question data uses."""
    return _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", html.escape(text, quote=False))


def explanations(q: Question) -> str:
    right = q.option(q.answer)
    wrong = "".join(f"<li><strong>{o.letter}</strong>: {inline(o.why)}</li>" for o in q.options if o.letter != q.answer)
    return (f"<p><strong>{q.answer}</strong>. {inline(right.why)}</p><ul>{wrong}</ul>"
            f'<p>Source: <a href="{html.escape(q.source)}">{html.escape(q.source_title)}</a></p>')


def question_html(q: Question) -> str:
    options = "".join(f"<li><strong>{o.letter}.</strong> {inline(o.text)}</li>" for o in q.options)
    served = "; ".join(html.escape(e.label()) for e in q.exams)
    return (f'<div class="signin-lab-question" id="question-{q.id}">'
            f"<p><strong>{q.id} · {inline(q.topic)}</strong></p><p>{inline(q.scenario)}</p>"
            f'<ul style="list-style: none">{options}</ul><p><small>Exams: {served}</small></p>'
            f"<details><summary>Answer and explanation</summary>{explanations(q)}</details></div>")


def verdict_html(v: Verdict) -> str:
    q = v.question
    if v.status == "unanswered":
        return f"<p>… {q.id}: not answered yet</p>"
    assert v.given is not None
    if v.status == "right":
        return f"<p>✔ {q.id}: <strong>{v.given}</strong>. {inline(q.option(v.given).why)}</p>"
    return (f"<p>✘ {q.id}: <strong>{v.given}</strong>. {inline(q.option(v.given).why)}</p>"
            f"<details><summary>The right answer</summary>{explanations(q)}</details>")
