"""Unknown filters (is:foo, has:x) are an error, in the CLI and in the reader's filter bar."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color

from digestreader.cli.main import main
from digestreader.library import Library
from digestreader.search import parse_query
from digestreader.ui.widgets.filter_bar import FilterBar
from tests.functional.conftest import make_app, settle


def _near(color: Color, other: Color) -> bool:
    """The same colour but for rounding (the theme's variables pass through blending)."""
    return all(abs(a - b) <= 2 for a, b in zip(color.rgb, other.rgb, strict=True))


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
        assert "is:new" in str(bar.border_subtitle)  # every filter the hint lists is known
        error = Color.parse(app.current_theme.error or "red")
        assert _near(bar.styles.border_top[1], error)  # focused: the border turns red
        await pilot.press("enter")  # to the list, the bar keeps its text and its red border
        await settle(pilot)
        assert _near(bar.styles.border_top[1], error)
        await pilot.press("slash")
        await pilot.press("end")
        await pilot.press("backspace", "backspace", "backspace")
        await pilot.press(*"marked")
        await settle(pilot)
        assert not bar.has_class("-error")
        assert not _near(bar.styles.border_top[1], error)
