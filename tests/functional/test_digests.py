"""Digests in the reader (issue 13): a picker, names shown as dates, the header says which."""

from __future__ import annotations

from textual.widgets import OptionList, Static

from digestreader.library import Library
from digestreader.reader.digests import digest_summaries
from digestreader.ui.app import DigestReaderApp
from digestreader.ui.screens.digests import DigestPicker
from tests.functional.conftest import active_screen, make_app, settle


def status_text(app: DigestReaderApp) -> str:
    return str(app.main_screen.query_one("#status", Static).render())


def test_summaries_count_papers_and_new_ones_and_label_by_date(seeded: Library) -> None:
    summaries = digest_summaries(seeded.catalog())
    # Oldest day first, as [ and ] step: an undated page keeps its import place.
    assert [s.name[:3] for s in summaries] == ["000", "003", "004", "001", "002"]
    assert [s.papers for s in summaries] == [217, 55, 248, 55, 54]
    # Every paper is new in exactly one digest: the first it was seen in.
    assert sum(s.new for s in summaries) == len(seeded.catalog().docs)
    dated = [s for s in summaries if s.date]
    assert dated
    assert all(s.label.startswith(s.date or "") and s.name not in s.label for s in dated)


async def test_d_picks_a_digest_and_the_header_names_it_at_80_columns(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "All digests" in status_text(app)[:40]
        await pilot.press("d")
        assert isinstance(app.screen, DigestPicker)
        options = app.screen.query_one(OptionList)
        texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert len(texts) == 6
        assert "All digests" in texts[0]
        apr = next(i for i, t in enumerate(texts) if "2026-04-29" in t)
        assert "55 papers" in texts[apr]
        assert "new" in texts[apr]
        apr_summary = next(s for s in digest_summaries(seeded.catalog()) if s.date == "2026-04-29")
        assert f"{apr_summary.papers - apr_summary.new} back" in " ".join(texts[apr].split())
        assert not any("001_d4bd1d9ec38d086b" in t for t in texts)
        options.highlighted = apr
        await pilot.press("enter")
        await settle(pilot)
        assert active_screen(app) is app.main_screen
        assert app.main_screen.spec.digest == "001_d4bd1d9ec38d086b"
        assert len(app.main_screen.paper_list.order) == 55
        assert "2026-04-29" in status_text(app)[:40]
        await pilot.press("slash", *"xqzzy")
        await settle(pilot)
        body = str(app.main_screen.query_one("#detail-body", Static).render())
        assert "2026-04-29" in body
        await pilot.press("escape", "d")
        await pilot.press("home", "enter")
        await settle(pilot)
        assert app.main_screen.spec.digest is None
        assert len(app.main_screen.paper_list.order) == 561
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.main_screen.spec.digest is not None


async def test_the_picker_fits_80_columns_with_its_borders_whole(seeded: Library) -> None:
    # The list sized itself to its widest row (an undated label: 30 columns), one column more
    # than the dialog had inside it at 80 columns: the list's right border was cut off.
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        screen = active_screen(app)
        assert isinstance(screen, DigestPicker)
        dialog = screen.query_one("#digest-dialog")
        options = screen.query_one(OptionList)
        assert dialog.region.x >= 0
        assert dialog.region.right <= 80
        assert options.region.right <= dialog.content_region.right, (
            options.region,
            dialog.content_region,
        )
        widest = max(
            len(str(options.get_option_at_index(i).prompt)) for i in range(options.option_count)
        )
        inside = options.content_region.width  # inside the list's border and padding
        assert widest <= inside, (widest, inside)  # each digest on one line
