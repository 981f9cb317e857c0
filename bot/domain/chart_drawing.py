"""Drawing a chart with matplotlib from plain data: every word and number already decided.

This module runs in a short-lived child process (bot.domain.child), so matplotlib and numpy
(about 40 MB) never enter the bot's own memory. It imports nothing of the bot but
bot.domain.numbers, and matplotlib only inside the functions.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.domain.numbers import one_decimal, thousands

BAR = "#9fb0c4"
HIGHLIGHT = "#c2410c"
LINE = "#1f4e79"
LONDON = "#6b7280"
SUBTITLE = "#374151"
GRID = "#e5e7eb"
DPI = 100
# Sizes in points, chosen so that labels stay legible when Telegram shows the picture about
# 400 pixels wide in a chat (the figures are 8 inches, 800 pixels, wide).
TITLE_PT, SUBTITLE_PT, LABEL_PT, VALUE_PT, NOTE_PT = 16, 12, 11.5, 10, 9


@dataclass(frozen=True)
class RankingChart:
    """Horizontal bars, one per borough, lowest first (so the highest is drawn at the top)."""

    title: str
    subtitle: str
    note: str
    axis: str
    names: tuple[str, ...]
    values: tuple[float, ...]
    value_labels: tuple[str, ...]
    highlighted: tuple[bool, ...]
    decimals: bool  # rates carry one decimal, counts none
    average: float | None  # London's, drawn as a dashed line


@dataclass(frozen=True)
class TrendChart:
    """One borough's line over whole periods, with the average London borough."""

    title: str
    subtitle: str
    note: str
    axis: str
    labels: tuple[str, ...]
    counts: tuple[int, ...]
    borough_key: str
    london_key: str
    london_averages: tuple[float | None, ...]


def draw(chart: RankingChart | TrendChart, path: Path) -> None:
    """Write the chart to path as a PNG."""
    if isinstance(chart, RankingChart):
        _draw_ranking(chart, path)
    else:
        _draw_trend(chart, path)


