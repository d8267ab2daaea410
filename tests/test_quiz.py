"""Exam practice: the question data is well formed, the grader's verdicts, and every notebook uses it."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import nbformat
import pytest

from signin_lab import Lab, quiz
from signin_lab.errors import SigninLabError
from signin_lab.quiz import data as quiz_data
from signin_lab.quiz import render as quiz_render

ROOT = Path(__file__).resolve().parent.parent
KNOWN_EXAMS = {"DVA-C02", "SOA-C03", "SAA-C03", "SCS-C03"}
COURSE = sorted(p.name[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
DATA = resources.files("signin_lab").joinpath("data")
FILES = sorted(p.name for p in DATA.iterdir() if re.fullmatch(r"quiz_\d\d\.json", p.name))
RAW = [(f, q) for f in FILES for q in json.loads(DATA.joinpath(f).read_text())["questions"]]
RAW_IDS = [q["id"] for _, q in RAW]


def _notebook(number: str) -> nbformat.NotebookNode:
    path = next((ROOT / "notebooks").glob(f"{number}_*.ipynb"))
    return nbformat.read(path, as_version=4)


# -- the data ---------------------------------------------------------------------------------


def test_every_course_notebook_has_questions() -> None:
    """Every numbered notebook has a question file, and every question file a notebook."""
    assert COURSE == [name[:2] for name in quiz.notebooks()]


def test_question_files_name_their_notebook() -> None:
    """Each quiz_NN.json names the notebook file NN_*.ipynb that exists in notebooks/."""
    stems = {p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert set(quiz.notebooks()) <= stems


def test_the_eventbridge_notebook_is_in_the_course() -> None:
    """Notebook 11 (the EventBridge design) is among the notebooks with exam practice."""
    assert "11_eventbridge" in quiz.notebooks()


@pytest.mark.parametrize("number", COURSE)
def test_three_to_five_questions_per_notebook(number: str) -> None:
    """Each notebook has 3 to 5 questions."""
    assert 3 <= len(quiz.load(number)) <= 5


@pytest.mark.parametrize(("file", "raw"), RAW, ids=RAW_IDS)
def test_exactly_one_right_answer(file: str, raw: dict) -> None:
    """Options are A-D, the answer is one of them, and only its explanation says Right."""
    assert ["A", "B", "C", "D"] == sorted(raw["options"])
    rights = [letter for letter, o in raw["options"].items() if o["why"].startswith("Right:")]
    assert [raw["answer"]] == rights


@pytest.mark.parametrize(("file", "raw"), RAW, ids=RAW_IDS)
def test_every_distractor_is_explained(file: str, raw: dict) -> None:
    """Every wrong option says why it is wrong, in more than a word."""
    wrong = [o["why"] for letter, o in raw["options"].items() if letter != raw["answer"]]
    assert 3 == len(wrong)
    assert all(w.startswith("Wrong:") and len(w.split()) > 5 for w in wrong)


@pytest.mark.parametrize(("file", "raw"), RAW, ids=RAW_IDS)
def test_exam_codes_come_from_the_known_list(file: str, raw: dict) -> None:
    """Each question names at least one exam, all of them among the four the course serves."""
    codes = {e["code"] for e in raw["exams"]}
    assert codes and codes <= KNOWN_EXAMS


@pytest.mark.parametrize(("file", "raw"), RAW, ids=RAW_IDS)
def test_objectives_exist_in_the_exam_guide_data(file: str, raw: dict) -> None:
    """Each cited task or domain is one quiz_exams.json lists for that exam."""
    exams = quiz.exams()
    for ref in raw["exams"]:
        assert ref["objective"] in {**exams[ref["code"]].tasks, **exams[ref["code"]].domains}


@pytest.mark.parametrize(("file", "raw"), RAW, ids=RAW_IDS)
def test_each_question_rests_on_an_aws_page(file: str, raw: dict) -> None:
    """The source is a docs.aws.amazon.com page with a title."""
    assert raw["source"]["url"].startswith("https://docs.aws.amazon.com/")
    assert raw["source"]["title"]


def test_question_ids_are_unique_and_numbered_by_notebook() -> None:
    """Ids are unique across the course and start with their notebook's number."""
    assert len(RAW_IDS) == len(set(RAW_IDS))
    assert all(q["id"].startswith(json.loads(DATA.joinpath(f).read_text())["notebook"][:2] + "-") for f, q in RAW)


