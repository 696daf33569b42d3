"""Where the library lives on disk: atomic locked files, the corpus, the user state."""