def _figure(width: float, height: float, margins: tuple[float, float, float, float]) -> Any:
    """A figure with fixed margins in inches (left, right, top, bottom).

    Fixed margins rather than a layout engine: it halves the draw time, and the
    charts' shapes are known in advance. The object API on the Agg canvas: no display,
    no pyplot global state.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    left, right, top, bottom = margins
    figure.subplots_adjust(
        left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height
    )
    return figure


def _wrapped(text: str, inches: float, points: float) -> str:
    """Text folded to fit a width: about 0.55 of a point size per character, on average."""
    columns = max(20, int(inches * 72 / (points * 0.55)))
    return "\n".join(textwrap.fill(line, columns) for line in text.split("\n"))


def _top(title: str, subtitle: str, width: float, axes_width: float) -> float:
    """The top margin, in inches, that the title and subtitle need once folded."""
    title_lines = _wrapped(title, width - 0.3, TITLE_PT).count("\n") + 1
    subtitle_lines = _wrapped(subtitle, axes_width, SUBTITLE_PT).count("\n") + 1
    return 0.25 + title_lines * TITLE_PT * 1.3 / 72 + subtitle_lines * SUBTITLE_PT * 1.35 / 72


def _header(figure: Any, title: str, note: str) -> None:
    width, height = figure.get_figwidth(), figure.get_figheight()
    title = _wrapped(title, width - 0.3, TITLE_PT)
    figure.text(0.12 / width, 1 - 0.12 / height, title, fontsize=TITLE_PT, fontweight="bold",
                ha="left", va="top")  # fmt: skip
    figure.text(0.12 / width, 0.06 / height, textwrap.fill(note, 120), fontsize=NOTE_PT,
                color=LONDON, ha="left", va="bottom")  # fmt: skip


def _plain_axes(axes: Any, subtitle: str) -> None:
    inches = axes.get_position().width * axes.figure.get_figwidth()
    subtitle = _wrapped(subtitle, inches, SUBTITLE_PT)
    axes.set_title(subtitle, fontsize=SUBTITLE_PT, loc="left", color=SUBTITLE)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _draw_ranking(chart: RankingChart, path: Path) -> None:
    from matplotlib.ticker import FuncFormatter

    rows = len(chart.names)
    left = max(1.5, 0.092 * max(len(n) for n in chart.names) + 0.3)  # room for the longest name
    top = _top(chart.title, chart.subtitle, 8, 8 - left - 0.45)
    figure = _figure(8, max(4.5, 0.36 * rows + top + 1.2), (left, 0.45, top, 1.05))
    _header(figure, chart.title, chart.note)
    axes = figure.add_subplot()
    _plain_axes(axes, chart.subtitle)
    colours = [HIGHLIGHT if h else BAR for h in chart.highlighted]
    bars = axes.barh(range(rows), chart.values, color=colours, height=0.72)
    axes.set_yticks(range(rows), chart.names, fontsize=LABEL_PT)
    for label, highlighted in zip(axes.get_yticklabels(), chart.highlighted, strict=True):
        if highlighted:
            label.set_fontweight("bold")
            label.set_color(HIGHLIGHT)
    axes.bar_label(bars, list(chart.value_labels), padding=3, fontsize=VALUE_PT)
    axes.set_xlabel(chart.axis, fontsize=LABEL_PT)
    axes.tick_params(axis="x", labelsize=VALUE_PT)
    axes.xaxis.set_major_formatter(
        FuncFormatter(lambda v, _: one_decimal(v) if chart.decimals else thousands(int(v)))
    )
    axes.margins(x=0.12, y=0.01)
    if chart.average is not None:
        axes.axvline(chart.average, color=LONDON, linestyle="--", linewidth=1, zorder=0.5)
    figure.savefig(path, format="png", dpi=DPI)


def _draw_trend(chart: TrendChart, path: Path) -> None:
    from matplotlib.ticker import FuncFormatter

    counts = list(chart.counts)
    top = _top(chart.title, chart.subtitle, 8, 8 - 1.3)
    figure = _figure(8, 4.6 + top, (1.0, 0.3, top, 1.45))
    _header(figure, chart.title, chart.note)
    axes = figure.add_subplot()
    _plain_axes(axes, chart.subtitle)
    x = list(range(len(chart.labels)))
    marker = "o" if len(x) <= 16 else None
    axes.plot(x, counts, color=LINE, marker=marker, linewidth=2, label=chart.borough_key)
    axes.plot([x[-1]], [counts[-1]], marker="o", markersize=9, color=HIGHLIGHT)
    if len(x) <= 16:
        for xi, count in zip(x, counts, strict=True):
            axes.annotate(thousands(count), (xi, count), textcoords="offset points",
                          xytext=(0, 7), ha="center", fontsize=VALUE_PT)  # fmt: skip
    averages = [(xi, a) for xi, a in zip(x, chart.london_averages, strict=True) if a]
    if averages:
        axes.plot([a[0] for a in averages], [a[1] for a in averages], color=LONDON,
                  linestyle="--", linewidth=1.2, label=chart.london_key)  # fmt: skip
    if len(x) > 16:  # months: a label every few, so each stays legible at preview size
        step = -(-len(x) // 12)
        shown = [xi for xi in x if (len(x) - 1 - xi) % step == 0]  # the newest always labelled
        axes.set_xticks(x, minor=True)
        axes.set_xticks(shown, [chart.labels[xi] for xi in shown], fontsize=VALUE_PT, rotation=45)
    else:
        rotation = 45 if len(x) > 8 else 0
        axes.set_xticks(x, list(chart.labels), fontsize=VALUE_PT, rotation=rotation)
    axes.tick_params(axis="y", labelsize=VALUE_PT)
    axes.set_ylabel(chart.axis, fontsize=LABEL_PT)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: thousands(int(v))))
    top = max(counts + [a[1] for a in averages])
    axes.set_ylim(0, top * 1.15)  # from zero, so a small change does not look large
    axes.legend(loc="lower left", fontsize=VALUE_PT, frameon=False)
    axes.grid(axis="y", color=GRID)
    figure.savefig(path, format="png", dpi=DPI)
