"""digestreader: a keyboard-first terminal reader for research-paper digests."""

__version__ = "0.1.0"
