"""Where the data, the templates and the built store live."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # bot/, above bot/domain/
_REPO_ROOT = _PACKAGE.parent
_BUNDLED = _PACKAGE / "_bundled"


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def data_dir() -> Path:
    """data/ of the checkout (editable install) or the copy bundled in the wheel."""
    if env := os.environ.get("HELPLINE_DATA_DIR"):
        return Path(env)
    return _first_existing(_REPO_ROOT / "data", _BUNDLED / "data")


def responses_dir() -> Path:
    return _first_existing(_REPO_ROOT / "responses", _BUNDLED / "responses")


def default_store_path() -> Path:
    """A cache file outside the checkout, so a read-only install still works."""
    if env := os.environ.get("HELPLINE_STORE"):
        return Path(env)
    cache_home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache_home) / "helpline-bot" / "helpline.db"
