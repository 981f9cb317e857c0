"""PNG charts of the figures: a ranking of boroughs, one borough's trend and its months.

Here, what a chart shows: every word from responses/chart_text.html, every number from
the store. The drawing itself (bot.domain.chart_drawing, matplotlib) runs in a short-lived
child process (bot.domain.child), so matplotlib never stays in the bot's memory. Files are
cached per data version (the store's fingerprint) in a folder beside the store, so a
chart is drawn once per build and a new build starts a fresh folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import html
import logging
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.core.figures import BoroughFigure
from bot.core.languages import ENGLISH, using
from bot.core.monthly import Monthly
from bot.core.render import Renderer
from bot.core.trends import LondonTotal, Trend
from bot.domain import chart_drawing
from bot.domain.chart_drawing import RankingChart, TrendChart
from bot.domain.child import run_in_child
from bot.domain.numbers import one_decimal, thousands
from bot.domain.periods import series_of, short_month

log = logging.getLogger(__name__)

_VERSION_DIR = re.compile(r"^[0-9a-f]{16}$")
# Put in each version folder the bot makes: only folders holding it are ever removed,
# and from them only files named as the bot names its own.
_MARK = ".helpline-charts"
_OURS = re.compile(r"^(?:[0-9a-f]{32}\.png|\.drawing-[A-Za-z0-9_]+\.png|\.helpline-charts)$")
_KEY = ".name-key"  # the secret that turns what a chart shows into its file name
# A drawing takes about a second (a new interpreter, then matplotlib); past this, the
# answer goes out in words. Short: the chat's next message (even "Leave quickly") waits.
DRAW_TIMEOUT_S = 10.0
# How long a question waits for someone else's drawing to finish. The core has a few
# worker threads, and a queue of charts must not keep them from other people's answers.
WAIT_FOR_TURN_S = 3.0


class ChartsBusy(Exception):
    """Other charts were being drawn for longer than WAIT_FOR_TURN_S."""


def _private_folder(folder: Path) -> None:
    """Make the folder if need be, readable by this user alone (it may say who asked what)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # not ours to change: it is still used
        if folder.stat().st_mode & 0o077:
            os.chmod(folder, 0o700)


def _name_key(folder: Path) -> bytes:
    """This charts folder's secret, made once (0600): file names then say nothing."""
    path = folder / _KEY
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        key = path.read_bytes()
        if len(key) >= 16:
            return key
        raise OSError(f"{path} is not a key this bot made") from None
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


# One drawing at a time, so at most one child process (and its ~70 MB) exists at once.
_DRAWING = threading.Lock()


