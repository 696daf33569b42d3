"""Hostile payloads: text an attacker (or an unlucky copy and paste) can put in a digest, a
backup, a note or a file name. Each one targets a consumer: the terminal, Rich/Textual markup,
BibTeX, Markdown and HTML, spreadsheets, RIS, or our own storage.

Kept as data so that every channel (digest import, JSON restore, notes, file names) and every
export is tried on the same set.
"""

from __future__ import annotations

ESC, BEL, ST = "\x1b", "\x07", "\x1b\\"

TERMINAL = [
    f"{ESC}[31mred{ESC}[0m text",
    f"{ESC}[2J{ESC}[H cleared screen",
    f"{ESC}[?1049h alternate screen",
    f"{ESC}[6n cursor report",
    f"{ESC}[8m hidden {ESC}[28m",
    f"{ESC}[?25l cursor gone",
    f"{ESC}c full reset",
    f"{ESC}[21t title report",
    f"{ESC}[5i printer on",
    f"{ESC}[1;1H{ESC}[K overwritten",
    f"{ESC}]0;pwned title{BEL}",
    f"{ESC}]2;window title{ST}",
    f"{ESC}]8;;http://evil.example{BEL}innocent link{ESC}]8;;{BEL}",
    f"{ESC}]52;c;aGVsbG8={BEL} clipboard write",
    f"{ESC}]52;c;?{BEL} clipboard read",
    f"{ESC}]4;1;rgb:ff/00/00{BEL} palette",
    f"{ESC}]1337;File=inline=1:AAAA{BEL} image",
    f"{ESC}P+q544e{ST} DCS query",
    f"{ESC}_APC string{ST}",
    f"{ESC}^privacy message{ST}",
    f"{ESC}X start of string{ST}",
    "\x9b31m C1 CSI",
    "\x9d0;C1 OSC title\x9c",
    "\x90q C1 DCS\x9c",
    "\x85 next line \x8d reverse index",
    "\x9f C1 APC \x9c",
    "\x00 NUL byte",
    f"{BEL}{BEL} bells",
    "backspaced\x08\x08\x08xxx",
    "carriage\roverwrite",
    "vertical\x0btab and\x0cform feed",
    "\x7f delete \x1a sub \x18 cancel",
]

UNICODE_FORMAT = [
    "\u202eevil reversed\u202c",
    "\u2066isolated\u2069 \u2067rtl\u2069",
    "mark\u200f \u200e \u061c",
    "left\u202d override",
    "zero\u200bwidth\u200cnon\u200djoiner",
    "word\u2060joiner\ufeffbom",
    "soft\u00adhyphen mongolian\u180eseparator",
    "line\u2028separator paragraph\u2029separator",
    "deprecated\u206a\u206b\u206c\u206d\u206e\u206fformat",
    "tag\U000e0001\U000e0041\U000e0042\U000e007fcharacters",
    "musical\U0001d173\U0001d17abeams",
    "interlinear\ufff9anchor\ufffaseparator\ufffbterminator",
    "arabic\u0600number\u06ddsign",
    "shorthand\U0001bca0\U0001bca3format",
    "flag \U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f tag sequence",
    "family \U0001f468\u200d\U0001f469\u200d\U0001f467 emoji",
    "Ünïcødé 数学 🧪 naïve café",
]

MARKUP = [
    "[/]",
    "[@click=app.quit]quit[/]",
    "[bold red]loud[/bold red]",
    "[link=http://evil.example]x[/link]",
    "[/bold] closing first",
    "\\[escaped] bracket",
    "[$text-accent]variable[/]",
    ":smile: :thumbs_up: emoji codes",
    "[on red]background[/on red]",
    "[CLS] token [SEP]",
]

BIBTEX = [
    "{",
    "}",
    "{{{",
    "}}} closing",
    "\\{",
    "\\}",
    "{Unbalanced",
    "100% of it",
    "back\\slash \\",
    "@misc{injected, title={pwned}}",
    "@comment{ swallowed",
    "a # b concatenation",
    "$x_1^2$ math & ~tilde~",
    "title = {other}",
    "\\input{/etc/passwd}",
    '\\write18{rm -rf ~} "quoted"',
]

MARKDOWN_HTML = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "](javascript:alert(1))",
    "[click me](javascript:alert(1))",
    "<javascript:alert(1)>",
    "![img](http://evil.example/x.png)",
    "<!-- hidden comment -->",
    "&lt;script&gt; &#60;b&#62; &amp;",
    "# heading",
    "> quote",
    "- list item",
    "1986. ordered",
    "---",
    "```fence",
    "*emph* __strong__ `code` ~~strike~~",
    "<https://autolink.example>",
    "[ref]: http://evil.example",
]

CSV = [
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1 after tab",
    "\r=1+1 after return",
    '=HYPERLINK("http://evil.example","click")',
    '"quote, comma"\nnew row',
]

RIS = [
    "\nTY  - JOUR",
    "\nER  - ",
    "x\r\nER  - \r\nTY  - GEN",
    "AU  - Fake Author",
    "ER  - ",
]

SIZE = [
    "A" * 20_000,
    "word " * 4_000,
    "x" * 299 + "\x1b[0m",
]

# Bytes that are not UTF-8 reach Python as surrogate escapes (argv, file names, os.environ).
SURROGATES = [
    "caf\udce9 latin-1 byte",
    "\udcff\udcfe invalid bytes",
    "lone \ud800 surrogate",
]

PAYLOADS: list[str] = [
    *TERMINAL,
    *UNICODE_FORMAT,
    *MARKUP,
    *BIBTEX,
    *MARKDOWN_HTML,
    *CSV,
    *RIS,
    *SIZE,
    *SURROGATES,
]

# What a terminal acts on, or what deceives the reader: C0 and C1 controls (ESC, CSI, BEL,
# NUL...), format characters (bidi, zero-width, tags), separators and lone surrogates.
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def bibtex_depth_ok(value: str) -> bool:
    """Balanced as BibTeX counts braces: every one, escaped or not."""
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0
