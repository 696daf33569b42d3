"""Everything Textual. Nothing outside this package imports it."""
