"""How numbers are written, for the replies (core.render) and the charts (domain.chart_drawing)."""

from __future__ import annotations


def thousands(value: int | float) -> str:
    """2531 -> '2,531'."""
    return f"{value:,}"


def one_decimal(value: float) -> str:
    """7.25 -> '7.2'; 1234.5 -> '1,234.5'."""
    return f"{value:,.1f}"
