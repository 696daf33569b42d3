"""The reader's TOML config: key overrides, theme, default sort, mark-read-on-open.

A missing file means defaults; a bad file means defaults plus one clear message, never a crash.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

SORTS = ("relevance", "digest order", "newest digest", "title", "most seen", "most upvoted")


@dataclass(frozen=True)
class Config:
    """Reader settings. ``keys`` maps binding ids (e.g. ``toggle_mark``) to key lists."""

    theme: str | None = None
    default_sort: str = "digest order"
    mark_read_on_open: bool = False
    keys: dict[str, str] = field(default_factory=dict)


def config_path() -> Path:
    """``$DIGESTREADER_CONFIG`` if set, else config.toml in the platform's config folder."""
    env = os.environ.get("DIGESTREADER_CONFIG")
    if env:
        return Path(env)
    return platformdirs.user_config_path("digestreader") / "config.toml"


def _check(data: dict[str, object]) -> Config:
    theme = data.get("theme")
    sort = data.get("default_sort", "digest order")
    on_open = data.get("mark_read_on_open", False)
    keys = data.get("keys", {})
    if theme is not None and not isinstance(theme, str):
        raise ValueError("'theme' must be a string")
    if sort not in SORTS:
        raise ValueError(f"'default_sort' must be one of: {', '.join(SORTS)}")
    if not isinstance(on_open, bool):
        raise ValueError("'mark_read_on_open' must be true or false")
    if not isinstance(keys, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in keys.items()
    ):
        raise ValueError('[keys] must map action names to key strings, e.g. toggle_mark = "m"')
    unknown = sorted(set(data) - {"theme", "default_sort", "mark_read_on_open", "keys"})
    if unknown:
        raise ValueError(f"unknown setting '{unknown[0]}'")
    return Config(theme, str(sort), on_open, dict(keys))


def load_config(path: Path | None = None) -> tuple[Config, str | None]:
    """The config and, if the file was bad, a one-line message saying why defaults are used."""
    path = path or config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return _check(data), None
    except FileNotFoundError:
        return Config(), None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError) as err:
        return Config(), f"{path}: {err}; using the defaults"
