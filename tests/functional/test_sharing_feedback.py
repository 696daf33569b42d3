"""o and y say what they did; mark_read_on_open waits until a paper has been read a moment."""

from __future__ import annotations

import webbrowser

import pytest

from digestreader.config import Config
from digestreader.library import Library
from tests.functional.conftest import make_app, settle


def messages(app: object) -> list[str]:
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


@pytest.mark.parametrize("works", [True, False])
async def test_o_says_whether_the_browser_opened(
    seeded: Library, monkeypatch: pytest.MonkeyPatch, works: bool
) -> None:
    opened: list[str] = []

    def fake_open(url: str, *args: object, **kwargs: object) -> bool:
        opened.append(url)
        return works

    monkeypatch.setattr(webbrowser, "open", fake_open)
    monkeypatch.setattr(webbrowser, "get", lambda *a: object())
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.pause(0.1)
        assert opened
        assert opened[0].startswith("https://arxiv.org/search/")
        if works:
            assert any("Opened" in m and opened[0] in m for m in messages(app))
        else:
            assert "Could not open a browser; the link is copied" in messages(app)
            assert app.clipboard == opened[0]


async def test_y_says_what_it_copied(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        title = app.model.papers[0].title
        assert any("Copied" in m and title in m for m in messages(app))


async def test_mark_read_on_open_waits_for_the_paper_to_stay_shown(seeded: Library) -> None:
    app = make_app(seeded, Config(mark_read_on_open=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j")
        await pilot.pause(0.3)
        assert not any(app.model.user.state(i).read for i in range(4))
        await pilot.pause(1.6)
        assert app.model.user.state(3).read
        assert not any(app.model.user.state(i).read for i in range(3))
    assert seeded.states()[app.model.papers[3].id].read
