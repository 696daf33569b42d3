"""The reader without Textual: what is shown, in what order, and the user's actions."""
