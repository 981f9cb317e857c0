"""Build the SQLite store from data/: check, write a new file beside the old, swap it in."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bot.data.checks import check
from bot.data.store_file import SQLITE_HEADER, check_store_path, data_fingerprint

ABANDONED_AFTER_S = 3600  # a half-built store this old was left by a build that died
_BUILDING = re.compile(r"^\.building-[A-Za-z0-9_]{8}\.db$")  # tempfile's names for a build


@dataclass(frozen=True)
class BuildResult:
    path: Path
    counts: dict[str, int]


def build(data_dir: Path, store_path: Path) -> BuildResult:
    """Check data/, write a new SQLite file beside store_path, then swap it in.

    The file in use is replaced only after a complete, successful build, so a bad
    edit to data/ never damages the store the bot is answering from.
    """
    check_store_path(store_path)
    rows = check(data_dir)
    fingerprint = data_fingerprint(data_dir)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    _forget_abandoned_builds(store_path.parent)
    handle, temp_name = tempfile.mkstemp(prefix=".building-", suffix=".db", dir=store_path.parent)
    os.close(handle)
    temp_path = Path(temp_name)
    try:
        # Imported here: sqlite-utils loads numpy, ~14 MB the running bot never needs.
        import sqlite_utils

        from bot.data.tables import write_tables

        db = sqlite_utils.Database(temp_path)
        with db.conn:
            write_tables(db, rows, fingerprint)
        counts = {name: db.table(name).count for name in db.table_names()}
        db.close()
        os.replace(temp_path, store_path)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise
    return BuildResult(store_path, counts)


def _forget_abandoned_builds(folder: Path) -> None:
    """Remove half-built stores left by a build that was killed (a timeout, a crash).

    Only old ones: a build running now in another process keeps its file.
    """
    cutoff = time.time() - ABANDONED_AFTER_S
    for leftover in folder.glob(".building-*.db"):
        with contextlib.suppress(OSError):  # gone already, or not ours to remove
            if not _BUILDING.match(leftover.name) or leftover.is_symlink():
                continue
            info = leftover.stat()
            if info.st_mtime < cutoff and info.st_uid == os.getuid() and _half_built(leftover):
                leftover.unlink()


def _half_built(path: Path) -> bool:
    """Empty, or an SQLite file: what a build leaves behind (never anything else)."""
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_HEADER))
    return head in (b"", SQLITE_HEADER)
