"""Strip characters that can drive or deceive a terminal from untrusted paper text."""

from __future__ import annotations

import re

# C0 except tab and newline, DEL, C1; bidi embeddings/overrides/isolates and marks;
# zero-width and invisible formatting characters; the BOM; soft hyphen; interlinear annotations.
_UNSAFE = re.compile(
    "["
    "\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u200b-\u200f"  # zero-width space/joiners, LRM, RLM
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u2066-\u2069"  # bidi isolates
    "\u061c"  # Arabic letter mark
    "\u00ad"  # soft hyphen
    "\u180e"  # Mongolian vowel separator
    "\ufeff"  # BOM / zero-width no-break space
    "\ufff9-\ufffb"  # interlinear annotation
    "]"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def strip_unsafe(text: str) -> str:
    """Remove control, bidi and invisible characters; keep tab and newline."""
    # Every unsafe character is in a category str.isprintable() rejects (Cc, Cf), and the C
    # check is far cheaper than the regex on the common, clean line.
    return text if text.isprintable() else _UNSAFE.sub("", text)


def clean_line(text: str) -> str:
    """A single-line field: unsafe characters removed, runs of spaces collapsed, trimmed."""
    if text.isprintable() and "  " not in text:
        return text.strip()  # printable means no tab, newline or exotic space either
    return _SPACES.sub(" ", strip_unsafe(text).replace("\n", " ")).strip()


def clean_note(text: str) -> str:
    """A user note keeps its line structure but loses anything that could drive a terminal."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return strip_unsafe(text).strip()