def test_answers_are_spread_over_the_letters() -> None:
    """No letter is the right answer for more than half the questions."""
    answers = [q["answer"] for _, q in RAW]
    assert max(answers.count(letter) for letter in "ABCD") <= len(answers) / 2


def test_the_exams_are_the_four_the_course_serves() -> None:
    """quiz_exams.json lists DVA-C02, SOA-C03, SAA-C03 and SCS-C03."""
    assert KNOWN_EXAMS == set(quiz.exams())


def test_loader_refuses_three_options() -> None:
    """A question with only three options is refused, naming the question."""
    raw = json.loads(DATA.joinpath("quiz_03.json").read_text())["questions"][0]
    del raw["options"]["D"]
    with pytest.raises(SigninLabError, match="question 03-1: options must be exactly A, B, C, D"):
        quiz_data._question(raw, "test")


def test_loader_refuses_an_unknown_exam() -> None:
    """A question citing an exam outside quiz_exams.json is refused."""
    raw = json.loads(DATA.joinpath("quiz_03.json").read_text())["questions"][0]
    raw["exams"] = [{"code": "SOA-C02", "objective": "1"}]
    with pytest.raises(SigninLabError, match="exam 'SOA-C02' is not in quiz_exams.json"):
        quiz_data._question(raw, "test")


def test_loader_refuses_an_unknown_objective() -> None:
    """A question citing a task its exam does not list is refused."""
    raw = json.loads(DATA.joinpath("quiz_03.json").read_text())["questions"][0]
    raw["exams"] = [{"code": "DVA-C02", "objective": "9.9"}]
    with pytest.raises(SigninLabError, match="DVA-C02: no task or domain '9.9'"):
        quiz_data._question(raw, "test")


def test_unknown_notebook_is_refused() -> None:
    """Asking for a notebook without questions names the ones that have them."""
    with pytest.raises(SigninLabError, match="notebook='42': no exam practice; expected one of 00_overview"):
        quiz.load("42")


# -- the grader -------------------------------------------------------------------------------


def test_right_letter_is_right() -> None:
    """The stored answer grades as right."""
    q = quiz.load("03").question("03-1")
    assert "right" == q.grade(q.answer).status


def test_letters_are_read_in_any_case() -> None:
    """' b ' counts as B."""
    q = quiz.load("03").question("03-1")
    assert "right" == q.grade(f" {q.answer.lower()} ").status


def test_wrong_letter_is_wrong_and_explains_itself() -> None:
    """A wrong letter grades as wrong and its verdict carries that option's explanation."""
    q = quiz.load("03").question("03-1")
    wrong = next(o for o in q.options if o.letter != q.answer)
    verdict = q.grade(wrong.letter)
    assert ("wrong", True) == (verdict.status, wrong.why in str(verdict))


def test_unanswered_is_neither_right_nor_wrong() -> None:
    """None grades as unanswered."""
    assert "unanswered" == quiz.load("03").question("03-1").grade(None).status


def test_letter_outside_a_to_d_is_refused() -> None:
    """'E' raises SigninLabError naming the question."""
    with pytest.raises(SigninLabError, match="answer for 03-1: 'E' is not one of A, B, C, D"):
        quiz.load("03").question("03-1").grade("E")


def test_blank_sheet_grades_without_raising() -> None:
    """The stored, unanswered sheet gives one 'unanswered' verdict per question and a hint."""
    results = quiz.load("05").check(quiz.load("05").blank())
    assert (["unanswered"] * 3, True) == ([v.status for v in results], str(results).startswith("Not answered yet"))


