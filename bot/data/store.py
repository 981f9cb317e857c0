"""Read access to the built SQLite store: figures, findings, services, boroughs.

Plain sqlite3 here: sqlite-utils builds the store (bot.data.build), but importing it costs
the running bot about 14 MB (it loads numpy when numpy is installed), and reading needs
nothing it adds.
"""

from __future__ import annotations

import logging
import sqlite3
from concurrent.futures.process import BrokenProcessPool
from functools import cached_property
from pathlib import Path
from typing import cast

from bot.data.build import build
from bot.data.checks import DataError
from bot.data.store_file import data_fingerprint, stored_fingerprint
from bot.domain.child import run_in_child
from bot.domain.kinds import Measure, PlaceKind, ServiceStatus
from bot.domain.models import (
    Borough,
    Figure,
    Finding,
    PeriodSummary,
    Place,
    Population,
    Service,
    Source,
)

log = logging.getLogger(__name__)
_MEASURES = {measure.value: measure for measure in Measure}
# Building from data/ takes about a second; a million imported Met rows, a few more.
BUILD_TIMEOUT_S = 300.0

_FIGURE_SQL = """
select o.borough_code, b.name, o.period, o.period_label, o.period_start, o.period_end,
       o.partial, o.measure, o.count, o.source_id
from offences o join boroughs b on b.code = o.borough_code
"""


