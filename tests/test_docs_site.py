"""The course book: built from the stored notebooks with warnings as errors, read in real Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from signin_lab import docs as course
from signin_lab.cli import main
from signin_lab.docs import Page, build_site, convert_boxes, myst_admonition, notebook_title
from signin_lab.errors import SigninLabError

CHROMIUM = os.environ.get("SIGNIN_LAB_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
INSTALL_HINT = (
    "the docs-site test needs Chromium from your system's packages: "
    "`sudo apt-get install chromium` (Debian/Ubuntu), or set SIGNIN_LAB_CHROMIUM to its path"
)
#: Where the chapter screenshot goes (build/ is gitignored), for the closing note of a change.
SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"


def _charts(page: Page) -> int:
    """How many image outputs (charts) the page's notebook stores."""
    import nbformat

    nb = nbformat.read(page.notebook, as_version=4)
    return sum(
        1 for cell in nb.cells for out in cell.get("outputs", []) if "image/png" in out.get("data", {})
    )


def _unavailable(reason: str) -> None:
    """Skip on a user's machine; fail in CI, which sets SIGNIN_LAB_REQUIRE_BROWSER=1."""
    if os.environ.get("SIGNIN_LAB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (SIGNIN_LAB_REQUIRE_BROWSER=1 makes this a failure)")
    pytest.skip(reason)


class _Links(HTMLParser):
    """Every href/src of a page, and every id it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Page]]:
    """The book built (warnings as errors) into a temporary folder from the stored notebooks."""
    out = tmp_path_factory.mktemp("site")
    return out, build_site(out)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless system Chromium driven by Playwright (no browser download)."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        _unavailable(f"no Chromium at {CHROMIUM}: {INSTALL_HINT}")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed: pip install -e '.[dev]'")
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except PlaywrightError as exc:  # a broken install: say so in one line
            _unavailable(f"Chromium at {CHROMIUM} did not start ({str(exc).splitlines()[0]}): {INSTALL_HINT}")
        yield chromium
        chromium.close()


def _open(browser: object, url: str) -> tuple[object, list[str]]:
    """A new page at `url` (loaded), and the console errors, page errors and failed requests seen."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return page, problems


# -- the build --------------------------------------------------------------------------------

def test_site_has_a_page_per_notebook(site: tuple[Path, list[Page]]) -> None:
    """build_site writes one HTML page per course notebook, the landing page and the search page."""
    out, pages = site
    assert {p.filename for p in pages} | {"index.html", "search.html", "searchindex.js"} <= {
        f.name for f in out.iterdir()}


def test_pages_are_the_course_in_order(site: tuple[Path, list[Page]]) -> None:
    """The pages are the course notebooks, in reading order, whatever notebooks/ holds."""
    assert [p.notebook for p in site[1]] == course.course_notebooks()


def test_every_internal_link_and_image_resolves(site: tuple[Path, list[Page]]) -> None:
    """Every relative href/src of every page (not the theme's templates) names a file of the site,
    and its #anchor exists there."""
    out, _ = site
    pages = [path.resolve() for path in out.rglob("*.html") if "_static" not in path.relative_to(out).parts]
    parsed = {path: _parse(path) for path in pages}
    broken = []
    for path, page in parsed.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.exists():
                broken.append(f"{path.name}: {link}")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.name}: {link} (no such anchor)")
    assert [] == broken


def test_pages_need_no_network(site: tuple[Path, list[Page]]) -> None:
    """No page loads a script, stylesheet or image from the network (the book works offline)."""
    out, _ = site
    offending = []
    for path in out.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for needle in ('<script src="http', 'rel="stylesheet" href="http', '<img src="http'):
            if needle in html:
                offending.append(f"{path.name}: {needle}")
    assert [] == offending


def test_a_warning_fails_the_build(tmp_path: Path) -> None:
    """A Sphinx warning (here a link to a missing document) fails the build with one line naming it."""
    docs = _tiny_book(tmp_path, index_extra="See {doc}`no-such-chapter`.\n")
    with pytest.raises(SigninLabError, match="the book did not build: .*no-such-chapter"):
        build_site(tmp_path / "site", folder=tmp_path / "notebooks", docs=docs)