def test_score_counts_right_answers() -> None:
    """Two right answers out of three give (2, 3)."""
    sheet = {q.id: q.answer for q in quiz.load("06")}
    sheet["06-3"] = next(o.letter for o in quiz.load("06").question("06-3").options if o.letter != sheet["06-3"])
    assert (2, 3) == quiz.load("06").check(sheet).score


def test_unknown_question_id_is_refused() -> None:
    """An answer for a question the notebook does not have raises, naming the id."""
    with pytest.raises(SigninLabError, match="03_cloudtrail: no question '05-1'"):
        quiz.load("03").check({"05-1": "A"})


# -- rendering --------------------------------------------------------------------------------


@pytest.mark.parametrize("number", COURSE)
def test_answers_are_folded_until_opened(number: str) -> None:
    """In the HTML, each question's right-answer explanation appears only inside its <details>."""
    for q in quiz.load(number):
        page = q._repr_html_()
        visible, folded = page.split("<details>", 1)
        assert (False, True) == ("Right:" in visible, "Right:" in folded)


def test_rendering_is_deterministic() -> None:
    """Two renders of the same quiz are byte-identical."""
    assert quiz.load("09")._repr_html_() == quiz.Quiz("09_beyond", quiz.load("09").questions)._repr_html_()


def test_code_spans_become_code_elements_and_html_is_escaped() -> None:
    """Backticks become <code>, and < > & in the data are escaped."""
    assert "<code>a &lt; b</code> &amp; c" == quiz_render.inline("`a < b` & c")


def test_wrong_verdict_folds_the_right_answer() -> None:
    """A wrong verdict shows why the choice is wrong and folds the right answer in <details>."""
    q = quiz.load("02").question("02-2")
    page = q.grade("A")._repr_html_()
    assert page.index("<details>") < page.index(q.option(q.answer).why[:30].replace("`", ""))


# -- the exam map -----------------------------------------------------------------------------


def test_exam_map_includes_the_eventbridge_notebook() -> None:
    """The exam map's 11_eventbridge row lists the SCS-C03 domains its questions cite."""
    cited = sorted({e.objective for q in quiz.load("11") for e in q.exams if e.code == "SCS-C03"})
    assert ", ".join(f"D{o}" for o in cited) == quiz.exam_map().frame().loc["11_eventbridge", "SCS-C03"]


def test_exam_map_has_a_row_per_notebook() -> None:
    """The map's rows are the notebooks with questions, in course order."""
    assert list(quiz.notebooks()) == list(quiz.exam_map().frame().index)


def test_exam_map_cells_come_from_the_questions() -> None:
    """The DVA-C02 cell of notebook 03 lists exactly the DVA-C02 tasks its questions cite."""
    cited = sorted({e.objective for q in quiz.load("03") for e in q.exams if e.code == "DVA-C02"})
    assert ", ".join(cited) == quiz.exam_map().frame().loc["03_cloudtrail", "DVA-C02"]


def test_exam_map_legend_spells_out_each_objective() -> None:
    """Every objective in the legend has its exam guide's name, e.g. SCS-C03 D1 is Detection."""
    legend = quiz.exam_map().legend()
    row = legend[(legend.exam == "SCS-C03") & (legend.objective == "D1")].iloc[0]
    assert "Detection" == row["name"]


# -- the notebooks ----------------------------------------------------------------------------


@pytest.mark.parametrize("number", COURSE)
def test_notebook_has_an_exam_practice_section(number: str) -> None:
    """An '## Exam practice' heading, a cell showing quiz.load(NN), and a check of every question."""
    nb = _notebook(number)
    sources = [c.source for c in nb.cells]
    assert any(s.startswith("## Exam practice") for s in sources)
    assert any(f'quiz.load("{number}")' in s for s in sources)
    check = next(s for s in sources if ".check(" in s and "answers" in s)
    assert set(quiz.load(number).ids) == set(re.findall(rf'"({number}-\d+)"', check))


