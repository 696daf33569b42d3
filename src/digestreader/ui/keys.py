"""The reader's keys: every binding of the main screen, with the ids a config can rebind.

Each binding's ``description`` is its short footer label; its ``tooltip`` says what it does, for
help (?) and the command palette.
"""

from __future__ import annotations

from textual.binding import Binding

MAIN_BINDINGS = [
    # Priority, so the letters typed right after "/" are routed to the filter (see FilterBar).
    Binding("slash", "focus_filter", "Filter", id="focus_filter", priority=True,
            tooltip="Filter as you type (words, 'exact, ^start, !not, a | b, is:marked)"),
    Binding("b,space", "toggle_mark", "Mark", id="toggle_mark",
            tooltip="Mark or unmark the paper (bookmark)"),
    Binding("r", "toggle_read", "Read", id="toggle_read",
            tooltip="Mark the paper read or unread"),
    Binding("R", "mark_all_read", "All read", show=False, id="mark_all_read",
            tooltip="Mark every shown paper read (asks first)"),
    Binding("u", "undo", "Undo", show=False, id="undo",
            tooltip="Undo the last mark, read, mark-all-read or note edit"),
    Binding("n", "note", "Note", id="note", tooltip="Write or edit the paper's note"),
    Binding("z,enter", "toggle_detail", "Zoom", id="toggle_detail",
            tooltip="Give the detail pane the whole screen, or take it back"),
    Binding("J", "page_detail(1)", "Detail down", show=False, id="detail_page_down",
            tooltip="Page the detail pane down, from the list"),
    Binding("K", "page_detail(-1)", "Detail up", show=False, id="detail_page_up",
            tooltip="Page the detail pane up, from the list"),
    Binding("1", "scope('all')", "View all", show=False, id="view_all",
            tooltip="View all papers"),
    Binding("2", "scope('marked')", "View marked", show=False, id="view_marked",
            tooltip="View the marked papers"),
    Binding("3", "scope('unread')", "View unread", show=False, id="view_unread",
            tooltip="View the unread papers"),
    Binding("4", "scope('new')", "View new", show=False, id="view_new",
            tooltip="View the papers first seen in the newest digest"),
    Binding("O", "open_pdf", "Open PDF", show=False, id="open_pdf",
            tooltip="Open the paper's PDF in the web browser"),
    Binding("F", "app.fetch_today", "Fetch today", show=False, id="fetch_today",
            tooltip="Fetch today's Hugging Face daily papers"),
    Binding("s", "cycle_sort", "Sort", show=False, id="cycle_sort",
            tooltip="Next sort order (while filtering: of the matches)"),
    Binding("d", "pick_digest", "Digests", show=False, id="pick_digest",
            tooltip="Pick a digest to view (or all), with its papers and new ones"),
    Binding("right_square_bracket", "digest(1)", "Next digest", show=False, id="next_digest",
            tooltip="View the next digest"),
    Binding("left_square_bracket", "digest(-1)", "Prev digest", show=False, id="prev_digest",
            tooltip="View the previous digest"),
    Binding("i", "import", "Import", show=False, id="import",
            tooltip="Import a digest: a file, or a page pasted in"),
    Binding("o", "open", "Open", show=False, id="open",
            tooltip="Open the paper's page in the web browser"),
    Binding("y", "copy", "Copy", show=False, id="copy",
            tooltip="Copy the paper's title and link"),
    Binding("Y", "copy_bibtex", "Copy BibTeX", show=False, id="copy_bibtex",
            tooltip="Copy the paper's BibTeX entry"),
    Binding("e", "export", "Export", id="export",
            tooltip="Export marked, shown or all papers to a file"),
]  # fmt: skip
# The actions whose keys the footer shows first, so they fit at 80 columns: how to filter,
# get help and quit (the rest follow in binding order, as many as fit). Undo, sort and digests
# are left to help and the palette, so that every key shown fits whole at 80 columns (68 of
# them beside the palette's "^p palette"; Textual cut the next key mid-word).
FOOTER_FIRST = ("focus_filter", "help", "quit")
# The list's own keys, shown by help (the list binds them without descriptions).
NAVIGATION_KEYS = [
    ("j / down", "next paper"),
    ("k / up", "previous paper"),
    ("g / G", "first / last paper"),
    ("pgup / pgdn", "page up / down"),
    ("tab / shift+tab", "next / previous pane: list, detail, filter"),
    ("space / shift+space", "in the detail: page down / up (in the list: mark)"),
    ("enter", "from the filter: go to the list"),
    ("escape", "in the filter: clear it and go to the list"),
]
# Bindings of the list and the detail that NAVIGATION_KEYS already describes.
NAVIGATION_ACTIONS = (
    "cursor",
    "first",
    "last",
    "page_down",
    "page_up",
    "scroll",
    "focus_next",
    "focus_previous",
)
