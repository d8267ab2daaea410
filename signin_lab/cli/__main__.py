"""`python -m signin_lab.cli`: the same as the `signin-lab` command."""

from __future__ import annotations

from signin_lab.cli import main

main()