def test_missing_configuration_is_one_line(tmp_path: Path) -> None:
    """A docs folder without conf.py is refused, naming the file."""
    with pytest.raises(SigninLabError, match=r"conf\.py does not exist"):
        build_site(tmp_path / "site", docs=tmp_path)


def test_landing_page_has_the_exam_map_and_chapters(site: tuple[Path, list[Page]]) -> None:
    """The landing page's text links every chapter twice in course order: the exam map, the list."""
    out, pages = site
    html = (out / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    parser = _Links()
    parser.feed(article)
    chapters = [p.filename for p in pages]
    assert chapters * 2 == [link for link in parser.links if link in chapters]


def test_landing_page_shows_the_architecture_diagram(site: tuple[Path, list[Page]]) -> None:
    """The landing page shows the architecture diagram drawn from the configuration (a real PNG)."""
    out, _ = site
    html = (out / "index.html").read_text(encoding="utf-8")
    png = out / "_images" / "architecture.png"
    assert ('src="_images/architecture.png"' in html, b"\x89PNG") == (True, png.read_bytes()[:4])


def test_exam_domains_read_both_box_styles() -> None:
    """exam_domains reads the exam guide reference of a MyST admonition and of an old blockquote box."""
    from nbformat.v4 import new_markdown_cell, new_notebook

    nb = new_notebook(cells=[
        new_markdown_cell(":::{admonition} Exam tip (DVA-C02 Domain 2: Security, task 2.1)\n:class: tip\n\n- a\n:::"),
        new_markdown_cell("> **Exam tip** (DVA-C02 Domain 1: Development, task 1.1)\n>\n> - b"),
    ])
    assert ["DVA-C02 Domain 2: Security, task 2.1", "DVA-C02 Domain 1: Development, task 1.1"] == (
        course.exam_domains(nb))


# -- the boxes --------------------------------------------------------------------------------

def test_blockquote_exam_tip_becomes_an_admonition() -> None:
    """A '> **Exam tip** (...)' blockquote becomes a colon-fenced MyST admonition of class tip."""
    source = "> **Exam tip** (DVA-C02 Domain 4)\n>\n> - one\n>   two\n> - three"
    assert ":::{admonition} Exam tip (DVA-C02 Domain 4)\n:class: tip\n\n- one\n  two\n- three\n:::" == (
        myst_admonition(source))


def test_text_after_the_box_is_kept() -> None:
    """Markdown after the box (e.g. the next heading) stays, after the closing fence."""
    source = "> **Warning** take care\n\n## Exercise"
    assert ":::{admonition} Warning\n:class: warning\n\ntake care\n:::\n\n## Exercise" == (
        myst_admonition(source))


def test_other_markdown_is_unchanged() -> None:
    """A cell that does not start with a box, or already is an admonition, is returned as it is."""
    for source in ("## Heading\n\n> **Exam tip** (x)", ":::{admonition} Exam tip (x)\n:class: tip\n\n- a\n:::"):
        assert source == myst_admonition(source)


def test_convert_boxes_changes_only_box_cells(tmp_path: Path) -> None:
    """convert_boxes rewrites only the box cells and returns their ids; a second run changes nothing."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    path = tmp_path / "nb.ipynb"
    nb = new_notebook(cells=[new_markdown_cell("# T", id="t-0"), new_code_cell("1", id="t-1"),
                             new_markdown_cell("> **Exam tip** (x)\n>\n> - a", id="t-2")])
    nbformat.write(nb, path)
    assert (["t-2"], []) == (convert_boxes(path), convert_boxes(path))
    assert ["# T", "1"] == [c.source for c in nbformat.read(path, as_version=4).cells[:2]]


def test_no_notebook_keeps_a_blockquote_box() -> None:
    """Every course notebook writes its Exam tip and warning boxes as MyST admonitions."""
    import nbformat

    left = [
        f"{path.name} {cell.get('id')}"
        for path in course.course_notebooks()
        for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "markdown" and myst_admonition(cell.source) != cell.source
    ]
    assert [] == left


# -- in Chromium --------------------------------------------------------------------------------

@pytest.mark.browser
def test_landing_chapter_and_search_load_without_console_errors(site: tuple[Path, list[Page]],
                                                               browser: object) -> None:
    """The landing page, a chapter and the search page load with no console error or failed request."""
    out, _ = site
    problems = {}
    for name in ("index.html", "06_alarms.html", "search.html?q=alarm"):
        page, seen = _open(browser, (out / "index.html").as_uri().replace("index.html", name))
        page.close()  # type: ignore[attr-defined]
        problems[name] = seen
    assert {"index.html": [], "06_alarms.html": [], "search.html?q=alarm": []} == problems


@pytest.mark.browser
def test_sidebar_links_every_chapter_in_order(site: tuple[Path, list[Page]], browser: object) -> None:
    """Every chapter's sidebar lists every chapter, in course order, under its notebook's title."""
    out, pages = site
    wrong = []
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        for p in pages:
            page.goto((out / p.filename).as_uri())
            entries = page.eval_on_selector_all(
                ".bd-sidebar-primary nav.bd-links li.toctree-l1 > a",
                "els => els.map(e => e.textContent.trim())")
            chapters = [title for title in entries if title in {q.title for q in pages}]
            if chapters != [q.title for q in pages]:
                wrong.append(f"{p.filename}: {chapters}")
    finally:
        page.close()
    assert [] == wrong


@pytest.mark.browser
def test_search_for_treatmissingdata_lands_on_the_alarms_chapter(site: tuple[Path, list[Page]],
                                                                 browser: object) -> None:
    """Searching the book (from file://) for TreatMissingData lists the alarms chapter first."""
    out, _ = site
    page, problems = _open(browser, (out / "search.html").as_uri() + "?q=TreatMissingData")
    try:
        page.wait_for_selector("#search-results li a", timeout=15000)  # type: ignore[attr-defined]
        first = page.eval_on_selector_all(  # type: ignore[attr-defined]
            "#search-results li a", "els => els.map(e => e.getAttribute('href'))")[0]
        page.click("#search-results li a")  # type: ignore[attr-defined]
        page.wait_for_load_state("load")  # type: ignore[attr-defined]
        landed = page.url.split("?")[0].split("#")[0].rsplit("/", 1)[-1]  # type: ignore[attr-defined]
        found = "TreatMissingData" in page.inner_text("article")  # type: ignore[attr-defined]
    finally:
        page.close()  # type: ignore[attr-defined]
    assert ("06_alarms.html", "06_alarms.html", True, []) == (
        first.split("#")[0].split("?")[0], landed, found, problems)


@pytest.mark.browser
def test_every_chapter_renders_with_its_charts(site: tuple[Path, list[Page]], browser: object) -> None:
    """Each chapter shows its title, every chart decoded, no error output, and the local launch hint."""
    out, pages = site
    problems: list[str] = []
    page = browser.new_page()  # type: ignore[attr-defined]
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    try:
        for p in pages:
            page_errors.clear()
            page.goto((out / p.filename).as_uri(), wait_until="load")
            if page.locator("h1").first.text_content().strip().rstrip("#¶").strip() != p.title:
                problems.append(f"{p.filename}: first heading is not the title")
            images = page.eval_on_selector_all("article img", "els => els.map(e => [e.complete, e.naturalWidth])")
            broken = [i for i, (complete, width) in enumerate(images) if not complete or width == 0]
            if broken:
                problems.append(f"{p.filename}: images {broken} of {len(images)} did not load")
            if len(images) < _charts(p):
                problems.append(f"{p.filename}: {len(images)} images shown, the notebook has {_charts(p)} charts")
            if page.locator(".output.traceback, .output.stderr").count():
                problems.append(f"{p.filename}: error or stderr output")
            if "Traceback (most recent call last)" in page.inner_text("article"):
                problems.append(f"{p.filename}: a traceback is shown")
            if f"notebooks/{p.notebook.name}" not in page.inner_text(".signin-lab-launch"):
                problems.append(f"{p.filename}: no launch hint")
            if page_errors:
                problems.append(f"{p.filename}: JavaScript errors {page_errors}")
    finally:
        page.close()
    assert [] == problems


@pytest.mark.browser
def test_exam_tips_are_admonitions(site: tuple[Path, list[Page]], browser: object) -> None:
    """Each chapter shows its Exam tip as a tip admonition titled 'Exam tip (...)'."""
    out, pages = site
    titles = {}
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        for p in pages:
            page.goto((out / p.filename).as_uri())
            titles[p.filename] = page.eval_on_selector_all(
                ".admonition.tip > .admonition-title", "els => els.map(e => e.textContent.trim())")
    finally:
        page.close()
    assert [] == [name for name, found in titles.items() if not any(t.startswith("Exam tip (") for t in found)]


@pytest.mark.browser
def test_answers_are_folded(site: tuple[Path, list[Page]], browser: object) -> None:
    """Every <details> (solutions, exam answers) is shown closed: only its summary line is visible."""
    out, pages = site
    shown: dict[str, list[bool]] = {}
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        for p in pages:
            page.goto((out / p.filename).as_uri())
            shown[p.filename] = page.eval_on_selector_all(
                "article details",
                "els => els.map(e => !e.open && e.innerText.trim() === e.querySelector('summary').innerText.trim())")
    finally:
        page.close()
    assert sum(len(v) for v in shown.values()) > 0
    assert {name: [True] * len(v) for name, v in shown.items()} == shown


@pytest.mark.browser
def test_chapter_has_copy_buttons_outline_and_next(site: tuple[Path, list[Page]], browser: object) -> None:
    """A chapter has a copy button per code cell, an outline of its sections and a link to the next one."""
    out, pages = site
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    try:
        page.goto((out / pages[6].filename).as_uri(), wait_until="load")
        page.wait_for_selector("button.copybtn", state="attached")
        found = (
            page.locator(".cell_input button.copybtn").count() >= page.locator(".cell_input").count() > 0,
            page.locator("#pst-page-navigation-heading-2, .bd-toc nav a").count() > 0,
            page.eval_on_selector(".prev-next-area a.right-next", "e => e.getAttribute('href')"),
        )
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / pages[6].filename.replace(".html", ".png")))
    finally:
        page.close()
    assert (True, True, pages[7].filename) == found
    assert (SCREENSHOTS / pages[6].filename.replace(".html", ".png")).stat().st_size > 10_000


