"""The reader's keys: every binding of the main screen, with the ids a config can rebind."""

from __future__ import annotations

from textual.binding import Binding

MAIN_BINDINGS = [
    # Priority, so the letters typed right after "/" are routed to the filter (see FilterBar).
    Binding("slash", "focus_filter", "Filter", id="focus_filter", priority=True),
    Binding("b,space", "toggle_mark", "Mark", id="toggle_mark"),
    Binding("r", "toggle_read", "Read", id="toggle_read"),
    Binding("R", "mark_all_read", "All read", show=False, id="mark_all_read"),
    Binding("n", "note", "Note", id="note"),
    Binding("1", "scope('all')", "All", show=False, id="view_all"),
    Binding("2", "scope('marked')", "Marked", show=False, id="view_marked"),
    Binding("3", "scope('unread')", "Unread", show=False, id="view_unread"),
    Binding("4", "scope('new')", "New", show=False, id="view_new"),
    Binding("s", "cycle_sort", "Sort", id="cycle_sort"),
    Binding("right_square_bracket", "digest(1)", "Next digest", show=False, id="next_digest"),
    Binding("left_square_bracket", "digest(-1)", "Prev digest", show=False, id="prev_digest"),
    Binding("o", "open", "Open", show=False, id="open"),
    Binding("O", "open_pdf", "Open PDF", show=False, id="open_pdf"),
    Binding("F", "app.fetch_today", "Fetch today", show=False, id="fetch_today"),
    Binding("y", "copy", "Copy", show=False, id="copy"),
    Binding("Y", "copy_bibtex", "Copy BibTeX", show=False, id="copy_bibtex"),
    Binding("e", "export", "Export", id="export"),
]
# The list's own keys, shown by help (the list binds them without descriptions).
NAVIGATION_KEYS = [
    ("j / down", "next paper"),
    ("k / up", "previous paper"),
    ("g / G", "first / last paper"),
    ("pgup / pgdn", "page up / down"),
    ("enter", "from the filter: go to the list"),
    ("escape", "clear the filter, or leave it"),
]
