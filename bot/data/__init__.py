"""data/*.csv -> checks -> the SQLite store; the Met importer; the store reader."""
