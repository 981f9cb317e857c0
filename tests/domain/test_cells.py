"""domain.cells: the one reading of data/'s semicolon-separated list cells."""

from __future__ import annotations

import pytest

from bot.domain.cells import split_list


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("", []),
        ("national", ["national"]),
        ("E09000001; E09000033", ["E09000001", "E09000033"]),
        (" pregnant ;;children; ", ["pregnant", "children"]),
        (" ; ", []),
    ],
)
def test_a_list_cell_gives_its_trimmed_items_without_blanks(cell: str, items: list[str]) -> None:
    assert split_list(cell) == items
