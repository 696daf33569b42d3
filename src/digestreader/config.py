"""The reader's TOML config: key overrides, theme, default sort, mark-read-on-open.

A missing file means defaults. A bad value means the default for that one setting plus a
one-line problem; every problem is reported (the reader shows them in one notification), never
a crash. A TOML syntax error means defaults for everything.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import platformdirs

SORTS = ("relevance", "digest order", "newest digest", "title", "most seen", "most upvoted")
SETTINGS = ("theme", "default_sort", "mark_read_on_open", "keys")


@dataclass(frozen=True)
class Config:
    """Reader settings. ``keys`` maps binding ids (e.g. ``toggle_mark``) to key lists.

    ``problems`` are one line each, for the settings that fell back to their defaults;
    ``mtime`` is the modification time of the file at ``path`` (the newer of config and
    session sets the theme).
    """

    theme: str | None = None
    default_sort: str = "digest order"
    mark_read_on_open: bool = False
    keys: dict[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    mtime: float | None = None
    path: Path | None = None


@dataclass(frozen=True)
class KeySpace:
    """The reader's keys as the config check sees them, handed in by the UI (this module knows
    no Textual): ``defaults`` maps each rebindable binding id to its default keys ("b,space"),
    ``fixed`` maps keys no config can rebind (the list's own) to what they do."""

    defaults: Mapping[str, str] = field(default_factory=dict)
    fixed: Mapping[str, str] = field(default_factory=dict)


def config_path() -> Path:
    """``$DIGESTREADER_CONFIG`` if set, else config.toml in the platform's config folder."""
    env = os.environ.get("DIGESTREADER_CONFIG")
    if env:
        return Path(env)
    return platformdirs.user_config_path("digestreader") / "config.toml"


def _split(keys: str) -> list[str]:
    return [key.strip() for key in keys.split(",") if key.strip()]


def _key_list(value: object) -> str | None:
    """A key list as Textual's keymap takes it ("b,space"), from a string or a TOML array."""
    if isinstance(value, str):
        return ",".join(_split(value))
    if isinstance(value, list) and all(isinstance(k, str) for k in value):
        return ",".join(key for k in value for key in _split(k))
    return None


def _collisions(keys: dict[str, str], space: KeySpace) -> dict[str, str]:
    """For each overridden binding sharing a key with another binding: why."""
    bound = {**space.defaults, **keys}
    owners: dict[str, list[str]] = {
        key: [f"the list's {what}"] for key, what in space.fixed.items()
    }
    for binding, key_list in bound.items():
        for key in _split(key_list):
            owners.setdefault(key, []).append(binding)
    found: dict[str, str] = {}
    for binding, key_list in keys.items():
        for key in _split(key_list):
            others = [o for o in owners[key] if o != binding]
            if others and binding not in found:
                found[binding] = f"'{key}' is also {', '.join(others)}"
    return found


def check_keys(table: Mapping[str, object], space: KeySpace) -> tuple[dict[str, str], list[str]]:
    """The ``[keys]`` overrides that are usable, and a problem for each one that is not: an
    unknown binding id, no keys, or a key another binding has (which would hide one of them)."""
    keys: dict[str, str] = {}
    problems: list[str] = []
    known = ", ".join(sorted(space.defaults))
    for binding, value in table.items():
        key_list = _key_list(value)
        if space.defaults and binding not in space.defaults:
            problems.append(f"[keys] unknown binding '{binding}' (known: {known})")
        elif key_list is None:
            problems.append(f'[keys] {binding} must be a key string, e.g. {binding} = "m"')
        elif not key_list:
            default = space.defaults.get(binding, "")
            problems.append(f"[keys] {binding} has no keys; keeping '{default}'")
        else:
            keys[binding] = key_list
    # Dropping one override can expose another's collision (a swap of two keys with one half
    # bad): check again until nothing changes.
    while collisions := _collisions(keys, space):
        for binding, why in collisions.items():
            default = space.defaults.get(binding, "")
            problems.append(f"[keys] {binding} = '{keys.pop(binding)}': {why}; keeping '{default}'")
    return keys, problems


def _check(data: Mapping[str, Any], space: KeySpace) -> Config:
    problems: list[str] = []
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        problems.append("'theme' must be a string")
        theme = None
    sort = data.get("default_sort", "digest order")
    if sort not in SORTS:
        problems.append(f"'default_sort' = {sort!r} must be one of: {', '.join(SORTS)}")
        sort = "digest order"
    on_open = data.get("mark_read_on_open", False)
    if not isinstance(on_open, bool):
        problems.append("'mark_read_on_open' must be true or false")
        on_open = False
    table = data.get("keys", {})
    keys: dict[str, str] = {}
    if isinstance(table, dict):
        keys, key_problems = check_keys(table, space)
        problems += key_problems
    else:
        problems.append('[keys] must map binding ids to key strings, e.g. toggle_mark = "m"')
    problems += [f"unknown setting '{name}'" for name in data if name not in SETTINGS]
    return Config(theme, str(sort), on_open, keys, tuple(problems))


def load_config(path: Path | None = None, key_space: KeySpace | None = None) -> Config:
    """The config, with a one-line problem for each setting that fell back to its default;
    ``key_space`` is what key overrides are checked against."""
    path = path or config_path()
    try:
        mtime = path.stat().st_mtime
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        return Config(problems=(f"{err}; using the defaults for everything",), path=path)
    return replace(_check(data, key_space or KeySpace()), mtime=mtime, path=path)


def problems_notice(config: Config, more: Sequence[str] = ()) -> str:
    """One notification listing every config problem (and ``more`` found by the reader, such
    as an unknown theme), one per line under a heading naming the file."""
    where = config.path or config_path()
    return "\n".join([f"{where}: defaults kept for these settings:", *config.problems, *more])


def pick_theme(config: Config, session: Mapping[str, Any]) -> str | None:
    """The theme to start with: of the config file and the saved session, the one changed last.

    The session records when its theme was last picked (``theme_at``, see
    StateStore.save_session); a config object not read from a file never beats a saved theme.
    """
    saved = session.get("theme")
    if not config.theme or not saved:
        return config.theme or saved
    picked_at = session.get("theme_at", session.get("saved_at"))
    if config.mtime is None:
        return str(saved)
    if not isinstance(picked_at, int | float) or config.mtime > picked_at:
        return config.theme
    return str(saved)
