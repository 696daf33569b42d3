"""The slow suite's measured figures, printed at the end of the run (for the README)."""

from __future__ import annotations

import json

import pytest

from tests.slow.procs import FIGURES_DIR


def pytest_sessionstart(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # the controller, once
        for old in FIGURES_DIR.glob("*.json"):
            old.unlink()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    files = sorted(FIGURES_DIR.glob("*.json"))
    if files:
        terminalreporter.section("reliability figures")
        for path in files:
            terminalreporter.write_line(f"{path.stem}: {json.loads(path.read_text())}")
