"""Telling this bot's store file apart from any other, and whether it matches data/."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

SCHEMA_VERSION = "4"
SQLITE_HEADER = b"SQLite format 3\x00"


class NotAStore(OSError):
    """The store path holds something that is not this bot's store: it is never replaced."""


def data_fingerprint(data_dir: Path) -> str:
    """A hash of every data file's bytes, so the store can tell when data/ changed."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for name in sorted(p.name for p in data_dir.glob("*.csv")):
        digest.update(name.encode())
        digest.update((data_dir / name).read_bytes())
    return digest.hexdigest()


def stored_fingerprint(store_path: Path) -> str | None:
    """The fingerprint of the data/ a store was built from, or None (absent, damaged)."""
    if not store_path.is_file():
        return None
    try:
        db = sqlite3.connect(store_path)
        try:
            row = db.execute("select value from meta where key = 'fingerprint'").fetchone()
        finally:
            db.close()
    except Exception:  # a damaged or foreign file: treat as absent and rebuild
        return None
    return row[0] if row else None


def stored_schema(store_path: Path) -> str | None:
    """The schema version a store of this bot records, or None for any other file."""
    try:
        with store_path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return None
        db = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
        try:
            row = db.execute("select value from meta where key = 'schema_version'").fetchone()
        finally:
            db.close()
    except Exception:  # unreadable, damaged or foreign
        return None
    return str(row[0]) if row else None


def check_store_path(store_path: Path) -> None:
    """Refuse a store path that holds anything but this bot's store (or nothing).

    `--store notes.txt` must never replace notes.txt with a database.
    """
    if not os.path.lexists(store_path):
        return
    if store_path.is_symlink() or not store_path.is_file():
        raise NotAStore(f"{store_path} is not a file this bot made; choose another --store")
    if store_path.stat().st_size and stored_schema(store_path) is None:  # empty: nothing lost
        raise NotAStore(
            f"{store_path} is not a helpline-bot store, so it is left as it is: "
            "choose another --store (or remove the file if it is a damaged store)"
        )
