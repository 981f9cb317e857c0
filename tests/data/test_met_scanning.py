"""data.met.scanning: which of the Met's Area Types are boroughs, and why others are left out."""

from __future__ import annotations

import pytest

from bot.data.met.scanning import LEFT_OUT, AreaType, area_type


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("Borough", AreaType.BOROUGH),
        (" BOROUGH ", AreaType.BOROUGH),
        ("Safer Neighbourhood Team", AreaType.SAFER_NEIGHBOURHOOD),
        ("Safer Neighbourhood", AreaType.SAFER_NEIGHBOURHOOD),
        ("SNT", AreaType.SAFER_NEIGHBOURHOOD),
        ("Ward", AreaType.OTHER),
        ("Boroughs", AreaType.OTHER),
        ("", AreaType.OTHER),
    ],
)
def test_area_types_are_read_in_plain_form(value: str, kind: AreaType) -> None:
    assert area_type(value) is kind


def test_every_area_type_but_borough_has_a_reason_to_be_left_out() -> None:
    assert set(LEFT_OUT) == set(AreaType) - {AreaType.BOROUGH}
