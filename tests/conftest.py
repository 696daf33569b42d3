"""Shared fixtures: the real sample digests and libraries in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digestreader.ingest.sources import parse_sources
from digestreader.library import Library
from tests.slow.procs import FIGURES_DIR

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SAMPLES = sorted(ASSETS.glob("*.txt"))


@pytest.fixture
def samples() -> list[Path]:
    """The five real sample digests shipped in assets/."""
    return SAMPLES


@pytest.fixture
def library(tmp_path: Path) -> Library:
    """An empty library on real TinyDB files in tmp_path."""
    return Library(tmp_path / "lib")


@pytest.fixture
def sample_library(library: Library) -> Library:
    """A library with the five sample digests imported."""
    library.import_digests(parse_sources([str(p) for p in SAMPLES]))
    return library


# The slow suite's measured figures (tests/slow), printed at the end of the run for the README;
# here, not in tests/slow/conftest.py, as the xdist controller never loads that one.
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
