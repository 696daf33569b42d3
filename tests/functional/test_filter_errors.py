"""Unknown filters (is:foo, has:x) are an error, in the CLI and in the reader's filter bar."""

from __future__ import annotations

from pathlib import Path

import pytest

from digestreader.cli.main import main
from digestreader.library import Library
from digestreader.search import parse_query
from digestreader.ui.widgets.filter_bar import FilterBar
from tests.functional.conftest import make_app, settle


def test_unknown_filters_are_errors_and_known_ones_and_prefixes_are_not() -> None:
    assert parse_query("diffusion is:foo").errors == ("unknown filter 'is:foo'",)
    assert parse_query("has:pdf").errors == ("unknown filter 'has:pdf'",)
    assert parse_query("is:marked has:note !is:read").errors == ()
    assert parse_query("is:").errors == ()  # still being typed
    assert parse_query("is:mar").errors == ()


def test_cli_list_with_an_unknown_filter_exits_1_with_one_line(
    tmp_path: Path, samples: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lib = str(tmp_path / "lib")
    assert main(["--library", lib, "import", *map(str, samples)]) == 0
    capsys.readouterr()
    assert main(["--library", lib, "list", "--query", "is:foo"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip().count("\n") == 0
    assert "unknown filter 'is:foo'" in err


async def test_the_filter_bar_shows_an_unknown_filter(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"is:foo")
        await settle(pilot)
        bar = app.main_screen.query_one(FilterBar)
        assert bar.has_class("-error")
        assert "unknown filter 'is:foo'" in str(bar.border_subtitle)
        await pilot.press("backspace", "backspace", "backspace")
        await pilot.press(*"marked")
        await settle(pilot)
        assert not bar.has_class("-error")