class Charts:
    """Draws charts into folder/<data version>/ and returns their paths."""

    def __init__(self, folder: Path, version: str, renderer: Renderer):
        self.folder = folder
        self.version = re.sub(r"[^0-9a-f]", "", version.lower())[:16].ljust(16, "0")
        self.renderer = renderer
        self._key: bytes | None = None

    @property
    def cache_dir(self) -> Path:
        return self.folder / self.version

    def _text(self, macro: str, **kwargs: Any) -> str:
        # Charts are drawn in English whatever the reply's language: matplotlib's fonts
        # draw neither Bengali nor joined, right-to-left Arabic script (README, "Languages").
        with using(ENGLISH):
            module = self.renderer.module("chart_text.html")
            return html.unescape(str(getattr(module, macro)(**kwargs))).strip()

    def file_name(self, name: str) -> str:
        """A chart's file name: a keyed hash of what it shows, so a listing shows no borough."""
        if self._key is None:
            _private_folder(self.folder)
            self._key = _name_key(self.folder)
        return hmac.new(self._key, name.encode(), hashlib.sha256).hexdigest()[:32] + ".png"

    def _cached(self, name: str, chart: Callable[[], RankingChart | TrendChart]) -> Path:
        path = self.cache_dir / self.file_name(name)
        if path.is_file():  # cached charts never wait for the lock
            return path
        if not _DRAWING.acquire(timeout=WAIT_FOR_TURN_S):
            raise ChartsBusy
        try:
            if path.is_file():  # drawn by whoever held the lock before us
                return path
            return self._draw(path, chart())
        finally:
            _DRAWING.release()

    def _draw(self, path: Path, chart: RankingChart | TrendChart) -> Path:
        _private_folder(self.folder)
        _private_folder(self.cache_dir)
        (self.cache_dir / _MARK).touch()
        self._forget_old_versions()
        handle, temp = tempfile.mkstemp(prefix=".drawing-", suffix=".png", dir=self.cache_dir)
        os.close(handle)
        try:
            run_in_child(chart_drawing.draw, chart, Path(temp), timeout=DRAW_TIMEOUT_S)
            os.replace(temp, path)  # whole files only, even with two drawers at once
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return path

    def _forget_old_versions(self) -> None:
        """Remove charts of older data versions: only what this bot made, nothing else."""
        for entry in self.folder.iterdir():
            if (
                _VERSION_DIR.match(entry.name)
                and entry.name != self.version
                and not entry.is_symlink()
                and (entry / _MARK).is_file()
            ):
                with contextlib.suppress(OSError):
                    for file in entry.iterdir():
                        if _OURS.match(file.name) and file.is_file() and not file.is_symlink():
                            file.unlink()
                    entry.rmdir()  # fails, and stays, if anything else is in it

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
        return self._cached(name, lambda: self._ranking_chart(table, highlight, by_rate, london))

    def trend(self, trend: Trend, borough_name: str) -> Path:
        """One borough's whole periods, oldest first, with the average London borough."""
        name = f"trend-{trend.borough_code}-{series_of(trend.last.period)}"
        return self._cached(name, lambda: self._trend_chart(trend, borough_name))

    def monthly(self, monthly: Monthly, borough_name: str) -> Path:
        """One borough's every month, with the average London borough's."""
        name = f"monthly-{monthly.borough_code}-{monthly.first}-{monthly.last}"
        return self._cached(name, lambda: self._monthly_chart(monthly, borough_name))

    # -- what each chart shows, in words and numbers ------------------------------------

    def _monthly_chart(self, monthly: Monthly, borough_name: str) -> TrendChart:
        return TrendChart(
            title=self._text("trend_title", borough=borough_name, series="fy"),
            subtitle=self._text("monthly_subtitle", period_label=monthly.label),
            note=self._text("source_note", source=monthly.source),
            axis=self._text("trend_axis"),
            labels=tuple(short_month(month) for month in monthly.months),
            counts=monthly.counts,
            borough_key=self._text("trend_borough", borough=borough_name),
            london_key=self._text("trend_london"),
            london_averages=monthly.london_averages,
        )

    def _ranking_chart(
        self,
        table: list[BoroughFigure],
        highlight: str | None,
        by_rate: bool,
        london: LondonTotal | None,
    ) -> RankingChart:
        rows = [row for row in table if not by_rate or row.rate is not None]
        rows.sort(key=lambda r: (r.rate or 0.0) if by_rate else r.figure.count)
        values = [(row.rate or 0.0) if by_rate else row.figure.count for row in rows]
        first = rows[0].figure
        highlighted = next(
            (r.figure.borough_name for r in rows if r.figure.borough_code == highlight), ""
        )
        fmt: Callable[[Any], str] = one_decimal if by_rate else thousands
        average = None
        if london is not None and london.complete:
            average = london.rate if by_rate else london.average
        key = self._text(
            "ranking_key",
            highlight=highlighted,
            average=(fmt(round(average, 1) if by_rate else round(average)) if average else ""),
        )
        subtitle = self._text(
            "ranking_subtitle", period_label=first.period_label, boroughs=len(rows)
        )
        population = rows[0].population
        return RankingChart(
            title=self._text("ranking_title", by_rate=by_rate, series=first.series),
            subtitle="\n".join(line for line in (subtitle, key) if line),
            note=self._text("source_note", source=first.source),
            axis=self._text(
                "ranking_axis",
                by_rate=by_rate,
                population_year=population.year if population else "",
            ),
            names=tuple(
                row.figure.borough_name + (self._text("part_year") if row.figure.partial else "")
                for row in rows
            ),
            values=tuple(values),
            value_labels=tuple(fmt(v) for v in values),
            highlighted=tuple(row.figure.borough_code == highlight for row in rows),
            decimals=by_rate,
            average=average,
        )

    def _trend_chart(self, trend: Trend, borough_name: str) -> TrendChart:
        labels = tuple(trend.labels)
        return TrendChart(
            title=self._text("trend_title", borough=borough_name, series=trend.last.series),
            subtitle=self._text(
                "trend_subtitle",
                series=series_of(trend.last.period),
                first=labels[0],
                last=labels[-1],
            ),
            note=self._text("source_note", source=trend.last.source),
            axis=self._text("trend_axis"),
            labels=labels,
            counts=tuple(f.count for f in trend.points),
            borough_key=self._text("trend_borough", borough=borough_name),
            london_key=self._text("trend_london"),
            london_averages=tuple(trend.london_averages),
        )


def draw_or_none(draw: Callable[[], Path]) -> Path | None:
    """A chart, or None when it cannot be drawn (the reply still goes out, in words)."""
    try:
        return draw()
    except ChartsBusy:
        log.warning("a chart was not drawn: others were still being drawn")
        return None
    except Exception:  # a full disk or a broken font must not stop an answer
        log.exception("could not draw a chart")
        return None
