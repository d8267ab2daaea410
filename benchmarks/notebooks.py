"""Execute every course notebook and print each one's time and the total against the 2-minute budget.

Runs `signin_lab.docs.execute_notebook` on copies in a temporary folder (the stored notebooks are
left alone), on in-process moto, one fresh kernel per notebook, as `make notebooks` does.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from signin_lab.docs import NOTEBOOKS, course_notebooks, execute_notebook

#: The whole course must execute in under two minutes on a 2-core machine (issue 7).
BUDGET_SECONDS = 120.0


def main() -> int:
    notebooks = course_notebooks(NOTEBOOKS)
    with tempfile.TemporaryDirectory(prefix="signin-lab-bench-") as tmp:
        folder = Path(tmp) / "notebooks"
        folder.mkdir()
        # Notebooks read the sample archives as ../data/...: the copy keeps that layout.
        (Path(tmp) / "data").symlink_to(NOTEBOOKS.parent / "data", target_is_directory=True)
        for path in notebooks:
            shutil.copy2(path, folder / path.name)
        for data in NOTEBOOKS.iterdir():  # anything a notebook reads next to itself
            if data.is_file() and data.suffix != ".ipynb":
                shutil.copy2(data, folder / data.name)
        total = 0.0
        print(f"{'notebook':28} {'cells':>5} {'seconds':>8} {'share of budget':>16}")
        for path in notebooks:
            result = execute_notebook(folder / path.name)
            total += result.seconds
            print(f"{path.name:28} {result.cells:5d} {result.seconds:8.1f} {result.seconds / BUDGET_SECONDS:16.2f}")
    ratio = total / BUDGET_SECONDS
    print(f"{'total':28} {'':5} {total:8.1f} {ratio:16.2f}")
    print(
        f"course: {total:.1f} s for {len(notebooks)} notebooks; ratio to the {BUDGET_SECONDS:.0f} s budget: {ratio:.2f}"
        + (" (over budget)" if ratio > 1 else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
