"""The reader over papers from the daily papers JSON: authors and upvotes in the rows and the
detail, every appearance with its date, position and upvotes, o and O, the new scope, [ and ]
by date, and F fetching today from a real HTTP server through the real client."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from textual.widgets import Static

from digestreader.ingest.days import today
from digestreader.ingest.service import ingest_digests
from digestreader.ingest.sources import load_inputs
from digestreader.library import Library
from digestreader.reader.listing import Scope
from digestreader.ui.app import DigestReaderApp
from digestreader.ui.widgets.paper_list import PaperList
from tests.functional.conftest import make_app, settle, wait_for
from tests.hf_data import DAY_15, DAY_16, dump, items

ILLUSION = "The Illusion of Diminishing Returns: Measuring Long Horizon Execution in LLMs"
SINKHORN = "Accelerating Sinkhorn Algorithm with Sparse Newton Iterations"


@pytest.fixture
def days(tmp_path: Path) -> Library:
    library = Library(tmp_path / "hf-lib")
    ingest_digests(library, list(load_inputs([str(DAY_16), str(DAY_15)]).stream()))
    return library


def detail(app: DigestReaderApp) -> str:
    return str(app.main_screen.query_one("#detail-body", Static).render())


def row(app: DigestReaderApp, y: int) -> str:
    return app.main_screen.query_one(PaperList).render_line(y).text


def go_to(app: DigestReaderApp, title: str) -> None:
    paper_list = app.main_screen.query_one(PaperList)
    paper_list.cursor = [app.model.titles[int(i)] for i in paper_list.order].index(title)


async def test_rows_and_detail_show_authors_upvotes_and_every_appearance(days: Library) -> None:
    app = make_app(days)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert row(app, 0).rstrip().endswith("Sinha et al. ▲88 2026-04-16")
        go_to(app, SINKHORN)
        await settle(pilot)
        await pilot.pause(0.2)
        text = detail(app)
        assert "Xun Tang, Michael Shavlovsky, Holakou Rahmanian" in text
        assert "2026-04-15  #1  ▲31" in text  # digests named by their dates
        assert "2026-04-16  #3  ▲45" in text
        assert "https://huggingface.co/papers/2604.15011" in text
        assert "O: https://arxiv.org/pdf/2604.15011" in text


async def test_o_opens_the_paper_page_and_shift_o_the_pdf(
    days: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(days)
    opened: list[str] = []

    def fake_open(url: str, *_: object, **__: object) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(webbrowser, "get", lambda *_: object())
    monkeypatch.setattr(webbrowser, "open", fake_open)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("O")
        await settle(pilot)
        assert opened == [
            "https://huggingface.co/papers/2604.16044",
            "https://arxiv.org/pdf/2604.16044",
        ]


async def test_shift_o_without_an_arxiv_id_says_so(
    seeded: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(seeded)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("O")
        await pilot.pause()
        assert opened == []
        assert any("no arXiv id" in str(n.message) for n in app._notifications)


async def test_new_scope_and_digests_by_date(days: Library) -> None:
    app = make_app(days)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        screen = app.main_screen
        assert screen.spec.scope is Scope.NEW
        shown = {app.model.titles[int(i)] for i in screen.query_one(PaperList).order}
        assert len(shown) == 3
        assert ILLUSION in shown
        assert SINKHORN not in shown
        await pilot.press("1", "right_square_bracket")
        await settle(pilot)
        assert screen.spec.digest == "hf-2026-04-15"  # imported second, dated first
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.spec.digest == "hf-2026-04-16"


async def test_f_fetches_today_and_the_new_papers_appear(
    days: Library, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", httpserver.url_for("").rstrip("/"))
    monkeypatch.setenv("DIGESTREADER_FETCH_TIMEOUT", "5")
    day = today().isoformat()
    fresh = items(DAY_15)[:1]
    fresh[0]["paper"]["id"] = "2611.00042"
    fresh[0]["paper"]["title"] = fresh[0]["title"] = "A Paper Posted Today"
    fresh[0]["paper"]["upvotes"] = 5
    fresh[0]["publishedAt"] = f"{day}T01:00:00.000Z"
    httpserver.expect_request(
        "/api/daily_papers", query_string={"date": day, "limit": "100"}
    ).respond_with_data(dump(fresh), content_type="application/json")
    app = make_app(days)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = app.main_screen
        await pilot.press("F")
        await wait_for(pilot, lambda: "A Paper Posted Today" in app.model.titles, seconds=6.0)
        await settle(pilot)
        # The screen on show takes the new model: no second main screen holding the old one.
        assert app.screen_stack == [before]
        assert app.main_screen is before
        assert "A Paper Posted Today" in app.model.titles
        assert app.model.digest_names[-1] == f"hf-{day}"
        await pilot.press("4")
        await settle(pilot)
        order = app.main_screen.query_one(PaperList).order
        assert [app.model.titles[int(i)] for i in order] == ["A Paper Posted Today"]
        messages = [str(n.message) for n in app._notifications]
        assert f"Fetched {day}: 1 entry: 1 new paper, 0 repeat sightings" in "\n".join(messages)
    assert days.get("2611.00042").paper.upvotes == 5


async def test_a_failed_fetch_is_a_notification(
    days: Library, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", httpserver.url_for("").rstrip("/"))
    httpserver.expect_request("/api/daily_papers").respond_with_data("oops", status=500)
    app = make_app(days)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = app.main_screen
        await pilot.press("F")
        await wait_for(
            pilot,
            lambda: any("Fetch failed" in str(n.message) for n in app._notifications),
            seconds=6.0,
        )
        messages = [str(n.message) for n in app._notifications]
        assert any("HTTP 500 Internal Server Error" in m for m in messages), messages
        assert app.main_screen is before
