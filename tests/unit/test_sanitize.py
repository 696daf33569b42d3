"""The sanitizer's fast path (clean, printable lines) must answer exactly as the full regexes."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from digestreader import sanitize

TRICKY = "\x1b]52;c;aGk=\x07\u202e\u200b\u00ad\ufeff\t\n\r\u00a0\u3000  é[CLS]"


def reference_clean_line(text: str) -> str:
    without = sanitize._UNSAFE.sub("", text).replace("\n", " ")
    return sanitize._SPACES.sub(" ", without).strip()


@given(st.text(alphabet=st.sampled_from(TRICKY + "ab .") | st.characters()))
@example("  two  spaces ")
@example("plain title")
@example("\u202eevil\u202c")
def test_clean_line_fast_path_matches_the_regexes(text: str) -> None:
    assert sanitize.clean_line(text) == reference_clean_line(text)
    assert sanitize.strip_unsafe(text) == sanitize._UNSAFE.sub("", text)


def test_terminal_controls_are_gone() -> None:
    cleaned = sanitize.clean_line("A\x1b[31mred\x1b[0m \u202etitle\u200b  here")
    assert cleaned == "A[31mred[0m title here"