@pytest.mark.parametrize("number", COURSE)
def test_exam_practice_is_stored_unanswered(number: str) -> None:
    """The stored answer sheet leaves every question at None."""
    check = next(c.source for c in _notebook(number).cells if ".check(" in c.source and "answers" in c.source)
    assert [] == re.findall(rf'"{number}-\d+":\s*"[A-Da-d]"', check)


@pytest.mark.parametrize("number", COURSE)
def test_notebook_ends_with_key_takeaways(number: str) -> None:
    """A '## Key takeaways' markdown cell is among the last two cells."""
    cells = _notebook(number).cells
    assert any(c.cell_type == "markdown" and c.source.startswith("## Key takeaways") for c in cells[-2:])


def test_course_recap_links_every_later_notebook() -> None:
    """Notebook 09's course recap ('Where to go next') links every notebook numbered after 09."""
    recap = next(c.source for c in _notebook("09").cells if c.source.startswith("## Key takeaways: the course"))
    later = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb") if p.name[:2] > "09")
    assert (True, []) == (bool(later), [name for name in later if f"]({name})" not in recap])


def test_overview_shows_the_exam_map() -> None:
    """Notebook 00 displays quiz.exam_map()."""
    assert any("quiz.exam_map()" in c.source for c in _notebook("00").cells if c.cell_type == "code")


# -- the exercises' solutions hold ------------------------------------------------------------

FEDERATED_SOLUTION = '{ $.eventName = "ConsoleLogin" && $.userIdentity.type = "AssumedRole" }'


def _federated_corpus() -> list[dict]:
    from signin_lab.events import samples

    return samples.aws_examples() + samples.quiet_month()


def _federated_matches(pattern: str) -> set[int]:
    from signin_lab.filterpattern import FilterPattern

    fp = FilterPattern(pattern)
    return {i for i, r in enumerate(_federated_corpus()) if fp.matches(json.dumps(r, separators=(",", ":")))}


def test_federated_solution_matches_exactly_the_role_sign_ins() -> None:
    """Notebook 05's solution matches every ConsoleLogin by AssumedRole in its corpus, and only those."""
    wanted = {i for i, r in enumerate(_federated_corpus())
              if r["eventName"] == "ConsoleLogin" and r["userIdentity"]["type"] == "AssumedRole"}
    assert (3, wanted) == (len(wanted), _federated_matches(FEDERATED_SOLUTION))


@pytest.mark.parametrize("near_miss", [
    '{ $.userIdentity.type = "AssumedRole" }',
    '{ $.eventSource = "signin.amazonaws.com" && $.userIdentity.type = "AssumedRole" }',
    '{ $.eventName = "ConsoleLogin" && $.userIdentity.type = "assumedrole" }',
])
def test_federated_near_misses_fail(near_miss: str) -> None:
    """Notebook 05's near misses match a different set than the solution."""
    assert _federated_matches(FEDERATED_SOLUTION) != _federated_matches(near_miss)


def test_blog_filters_match_no_federated_sign_in() -> None:
    """None of the blog's four filters, as deployed, matches a federated ConsoleLogin."""
    from signin_lab.config import LabConfig
    from signin_lab.filterpattern import FilterPattern

    patterns = [FilterPattern(a.pattern) for a in LabConfig().alerts]
    federated = [json.dumps(r) for r in _federated_corpus()
                 if r["eventName"] == "ConsoleLogin" and r["userIdentity"]["type"] == "AssumedRole"]
    assert [] == [m for m in federated if any(p.matches(m) for p in patterns)]