@pytest.mark.browser
def test_reference_documents_the_api_and_every_command(site: tuple[Path, list[Page]], browser: object) -> None:
    """The reference has Lab, LabConfig and SigninLabError from docstrings, and every CLI command."""
    from signin_lab.cli import app

    out, _ = site
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.goto((out / "reference" / "api.html").as_uri())
        api = {name: page.locator(f"[id='{name}']").count() for name in (
            "signin_lab.lab.Lab", "signin_lab.config.LabConfig", "signin_lab.errors.SigninLabError")}
        page.goto((out / "reference" / "cli.html").as_uri())
        text = page.inner_text("article")
    finally:
        page.close()
    assert {"signin_lab.lab.Lab": 1, "signin_lab.config.LabConfig": 1, "signin_lab.errors.SigninLabError": 1} == api
    assert [] == [name for name in app.commands if f"signin-lab {name}" not in text]


def test_missing_browser_skips_on_a_users_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without SIGNIN_LAB_REQUIRE_BROWSER, a missing Chromium skips the test with the install hint."""
    monkeypatch.delenv("SIGNIN_LAB_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        _unavailable(f"no Chromium: {INSTALL_HINT}")


def test_missing_browser_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """With SIGNIN_LAB_REQUIRE_BROWSER=1 (CI), a missing Chromium is a failure, not a skip."""
    monkeypatch.setenv("SIGNIN_LAB_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="SIGNIN_LAB_REQUIRE_BROWSER=1"):
        _unavailable(f"no Chromium: {INSTALL_HINT}")


# -- the command --------------------------------------------------------------------------------

def _tiny_book(tmp_path: Path, index_extra: str = "") -> Path:
    """A one-chapter book: the real conf.py and stylesheet, a short landing page, one notebook."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy2(course.DOCS / "conf.py", docs / "conf.py")
    shutil.copytree(course.DOCS / "_static", docs / "_static")
    (docs / "index.md").write_text(
        "# Tiny book\n\n" + index_extra
        + "\n```{include} _generated/chapters.md\n```\n\n```{toctree}\n:hidden:\n:glob:\n\n[0-9]*\n```\n",
        encoding="utf-8")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    # Stored output 42 for a cell that would fail if it ran: the page must show what is stored.
    cell = new_code_cell("1 / 0", execution_count=1,
                         outputs=[new_output("execute_result", {"text/plain": "42"}, execution_count=1)])
    metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                "language_info": {"name": "python"}}
    nbformat.write(new_notebook(cells=[new_markdown_cell("# 00 · Tiny\n\nOne cell."), cell], metadata=metadata),
                   notebooks / "00_tiny.ipynb")
    return docs


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in-process and return (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def test_docs_command_rejects_an_unknown_notebook(capsys: pytest.CaptureFixture[str]) -> None:
    """`signin-lab docs execute NAME` with no such notebook prints one line and exits 2."""
    code, _, err = run(["docs", "execute", "99_no_such_notebook"], capsys)
    assert (2, 1) == (code, len(err.strip().splitlines()))
    assert "99_no_such_notebook" in err


def test_docs_command_rejects_an_unknown_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown docs subcommand is a usage error (exit 2) naming it."""
    code, _, err = run(["docs", "publish"], capsys)
    assert 2 == code
    assert "Usage:" in err and "publish" in err


def test_docs_build_reports_the_pages_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """`signin-lab docs build OUTDIR` builds the book there and prints one line with the count and time."""
    docs = _tiny_book(tmp_path)
    monkeypatch.setattr(course, "DOCS", docs)
    monkeypatch.setattr(course, "NOTEBOOKS", tmp_path / "notebooks")
    code, out, _ = run(["docs", "build", str(tmp_path / "site")], capsys)
    assert 0 == code
    assert out.startswith(f"1 page(s) and index.html written to {tmp_path / 'site'}/ in ")
    assert {"index.html", "00_tiny.html", "search.html"} <= {p.name for p in (tmp_path / "site").iterdir()}


def test_docs_build_executes_nothing(tmp_path: Path) -> None:
    """The book shows each cell's stored output; a cell that would fail if run (1 / 0) shows its 42."""
    docs = _tiny_book(tmp_path)
    build_site(tmp_path / "site", folder=tmp_path / "notebooks", docs=docs)
    page = (tmp_path / "site" / "00_tiny.html").read_text(encoding="utf-8")
    assert (True, False) == (">42</pre>" in page.replace("\n", ""), "ZeroDivisionError" in page)


def test_docs_execute_without_names_selects_the_course() -> None:
    """With no names, the notebooks to execute are the whole course in reading order."""
    from signin_lab.docs import course_notebooks, select_notebooks

    assert course_notebooks() == select_notebooks()


def test_title_cell_must_have_a_heading() -> None:
    """A notebook whose first cell has no '# Title' is refused with the notebook's name."""
    from nbformat.v4 import new_markdown_cell, new_notebook

    with pytest.raises(SigninLabError, match="bad.ipynb: the first cell has no '# Title'"):
        notebook_title(new_notebook(cells=[new_markdown_cell("no heading here")]), "bad.ipynb")


def test_docs_build_into_an_unwritable_folder_is_one_line(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """docs build OUTDIR where no folder can be made (under a file) is one line naming it, exit 2."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, _, err = run(["docs", "build", str(blocker / "site")], capsys)
    assert (2, 1) == (code, len(err.strip().splitlines()))
    assert err.startswith("signin-lab: error: OUTDIR: ") and str(blocker / "site") in err


def test_docs_execute_runs_a_notebook_and_reports_it(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """`signin-lab docs execute PATH` runs the notebook in place and reports it on stderr."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    path = tmp_path / "tiny.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("6 * 7")],
                                metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                         "language": "python"}}), path)
    code, out, err = run(["docs", "execute", str(path)], capsys)
    assert (0, "") == (code, out)
    assert "[1/1] tiny.ipynb: 1 cells in" in err and "1 notebook(s) executed in" in err
    assert "42" == nbformat.read(path, as_version=4).cells[0].outputs[0]["data"]["text/plain"]
