"""Sphinx configuration of the course book: MyST-NB on the stored notebooks, the Jupyter Book look.

`signin-lab docs build` (signin_lab.docs.build_site) copies this folder and the course notebooks
into one source folder and runs Sphinx on it with warnings as errors; nothing is executed.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes

project = "signin-lab"
author = "signin-lab"
copyright = "signin-lab contributors"

extensions = [
    "myst_nb",  # notebooks and MyST markdown (includes myst_parser)
    "sphinx.ext.autodoc",  # the reference section, from the package's docstrings
    "sphinx_click",  # the command line's help, from signin_lab.cli:app
    "sphinx_copybutton",  # a copy button on every code cell
]

root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints", "_generated"]
templates_path: list[str] = []

# -- notebooks: the stored outputs are the truth (nbval checks them); never execute here ------
nb_execution_mode = "off"
nb_output_stderr = "show"
# Course chapters link to each other as NN_topic.ipynb; MyST resolves those to the pages.
myst_enable_extensions = ["colon_fence", "deflist", "html_image"]
myst_heading_anchors = 3
# The text as the notebooks write it: no typographic quotes in titles, prose or inline code.
smartquotes = False
suppress_warnings = [
    # matplotlib's PNGs have no declared size; MyST-NB warns about nothing else we want to silence
    "mystnb.unknown_mime_type",
]

# -- the reference section --------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True}
# Docstrings write `name` for code, as in the notebooks' markdown.
default_role = "code"

# -- the look ---------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "signin-lab: the course"
html_static_path = ["_static"]
html_css_files = ["signin-lab.css"]
html_show_sourcelink = False
html_copy_source = False
html_theme_options: dict[str, Any] = {
    "show_toc_level": 2,  # the right-hand outline of the page's sections
    "home_page_in_toc": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "navigation_with_keys": False,
    "show_navbar_depth": 1,
}
# The theme starts in "auto" (follows the reader's system); unset, it logs a console error on a
# reader's first visit (an empty mode in localStorage).
html_context = {"default_mode": "auto"}
# Search results without summaries: a summary is fetched from the result's page, which browsers
# refuse from file:// (CORS), so the book's search must work from the index alone.
html_show_search_summary = False
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_exclude = ".linenos, .gp, .go"

_CHAPTER = re.compile(r"^\d\d_[a-z0-9_]+$")


def _launch_hint(app: Any, doctree: nodes.document) -> None:
    """Put a 'run this chapter locally' note under each chapter's title (the book's launch hint)."""
    docname = app.env.docname
    if not _CHAPTER.match(docname):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    note = nodes.admonition(classes=["note", "signin-lab-launch"])
    note += nodes.title(text="Run this chapter yourself")
    para = nodes.paragraph()
    para += nodes.literal(text="make lab")
    para += nodes.Text(", then open ")
    para += nodes.literal(text=f"notebooks/{docname}.ipynb")
    para += nodes.Text(" in JupyterLab (offline, on in-process moto; ")
    para += nodes.literal(text="export SIGNIN_LAB_TARGET=http://HOST:5000")
    para += nodes.Text(" first for a classroom server).")
    note += para
    title = next((i for i, child in enumerate(section.children) if isinstance(child, nodes.title)), 0)
    section.insert(title + 1, note)


def setup(app: Any) -> dict[str, Any]:
    """Register the launch hint."""
    app.connect("doctree-read", _launch_hint)
    return {"parallel_read_safe": True}