def test_single_region_trail_misses_41_of_44_sample_sign_ins(lab: Lab) -> None:
    """Notebook 03's solution: replayed through a single-Region trail in eu-west-1, 3 of 44 sign-ins arrive."""
    from datetime import UTC, datetime, timedelta

    from signin_lab.events import samples

    bob = datetime(2025, 3, 4, 8, 55, tzinfo=UTC)
    records = [*samples.blog_test_signins(), *samples.password_guessing(), *samples.root_at_night(),
               samples.console_login("success", "iam", bob, region="eu-west-1", user_name="bob", seed=21),
               samples.console_login("failure", "iam", bob + timedelta(days=1), region="eu-west-1",
                                     user_name="bob", seed=22),
               samples.console_login("success", "iam", bob + timedelta(days=1, minutes=1), region="eu-west-1",
                                     user_name="bob", seed=23)]
    lab.deploy(email="you@example.com", trail_multi_region=False)
    lab.replay(sorted(records, key=lambda r: r["eventTime"]))
    logs = lab.client("logs")
    arrived = [json.loads(e["message"])
               for page in logs.get_paginator("filter_log_events").paginate(logGroupName=lab.config.log_group_name)
               for e in page["events"]]
    signins = sum(r["eventName"] == "ConsoleLogin" for r in records)
    assert (44, 3) == (signins, sum(r["eventName"] == "ConsoleLogin" for r in arrived))


# -- notebook 11's answers hold in the kit's EventBridge emulation ----------------------------

SPELLINGS = ("AWS Console Sign In via CloudTrail", "AWS Console Signin via CloudTrail")


def _root_sign_in_event(detail_type: str) -> dict:
    from datetime import UTC, datetime

    from signin_lab import eventpattern
    from signin_lab.events.samples import console_login

    record = console_login("success", "root", datetime(2025, 3, 3, 9, 0, tzinfo=UTC))
    return eventpattern.envelope(record, detail_type=detail_type)


def _matches_by_spelling_11_1() -> dict[str, tuple[bool, ...]]:
    from signin_lab import eventpattern

    return {o.letter: tuple(eventpattern.test(json.loads(o.text.strip("`")), _root_sign_in_event(d)) for d in SPELLINGS)
            for o in quiz.load("11").question("11-1").options}


def test_11_1_spellings_are_the_kits() -> None:
    """The two detail-type spellings in 11-1 are the kit's event and guide spellings."""
    from signin_lab import eventpattern

    assert SPELLINGS == (eventpattern.CONSOLE_SIGNIN_DETAIL_TYPE, eventpattern.CONSOLE_SIGNIN_DETAIL_TYPE_GUIDE)


def test_11_1_answer_matches_a_root_sign_in_under_either_spelling() -> None:
    """11-1's right pattern matches a root sign-in whichever detail-type spelling the event carries."""
    letter = quiz.load("11").question("11-1").answer
    assert (True, True) == _matches_by_spelling_11_1()[letter]


def test_11_1_distractors_miss_or_depend_on_one_spelling() -> None:
    """11-1's wrong patterns: ignore-case matches only the guide's spelling; the other two match nothing."""
    matches = _matches_by_spelling_11_1()
    del matches[quiz.load("11").question("11-1").answer]
    assert {"A": (False, True), "B": (False, False), "D": (False, False)} == matches


def test_11_3_answer_paths_fill_the_sentence() -> None:
    """11-3's right answer: its three JSON paths, in an input template, give user, IP and MFA."""
    from datetime import UTC, datetime

    from signin_lab import eventpattern
    from signin_lab.events.samples import console_login

    q = quiz.load("11").question("11-3")
    paths = re.findall(r"\$\.[A-Za-z.]+", q.option(q.answer).text)
    record = console_login("success", "iam", datetime(2025, 3, 3, 9, 0, tzinfo=UTC), user_name="alice",
                           mfa=True, source_ip="198.51.100.7", region="us-east-1")
    text = eventpattern.transform(dict(zip(["user", "ip", "mfa"], paths, strict=True)),
                                  '"<user> signed in from <ip>; MFA used: <mfa>"', eventpattern.envelope(record))
    assert '"alice signed in from 198.51.100.7; MFA used: Yes"' == text
