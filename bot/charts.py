"""PNG charts of the figures: a ranking of boroughs and one borough's trend.

Drawn with matplotlib's object API on the Agg canvas (no display, no pyplot global
state). Every word on a chart comes from responses/chart_text.html. Files are cached
per data version (the store's fingerprint) in a folder beside the store, so a chart is
drawn once per build and a new build starts a fresh folder.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
import tempfile
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.figures import BoroughFigure
from bot.periods import series_of
from bot.render import Renderer, one_decimal, thousands
from bot.trends import LondonTotal, Trend

log = logging.getLogger(__name__)

_VERSION_DIR = re.compile(r"^[0-9a-f]{16}$")
_BAR = "#9fb0c4"
_HIGHLIGHT = "#c2410c"
_LINE = "#1f4e79"
_LONDON = "#6b7280"
_DPI = 100


def _safe(text: str) -> str:
    """A file-name-safe piece of a cache key."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


_DRAWING = threading.Lock()


class Charts:
    """Draws charts into folder/<data version>/ and returns their paths."""

    def __init__(self, folder: Path, version: str, renderer: Renderer):
        self.folder = folder
        self.version = re.sub(r"[^0-9a-f]", "", version.lower())[:16].ljust(16, "0")
        self.renderer = renderer

    @property
    def cache_dir(self) -> Path:
        return self.folder / self.version

    def _text(self, macro: str, **kwargs: Any) -> str:
        module = self.renderer.env.get_template("chart_text.html").module
        return html.unescape(str(getattr(module, macro)(**kwargs))).strip()

    def _cached(self, name: str, draw: Callable[[Path], None]) -> Path:
        path = self.cache_dir / f"{_safe(name)}.png"
        if path.is_file():
            return path
        # One drawing at a time: matplotlib is not documented as thread-safe, and the fronts
        # may call the core from several threads. Cached charts never wait here.
        with _DRAWING:
            if path.is_file():  # drawn by whoever held the lock before us
                return path
            return self._draw(path, draw)

    def _draw(self, path: Path, draw: Callable[[Path], None]) -> Path:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self._forget_old_versions()
        handle, temp = tempfile.mkstemp(prefix=".drawing-", suffix=".png", dir=self.cache_dir)
        os.close(handle)
        try:
            draw(Path(temp))
            os.replace(temp, path)  # whole files only, even with two drawers at once
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return path

    def _forget_old_versions(self) -> None:
        for entry in self.folder.iterdir():
            if entry.is_dir() and _VERSION_DIR.match(entry.name) and entry.name != self.version:
                shutil.rmtree(entry, ignore_errors=True)

    # -- the two charts ---------------------------------------------------------------

    def ranking(
        self,
        table: list[BoroughFigure],
        highlight: str | None = None,
        by_rate: bool = False,
        london: LondonTotal | None = None,
    ) -> Path:
        """Boroughs of one period by count (or rate), highest at the top."""
        period = table[0].figure.period
        name = f"ranking-{period}-{'rate' if by_rate else 'count'}-{highlight or 'none'}"
        return self._cached(
            name, lambda path: self._draw_ranking(path, table, highlight, by_rate, london)
        )

    def trend(self, trend: Trend, borough_name: str) -> Path:
        """One borough's whole periods, oldest first, with the average London borough."""
        name = f"trend-{trend.borough_code}-{series_of(trend.last.period)}"
        return self._cached(name, lambda path: self._draw_trend(path, trend, borough_name))

    # -- drawing -------------------------------------------------------------------------

    @staticmethod
    def _figure(width: float, height: float, margins: tuple[float, float, float, float]) -> Any:
        """A figure with fixed margins in inches (left, right, top, bottom).

        Fixed margins rather than a layout engine: it halves the draw time, and the
        charts' shapes are known in advance.
        """
        # Imported here: matplotlib costs ~0.3 s and ~20 MB, paid only when a chart is drawn.
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=(width, height), dpi=_DPI)
        FigureCanvasAgg(figure)
        left, right, top, bottom = margins
        figure.subplots_adjust(
            left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height
        )
        return figure

    def _header(self, figure: Any, title: str, source: Any) -> None:
        height = figure.get_figheight()
        figure.text(0.12 / figure.get_figwidth(), 1 - 0.12 / height, title, fontsize=13,
                    fontweight="bold", ha="left", va="top")  # fmt: skip
        note = textwrap.fill(self._text("source_note", source=source), 150)
        figure.text(0.12 / figure.get_figwidth(), 0.06 / height, note, fontsize=7.5,
                    color=_LONDON, ha="left", va="bottom")  # fmt: skip

    def _draw_ranking(
        self,
        path: Path,
        table: list[BoroughFigure],
        highlight: str | None,
        by_rate: bool,
        london: LondonTotal | None,
    ) -> None:
        from matplotlib.ticker import FuncFormatter

        rows = [row for row in table if not by_rate or row.rate is not None]
        rows.sort(key=lambda r: (r.rate or 0.0) if by_rate else r.figure.count)
        values = [(row.rate or 0.0) if by_rate else row.figure.count for row in rows]
        names = [
            row.figure.borough_name + (self._text("part_year") if row.figure.partial else "")
            for row in rows
        ]
        first = rows[0].figure
        highlighted = next(
            (r.figure.borough_name for r in rows if r.figure.borough_code == highlight), ""
        )
        left = max(1.3, 0.068 * max(len(n) for n in names) + 0.3)  # room for the longest name
        figure = self._figure(8, max(4.0, 0.28 * len(rows) + 1.9), (left, 0.35, 0.95, 0.85))
        self._header(
            figure, self._text("ranking_title", by_rate=by_rate, series=first.series), first.source
        )
        fmt: Callable[[Any], str] = one_decimal if by_rate else thousands
        average = None
        if london is not None and london.complete:
            average = london.rate if by_rate else london.average
        axes = figure.add_subplot()
        axes.set_title(
            "\n".join(
                line
                for line in (
                    self._text(
                        "ranking_subtitle", period_label=first.period_label, boroughs=len(rows)
                    ),
                    self._text(
                        "ranking_key",
                        highlight=highlighted,
                        average=fmt(round(average, 1) if by_rate else round(average))
                        if average
                        else "",
                    ),
                )
                if line
            ),
            fontsize=10,
            loc="left",
            color="#374151",
        )
        colours = [_HIGHLIGHT if row.figure.borough_code == highlight else _BAR for row in rows]
        bars = axes.barh(range(len(rows)), values, color=colours, height=0.72)
        axes.set_yticks(range(len(rows)), names, fontsize=8.5)
        for label, row in zip(axes.get_yticklabels(), rows, strict=True):
            if row.figure.borough_code == highlight:
                label.set_fontweight("bold")
                label.set_color(_HIGHLIGHT)
        axes.bar_label(bars, [fmt(v) for v in values], padding=3, fontsize=7.5)
        axes.set_xlabel(
            self._text(
                "ranking_axis",
                by_rate=by_rate,
                population_year=rows[0].population.year if rows[0].population else "",
            ),
            fontsize=9,
        )
        axes.xaxis.set_major_formatter(
            FuncFormatter(lambda v, _: one_decimal(v) if by_rate else thousands(int(v)))
        )
        axes.margins(x=0.12, y=0.01)
        if average is not None:
            axes.axvline(average, color=_LONDON, linestyle="--", linewidth=1, zorder=0.5)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        figure.savefig(path, format="png", dpi=_DPI)

    def _draw_trend(self, path: Path, trend: Trend, borough_name: str) -> None:
        from matplotlib.ticker import FuncFormatter

        labels = list(trend.labels)
        counts = [f.count for f in trend.points]
        figure = self._figure(8, 4.8, (0.85, 0.25, 0.72, 1.15))
        self._header(
            figure,
            self._text("trend_title", borough=borough_name, series=trend.last.series),
            trend.last.source,
        )
        axes = figure.add_subplot()
        axes.set_title(
            self._text(
                "trend_subtitle",
                series=series_of(trend.last.period),
                first=labels[0],
                last=labels[-1],
            ),
            fontsize=10,
            loc="left",
            color="#374151",
        )
        x = list(range(len(labels)))
        axes.plot(
            x,
            counts,
            color=_LINE,
            marker="o",
            linewidth=2,
            label=self._text("trend_borough", borough=borough_name),
        )
        axes.plot([x[-1]], [counts[-1]], marker="o", markersize=9, color=_HIGHLIGHT)
        if len(x) <= 16:
            for xi, count in zip(x, counts, strict=True):
                axes.annotate(
                    thousands(count),
                    (xi, count),
                    textcoords="offset points",
                    xytext=(0, 7),
                    ha="center",
                    fontsize=7.5,
                )
        averages = [(xi, a) for xi, a in zip(x, trend.london_averages, strict=True) if a]
        if averages:
            axes.plot(
                [a[0] for a in averages],
                [a[1] for a in averages],
                color=_LONDON,
                linestyle="--",
                linewidth=1.2,
                label=self._text("trend_london"),
            )
        axes.set_xticks(x, labels, fontsize=8, rotation=45 if len(x) > 8 else 0)
        axes.set_ylabel(self._text("trend_axis"), fontsize=9)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: thousands(int(v))))
        top = max(counts + [a[1] for a in averages])
        axes.set_ylim(0, top * 1.15)  # from zero, so a small change does not look large
        axes.legend(loc="lower left", fontsize=8, frameon=False)
        axes.grid(axis="y", color="#e5e7eb")
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        figure.savefig(path, format="png", dpi=_DPI)


def draw_or_none(draw: Callable[[], Path]) -> Path | None:
    """A chart, or None when it cannot be drawn (the reply still goes out, in words)."""
    try:
        return draw()
    except Exception:  # a full disk or a broken font must not stop an answer
        log.exception("could not draw a chart")
        return None
