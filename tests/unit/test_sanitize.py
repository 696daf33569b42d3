"""The sanitizer's fast path (clean, printable lines) must answer exactly as the full regexes."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from digestreader import sanitize
from digestreader.ingest.parser import parse_text
from digestreader.library import Library
from digestreader.models import Digest, paper_id

TRICKY = "\x1b]52;c;aGk=\x07\u202e\u200b\u00ad\ufeff\t\n\r\u00a0\u3000  é[CLS]"


def reference_strip(text: str) -> str:
    repaired = sanitize.repair_surrogates(text)
    return sanitize._SEPARATORS.sub(" ", sanitize._UNSAFE.sub("", repaired))


def reference_clean_line(text: str) -> str:
    without = reference_strip(text).replace("\n", " ")
    return sanitize._SPACES.sub(" ", without).strip()


@given(st.text(alphabet=st.sampled_from(TRICKY + "ab .") | st.characters()))
@example("  two  spaces ")
@example("plain title")
@example("\u202eevil\u202c")
def test_clean_line_fast_path_matches_the_regexes(text: str) -> None:
    assert sanitize.clean_line(text) == reference_clean_line(text)
    assert sanitize.strip_unsafe(text) == reference_strip(text)


def test_terminal_controls_are_gone() -> None:
    cleaned = sanitize.clean_line("A\x1b[31mred\x1b[0m \u202etitle\u200b  here")
    assert cleaned == "A[31mred[0m title here"


UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def unicode_chars(unsafe: bool) -> str:
    """Every code point of the running Unicode database that is (or is not) a control,
    format or line/paragraph separator character; tab and newline count as safe."""
    chars = (chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    return "".join(
        c
        for c in chars
        if (unicodedata.category(c) in UNSAFE_CATEGORIES and c not in "\t\n") == unsafe
    )


def survivors(text: str) -> set[str]:
    return {f"U+{ord(c):04X}" for c in text if unicodedata.category(c) in UNSAFE_CATEGORIES} - {
        "U+0009",
        "U+000A",
    }


def test_every_control_format_and_separator_character_is_stripped() -> None:
    unsafe = unicode_chars(unsafe=True)
    for clean in (sanitize.strip_unsafe, sanitize.clean_line, sanitize.clean_note):
        assert survivors(clean("x".join(unsafe))) == set()
    # The ones a hands-on attack found surviving an import, named so a regression reads plainly.
    named = "\u2028\u2029\u206a\u206f\U000e0001\U000e0041\U000e007f\U0001d173\U0001d17a\x9b\x1b"
    assert sanitize.clean_line(f"a{named}b") == "a b"


# Egyptian hieroglyph format controls that Unicode 15 added as Cf: stripped ahead of time.
FUTURE_FORMAT = {chr(c) for c in range(0x13439, 0x13440)}


def test_nothing_else_is_stripped() -> None:
    safe = "".join(c for c in unicode_chars(unsafe=False) if c not in FUTURE_FORMAT)
    assert sanitize.strip_unsafe(safe) == safe


def test_separators_become_spaces_so_words_stay_apart() -> None:
    assert sanitize.clean_line("line\u2028separated\u2029words") == "line separated words"


def test_surrogate_escaped_bytes_become_replacement_characters() -> None:
    # What Python makes of bytes that are not UTF-8 in a file name or argv.
    cleaned = sanitize.clean_line("caf\udce9 \ud800x")
    assert cleaned == "caf\ufffd \ufffdx"
    cleaned.encode("utf-8")
    assert sanitize.clean_note("caf\udcc3\udca9") == "café"  # escaped bytes that are UTF-8


def test_parsed_titles_and_saved_notes_lose_them_too(tmp_path: Path) -> None:
    digest = parse_text("Tag\U000e0041ged\u2028Title\nAn ab\u206astract.\n", "x.txt")
    assert [(e.title, e.abstract) for e in digest.entries] == [("Tagged Title", "An abstract.")]
    library = Library(tmp_path / "lib")
    library.import_digests([("x", digest)])
    pid = library.set_note(digest_pid(digest), "keep\nlines\u2029\U0001d173 but not these")
    assert library.get(pid).state.note == "keep\nlines  but not these"


def digest_pid(digest: Digest) -> str:
    return paper_id(digest.entries[0].title)


def test_every_unicode_space_collapses_in_a_line() -> None:
    # U+1680 (Ogham space mark) once survived: the space class listed only some separators.
    assert sanitize.clean_line("a\u1680b\u3000\u00a0c\u2007 d") == "a b c d"
