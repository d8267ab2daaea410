"""The documentation site: built from the executed notebooks, every page renders in real Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from signin_lab.cli import main
from signin_lab.docs import Page, build_site, notebook_title
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


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Page]]:
    """The site built into a temporary folder from the stored notebooks."""
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


def test_site_has_a_page_per_notebook(site: tuple[Path, list[Page]]) -> None:
    """build_site writes one HTML page per course notebook plus index.html."""
    out, pages = site
    assert sorted([p.filename for p in pages] + ["index.html"]) == sorted(f.name for f in out.glob("*.html"))


def test_pages_need_no_network(site: tuple[Path, list[Page]]) -> None:
    """No page loads a script or stylesheet from the network (the site works offline)."""
    out, pages = site
    offending = [
        p.filename for p in pages
        if '<script src="http' in (out / p.filename).read_text(encoding="utf-8")
        or '<link rel="stylesheet" href="http' in (out / p.filename).read_text(encoding="utf-8")
    ]
    assert [] == offending


@pytest.mark.browser
def test_index_links_every_page_in_order(site: tuple[Path, list[Page]], browser: object) -> None:
    """The index lists every page, in reading order, under its notebook's title."""
    out, pages = site
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.goto((out / "index.html").as_uri())
        links = page.eval_on_selector_all("ol a", "els => els.map(e => [e.getAttribute('href'), e.textContent])")
    finally:
        page.close()
    assert [[p.filename, p.title] for p in pages] == links


@pytest.mark.browser
def test_every_page_renders_with_its_charts(site: tuple[Path, list[Page]], browser: object) -> None:
    """Each page loads with its title, every image decoded, and no error output or traceback."""
    out, pages = site
    problems: list[str] = []
    page = browser.new_page()  # type: ignore[attr-defined]
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    try:
        for p in pages:
            page_errors.clear()
            page.goto((out / p.filename).as_uri(), wait_until="load")
            if page.title() != p.title:
                problems.append(f"{p.filename}: title {page.title()!r}, expected {p.title!r}")
            if page.locator("h1").first.text_content().strip().rstrip("¶") != p.title:
                problems.append(f"{p.filename}: first heading is not the title")
            images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
            broken = [i for i, (complete, width) in enumerate(images) if not complete or width == 0]
            if broken:
                problems.append(f"{p.filename}: images {broken} of {len(images)} did not load")
            if len(images) < _charts(p):
                problems.append(f"{p.filename}: {len(images)} images shown, the notebook has {_charts(p)} charts")
            if page.locator(".output_error, .jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']").count():
                problems.append(f"{p.filename}: error or stderr output")
            if "Traceback (most recent call last)" in page.inner_text("body"):
                problems.append(f"{p.filename}: a traceback is shown")
            if page_errors:
                problems.append(f"{p.filename}: JavaScript errors {page_errors}")
    finally:
        page.close()
    assert [] == problems


@pytest.mark.browser
def test_pages_with_charts_show_them(site: tuple[Path, list[Page]], browser: object) -> None:
    """The overview's pipeline diagram and the CloudTrail Region chart are on their pages."""
    out, _ = site
    page = browser.new_page()  # type: ignore[attr-defined]
    counts = {}
    try:
        for name in ("00_overview.html", "03_cloudtrail.html"):
            page.goto((out / name).as_uri())
            counts[name] = page.eval_on_selector_all("img", "els => els.filter(e => e.naturalWidth > 0).length")
    finally:
        page.close()
    assert all(n >= 1 for n in counts.values()), counts


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


def test_docs_build_reports_the_pages_written(site: tuple[Path, list[Page]], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """`signin-lab docs build OUTDIR` writes the site there and prints one line with the count."""
    code, out, _ = run(["docs", "build", str(tmp_path / "site")], capsys)
    assert 0 == code
    assert f"{len(site[1])} page(s) and index.html written to {tmp_path / 'site'}/" in out
    assert sorted(p.name for p in site[0].iterdir()) == sorted(
        p.name for p in (tmp_path / "site").iterdir())


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
