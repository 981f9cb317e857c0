"""data/*.csv -> checks -> a new SQLite store, swapped in atomically: the names to import.

The work is done in bot.data.checks (one module per group of files), bot.data.build (the
build and the swap), bot.data.tables (writing the tables) and bot.data.store_file
(fingerprints; telling this bot's store from any other file). This module keeps the names
the CLI, the store reader and the tests import as `dataset.<name>`.
"""

from __future__ import annotations

from bot.data.build import ABANDONED_AFTER_S, BuildResult, build
from bot.data.checks import DataError, Problem, Rows, check
from bot.data.files import (
    MPS_IMPORT_COLUMNS,
    MPS_IMPORTS_FILE,
    MPS_MONTH_COLUMNS,
    MPS_MONTHS_FILE,
    SOURCE_COLUMNS,
)
from bot.data.store_file import (
    SCHEMA_VERSION,
    NotAStore,
    check_store_path,
    data_fingerprint,
    stored_fingerprint,
    stored_schema,
)

__all__ = [
    "ABANDONED_AFTER_S",
    "MPS_IMPORTS_FILE",
    "MPS_IMPORT_COLUMNS",
    "MPS_MONTHS_FILE",
    "MPS_MONTH_COLUMNS",
    "SCHEMA_VERSION",
    "SOURCE_COLUMNS",
    "BuildResult",
    "DataError",
    "NotAStore",
    "Problem",
    "Rows",
    "build",
    "check",
    "check_store_path",
    "data_fingerprint",
    "stored_fingerprint",
    "stored_schema",
]