class Store:
    """The figures and services the bot answers from. Small tables are cached on open."""

    def __init__(self, path: Path):
        self.path = path
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        # Answers already read, by borough: the file's data never changes while it is open
        # (a rebuild swaps in a new file; this connection keeps reading the old one).
        self._borough_figures: dict[tuple[str, str], tuple[Figure, ...]] = {}
        self._findings_of: dict[tuple[str, str], tuple[Finding, ...]] = {}
        self._latest_periods: dict[str, str | None] = {}
        self._month_totals: dict[str, dict[str, tuple[int, int]]] = {}

    def _rows(self, table: str, order_by: str = "rowid") -> list[sqlite3.Row]:
        """Every row of one of the store's own tables (names are ours, never a user's)."""
        return self.db.execute(f"select * from {table} order by {order_by}").fetchall()

    def close(self) -> None:
        self.db.close()

    @cached_property
    def sources(self) -> dict[str, Source]:
        return {row["id"]: Source(**row) for row in self._rows("sources")}

    @cached_property
    def boroughs(self) -> dict[str, Borough]:
        aliases: dict[str, list[str]] = {}
        for row in self._rows("borough_aliases"):
            aliases.setdefault(row["borough_code"], []).append(row["alias"])
        return {
            row["code"]: Borough(**row, aliases=tuple(aliases.get(row["code"], ())))
            for row in self._rows("boroughs", "name")
        }

    @cached_property
    def places(self) -> tuple[Place, ...]:
        """Postcode districts, neighbourhoods and places outside London, for the gazetteer."""
        boroughs: dict[tuple[str, str], list[str]] = {}
        for row in self._rows("place_boroughs", "position"):
            boroughs.setdefault((row["kind"], row["name"]), []).append(row["borough_code"])
        return tuple(
            Place(
                row["name"],
                cast(PlaceKind, row["kind"]),  # checked when the store was built
                tuple(boroughs.get((row["kind"], row["name"]), ())),
                row["outside_london"],
                bool(row["ordinary_word"]),
            )
            for row in self._rows("places", "kind, name")
        )

    @cached_property
    def services(self) -> dict[str, Service]:
        links: dict[str, dict[str, list[str]]] = {}
        for table, column in (
            ("service_areas", "area"),
            ("service_needs", "need"),
            ("service_aliases", "alias"),
        ):
            for row in self._rows(table):
                links.setdefault(row["service_id"], {}).setdefault(column, []).append(row[column])
        services = {}
        for row in self._rows("services", "rank"):
            extra = links.get(row["id"], {})
            services[row["id"]] = Service(
                **(dict(row) | {"status": ServiceStatus(row["status"])}),
                areas=tuple(extra.get("area", ())),
                needs=tuple(extra.get("need", ())),
                aliases=tuple(extra.get("alias", ())),
            )
        return services

    @cached_property
    def _populations(self) -> dict[str, list[Population]]:
        by_borough: dict[str, list[Population]] = {}
        for row in self._rows("populations", "year"):
            by_borough.setdefault(row["borough_code"], []).append(
                Population(
                    row["borough_code"], row["year"], row["count"], self.sources[row["source_id"]]
                )
            )
        return by_borough

    def population_for(self, borough_code: str, period_end: str) -> Population | None:
        """The population figure nearest in time to the end of a period."""
        candidates = self._populations.get(borough_code, [])
        if not candidates:
            return None
        year = int(period_end[:4])
        return min(candidates, key=lambda p: (abs(p.year - year), -p.year))

    def _figure(self, row: tuple) -> Figure:
        code, name, period, label, start, end, partial, measure, count, source_id = row
        return Figure(
            code,
            name,
            period,
            label,
            start,
            end,
            bool(partial),
            _MEASURES[measure],
            count,
            self.sources[source_id],
        )

    def figures_for(self, borough_code: str, measure: str = Measure.OFFENCES) -> list[Figure]:
        """Every period's figure for one borough, oldest first."""
        key = (borough_code, measure)
        if key not in self._borough_figures:
            sql = (
                _FIGURE_SQL + " where o.borough_code = ? and o.measure = ?"
                " order by o.period_end, o.period_start, o.period"
            )
            rows = self.db.execute(sql, [borough_code, measure])
            self._borough_figures[key] = tuple(self._figure(row) for row in rows)
        return list(self._borough_figures[key])

    def figures_in_period(self, period: str, measure: str = Measure.OFFENCES) -> list[Figure]:
        """Every borough's figure for one period, highest count first."""
        sql = _FIGURE_SQL + " where o.period = ? and o.measure = ? order by o.count desc, b.name"
        return [self._figure(row) for row in self.db.execute(sql, [period, measure])]

    def latest_period(self, measure: str = Measure.OFFENCES) -> str | None:
        """The most recent whole period (a partial year is never the default)."""
        if measure not in self._latest_periods:
            row = self.db.execute(
                "select period from offences where measure = ? and partial = 0 "
                "order by period_end desc, period_start desc, period desc limit 1",
                [measure],
            ).fetchone()
            self._latest_periods[measure] = row[0] if row else None
        return self._latest_periods[measure]

    def period_totals(self, measure: str = Measure.OFFENCES) -> dict[str, tuple[int, int]]:
        """Each period's total over the boroughs that have a figure, and how many they are."""
        sql = "select period, sum(count), count(*) from offences where measure = ? group by period"
        return {period: (total, n) for period, total, n in self.db.execute(sql, [measure])}

    def periods(self, measure: str = Measure.OFFENCES) -> list[PeriodSummary]:
        """Each period we hold figures for, newest first, with its source and borough count."""
        sql = """
            select period, period_label, period_start, period_end, partial, source_id, count(*)
            from offences where measure = ?
            group by period, period_label, period_start, period_end, partial, source_id
            order by period_end desc, period_start desc
        """
        return [
            PeriodSummary(period, label, start, end, bool(partial), self.sources[source_id], n)
            for period, label, start, end, partial, source_id, n in self.db.execute(sql, [measure])
        ]

    def months_for(
        self, borough_code: str, measure: str = Measure.OFFENCES
    ) -> list[tuple[str, int]]:
        """A borough's imported monthly counts, oldest first: ("2023-04", 412)."""
        sql = (
            "select month, count from months where borough_code = ? and measure = ? order by month"
        )
        return [(month, count) for month, count in self.db.execute(sql, [borough_code, measure])]

    def month_totals(self, measure: str = Measure.OFFENCES) -> dict[str, tuple[int, int]]:
        """Each month's total over the boroughs that have a figure, and how many they are."""
        if measure not in self._month_totals:
            sql = "select month, sum(count), count(*) from months where measure = ? group by month"
            self._month_totals[measure] = {
                month: (total, n) for month, total, n in self.db.execute(sql, [measure])
            }
        return self._month_totals[measure]

    def census_sources(self) -> list[tuple[int, Source]]:
        """Each census year we hold populations for, newest first, with its source."""
        sql = "select distinct year, source_id from populations order by year desc"
        return [(year, self.sources[source_id]) for year, source_id in self.db.execute(sql)]

    def findings(self, area: str) -> list[Finding]:
        """Statements about one borough (by code) or about London ("london")."""
        return self._findings("area", area)

    def findings_of_kind(self, kind: str) -> list[Finding]:
        """Statements of one kind, e.g. every published arrest rate we hold."""
        return self._findings("kind", kind)

    def _findings(self, column: str, value: str) -> list[Finding]:
        key = (column, value)
        if key not in self._findings_of:
            self._findings_of[key] = tuple(self._read_findings(column, value))
        return list(self._findings_of[key])

    def _read_findings(self, column: str, value: str) -> list[Finding]:
        sql = f"select * from findings where {column} = ? order by rowid"  # column: ours
        return [
            Finding(
                row["id"],
                row["area"],
                row["kind"],
                row["value"],
                row["period_label"],
                row["statement"],
                self.sources[row["source_id"]],
            )
            for row in self.db.execute(sql, [value])
        ]

    def meta(self, key: str) -> str | None:
        row = self.db.execute("select value from meta where key = ?", [key]).fetchone()
        return row[0] if row else None


def load_store(data_dir: Path, store_path: Path, build_in_child: bool = False) -> Store:
    """Open the store, building it first when data/ changed since the last build.

    If data/ has an error and a store already exists, keep answering from the
    existing one (and say so in the log) rather than fail. build_in_child: build in a
    short-lived process (bot.domain.child), so the long-running bot never loads sqlite-utils.
    """
    if stored_fingerprint(store_path) != data_fingerprint(data_dir):
        try:
            if build_in_child:
                run_in_child(build, data_dir, store_path, timeout=BUILD_TIMEOUT_S)
            else:
                build(data_dir, store_path)
        except DataError as error:
            if stored_fingerprint(store_path) is None:
                raise
            log.warning(
                "data/ has %d problem(s); still answering from the last good store:\n%s",
                len(error.problems),
                error,
            )
        except (TimeoutError, BrokenProcessPool) as error:  # the child took too long, or died
            if stored_fingerprint(store_path) is None:
                raise
            log.warning(
                "the store could not be rebuilt (%s); still answering from the last good one",
                type(error).__name__,
            )
    return Store(store_path)
