"""Strip characters that can drive or deceive a terminal from untrusted paper text.

Everything that enters the library passes through here: digest lines, notes, restored JSON
exports and digest (file) names.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from urllib.parse import quote, urlsplit

# Every character of Unicode category Cc (C0, DEL, C1 - ESC, CSI U+009B and friends), Cf
# (bidi controls, zero-width and invisible characters, tag characters, the BOM) except tab and
# newline, generated from Python's Unicode 14 database. A test checks the list against the
# database of the running Python, so a newer Unicode that adds one fails loudly.
_UNSAFE = re.compile(
    "["
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 except tab and newline, DEL, C1
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f"  # zero-width space and joiners, LRM, RLM
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064\u2066-\u206f"  # word joiner, invisible operators, isolates, deprecated
    "\ufeff\ufff9-\ufffb"  # BOM, interlinear annotations
    "\U000110bd\U000110cd\U00013430-\U0001343f"  # 13439-1343F: Cf since Unicode 15
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"  # shorthand format, musical beams
    "\U000e0001\U000e0020-\U000e007f"  # language tag, tag characters
    "]"
)
# Line and paragraph separators (Zl, Zp) part words, so they become spaces, not nothing.
_SEPARATORS = re.compile("[\u2028\u2029]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_NOT_ESCAPED_BYTE = re.compile("[\ud800-\udc7f\udd00-\udfff]")
_SPACES = re.compile(r"\s+")  # every Unicode space (U+1680 and U+3000 too), as str.split sees them
UNNAMED = "unnamed"


def repair_surrogates(text: str) -> str:
    """Text with lone surrogates (bytes Python could not decode in a file name or argv) decoded
    again, invalid bytes becoming U+FFFD: such text cannot be written as UTF-8 at all."""
    # A surrogate that is not an escaped byte (U+D800, say) stands for nothing recoverable.
    text = _NOT_ESCAPED_BYTE.sub("\ufffd", text)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def strip_unsafe(text: str) -> str:
    """Remove control, format and bidi characters and repair surrogates; keep tab and newline."""
    # Every unsafe character is in a category str.isprintable() rejects (Cc, Cf, Cs, Zl, Zp),
    # and the C check is far cheaper than the regexes on the common, clean line.
    if text.isprintable():
        return text
    if _SURROGATES.search(text):
        text = repair_surrogates(text)
    return _SEPARATORS.sub(" ", _UNSAFE.sub("", text))


def clean_line(text: str) -> str:
    """A single-line field: unsafe characters removed, runs of spaces collapsed, trimmed."""
    if text.isprintable() and "  " not in text:
        return text.strip()  # printable means no tab, newline or exotic space either
    return _SPACES.sub(" ", strip_unsafe(text).replace("\n", " ")).strip()


def clean_note(text: str) -> str:
    """A user note keeps its line structure but loses anything that could drive a terminal."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return strip_unsafe(text).strip()


def clean_name(path: str) -> str:
    """The name a digest file is known by: its stem, cleaned, never empty.

    A hostile file name can carry terminal escapes; one that is not UTF-8 reaches us with
    surrogate-escaped bytes, which are decoded with replacement characters.
    """
    return clean_line(PurePath(path).stem) or UNNAMED


# Characters that break out of a Markdown autolink or an HTML attribute: a url holding one is
# refused rather than repaired, since its meaning is unclear (``http://x> <script>``).
_URL_BREAKOUT = re.compile(r"[\s\"<>`\\\x00-\x1f\x7f]")
_HOST = re.compile(r"^[A-Za-z0-9.\-\[\]:_~%!$&'()*+,;=@]+$")
WEB_SCHEMES = frozenset({"http", "https"})


def safe_url(url: str) -> str | None:
    """``url`` if it is an absolute http(s) url with a host that can be shown and linked as is
    (anything else outside RFC 3986 percent-encoded), else None: a ``javascript:`` url or one
    with markup in it is dropped."""
    if _URL_BREAKOUT.search(url) or _UNSAFE.search(url):
        return None
    encoded = quote(url, safe="!#$%&'()*+,-./:;=?@[]_~")
    parts = urlsplit(encoded)
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.netloc:
        return None
    return encoded if _HOST.match(parts.netloc) else None
