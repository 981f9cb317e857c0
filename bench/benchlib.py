"""Small helpers shared by the bench scripts: percentiles and a plain table."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path

# The columns of the Met's Other Crime Data file, as public readers load it (FACTS §4).
MET_HEADER = [
    "Month_Year", "Area Type", "Borough_SNT", "Area name", "Area code", "Crime Type",
    "Crime Subtype", "Measure", "Financial Year", "FY_FYIndex", "Count", "Refresh Date",
]  # fmt: skip


def bot_env(token: str, api_url: str, workdir: Path) -> dict[str, str]:
    """The environment for a bot process against a fake Bot API, its files in workdir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "HELPLINE_"))}
    return env | {
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_URL": api_url,
        "HELPLINE_STORE": str(workdir / "store.db"),
        "XDG_CACHE_HOME": str(workdir / "cache"),
        "HELPLINE_STATE_DIR": str(workdir / "state"),  # the chat state, not the user's
        "XDG_STATE_HOME": str(workdir / "state"),
    }


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank: a value that was actually measured."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain left-aligned text table."""
    cells = [[str(h) for h in headers], *[[_cell(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True))
             for row in cells]  # fmt: skip
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:.3f}" if value < 100 else f"{value:,.0f}"
    return str(value)


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("ok" if ok else "MISSED")
