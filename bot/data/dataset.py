"""data/*.csv -> checks -> a new SQLite store, swapped in atomically: the names to import.

The work is done in bot.data.checks (one module per group of files), bot.data.build (the
build and the swap), bot.data.tables (writing the tables) and bot.data.store_file
(fingerprints; telling this bot's store from any other file); data/'s optional files are
named in bot.data.files. This module keeps the names the CLI, the benches and the tests
import as `dataset.<name>`.
"""

from __future__ import annotations

from bot.data.build import ABANDONED_AFTER_S, BuildResult, build
from bot.data.checks import DataError, Problem, Rows, check
from bot.data.store_file import (
    SCHEMA_VERSION,
    NotAStore,
    data_fingerprint,
    stored_fingerprint,
    stored_schema,
)

__all__ = [
    "ABANDONED_AFTER_S",
    "SCHEMA_VERSION",
    "BuildResult",
    "DataError",
    "NotAStore",
    "Problem",
    "Rows",
    "build",
    "check",
    "data_fingerprint",
    "stored_fingerprint",
    "stored_schema",
]
