"""Cells of data/*.csv that hold a list: "E09000001; E09000033", "pregnant;children"."""

from __future__ import annotations


def split_list(value: str) -> list[str]:
    """A semicolon-separated cell -> its items, trimmed; empty items are dropped."""
    return [part.strip() for part in value.split(";") if part.strip()]
