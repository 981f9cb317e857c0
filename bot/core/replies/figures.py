"""Replies with figures: one borough, boroughs compared, every borough ranked, a part of
London, arrests and outcomes. Every one carries its source and period (in the templates)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from bot.core import signpost
from bot.core.buttons import Action
from bot.core.figures import by_rate, latest_for, latest_table, period_table
from bot.core.languages import current
from bot.core.outcomes import outcomes_for
from bot.core.replies.base import Replier
from bot.core.trends import borough_view, london_total, period_for_year
from bot.core.understand import Intent
from bot.domain.models import IntentKind, Reply

# One borough's figures as words, by (language, borough, year asked): the same question
# asked again is not worked out and rendered again. Per store (a reload makes a new one).
BOROUGH_TEXTS = 1024


class FigureReplies:
    def __init__(self, kit: Replier):
        self.kit = kit
        self.store = kit.store
        # Bound to this store's figures: a new store (new data) comes with a new cache.
        # Kept as UTF-8: the texts carry an emoji, so as str they take 4 bytes a character.
        self._borough_text: Callable[[str, str, int | None, bool], bytes] = lru_cache(
            maxsize=BOROUGH_TEXTS
        )(lambda *key: self._borough_text_uncached(*key).encode())

    def borough(self, intent: Intent) -> Reply:
        """One borough's figures, with its source and period; the City of London explained."""
        code = intent.boroughs[0]
        # The words depend on nothing else: the store never changes while it is open, and
        # discreet mode and the buttons are added to a copy by the session.
        text = self._borough_text(current(), code, intent.year, intent.financial_year).decode()
        return Reply(text, self.kit.borough_rows(code), intent=IntentKind.FIGURES)

    def forget_texts(self) -> None:
        """Empty the cache of borough texts (benches, to see what a first answer renders)."""
        self._borough_text.cache_clear()  # type: ignore[attr-defined]

    def _borough_text_uncached(
        self, language: str, code: str, year: int | None, financial_year: bool
    ) -> str:
        """The words of one borough's figures in `language` (the one in use)."""
        assert language == current()
        kit, store = self.kit, self.store
        intent = Intent(IntentKind.FIGURES, (code,), year=year, financial_year=financial_year)
        borough = store.boroughs[code]
        render = kit.renderer.render
        if not borough.policed_by_met:
            return render("city_of_london.html", borough=borough, local=kit.local_help(code))
        period, missing_year = self.period_asked(intent, code)
        view = borough_view(store, code, period)
        if view is None:
            local = kit.local_help(code)
            wider = [s for s in signpost.general(kit.services.values()) if s not in local]
            return render(
                "no_figures.html",
                borough=borough,
                local=local,
                wider=wider,
                have=latest_table(store),
            )
        return render(
            "figures.html",
            borough=borough,
            row=view.row,
            view=view,
            findings=store.findings(code),
            missing_year=missing_year,
        )

    def period_asked(self, intent: Intent, code: str | None = None) -> tuple[str | None, str]:
        """The period of a year named in the question, or (None, the year as said) if not held.

        With a borough, the period must hold that borough's figure.
        """
        if intent.year is None:
            return None, ""
        year = intent.year
        said = f"{year}-{(year + 1) % 100:02d}" if intent.financial_year else str(year)
        found = period_for_year(self.store, year, intent.financial_year)
        if found is None:
            return None, said
        if code and not any(f.period == found.period for f in self.store.figures_for(code)):
            return None, said
        return found.period, ""

    def arrests(self, intent: Intent) -> Reply:
        """Positive outcomes beside offences, then the only arrest rate ever published to us."""
        kit, store = self.kit, self.store
        borough = store.boroughs[intent.boroughs[0]] if intent.boroughs else None
        rates = store.findings_of_kind("arrest_rate")
        rows = kit.figures_rows()
        if borough is not None:
            rows[0].insert(0, kit.button("figures_of", Action.FIGURES, borough.code))
        met = borough is None or borough.policed_by_met
        return kit.reply(
            "arrests.html",
            IntentKind.ARRESTS,
            rows,
            borough=borough,
            outcomes=outcomes_for(store, borough.code) if borough and met else None,
            london_outcomes=outcomes_for(store) if met else None,
            rates=rates,
            has_own=any(f.area == (borough and borough.code) for f in rates),
            london=[f for f in store.findings("london") if "arrest" in f.statement],
        )

    def compare(self, intent: Intent) -> Reply:
        """Every borough named, in the order named: none is left out."""
        kit, store = self.kit, self.store
        codes = list(dict.fromkeys(intent.boroughs))
        named = [(store.boroughs[code], latest_for(store, code)) for code in codes]
        held = [row for _, row in named if row is not None]
        rows = kit.figures_rows()
        same_period = len(held) >= 2 and len({row.figure.period for row in held}) == 1
        rated = [row for row in held if row.rate is not None]
        return kit.reply(
            "compare.html",
            IntentKind.COMPARE,
            rows,
            named=named,
            held=held,
            same_period=same_period,
            most=max(held, key=lambda r: r.figure.count) if same_period else None,
            fewest=min(held, key=lambda r: r.figure.count) if same_period else None,
            highest_rate=max(rated, key=lambda r: r.rate or 0.0) if same_period and rated else None,
            lowest_rate=min(rated, key=lambda r: r.rate or 0.0) if same_period and rated else None,
        )

    def ranking(self, intent: Intent) -> Reply:
        kit, store = self.kit, self.store
        period, missing_year = self.period_asked(intent)
        table = period_table(store, period) if period else latest_table(store)
        if intent.by_rate:
            table = by_rate(table)
        rows = [[kit.button("find_support", Action.HELP), kit.button("about", Action.ABOUT)]]
        return kit.reply(
            "ranking.html",
            IntentKind.RANKING,
            rows,
            table=table,
            order=intent.order,
            by_rate=intent.by_rate,
            london=store.findings("london"),
            total=london_total(store, table),
            missing_year=missing_year,
            historical=self._from_another_source(period),
        )

    def _from_another_source(self, period: str | None) -> bool:
        """A period from another publisher than the newest figures' (the article's year)."""
        latest = self.store.latest_period()
        if not period or not latest or period == latest:
            return False
        publishers = {p.period: p.source.publisher for p in self.store.periods()}
        return publishers.get(period) != publishers.get(latest)

    def sub_region(self, intent: Intent) -> Reply:
        kit, store = self.kit, self.store
        region = intent.sub_region or ""
        # "Inner" and "Outer" London as the ONS groups boroughs; the rest, London Plan areas.
        inner_outer = region in ("Inner", "Outer")

        def within(code: str) -> bool:
            borough = store.boroughs[code]
            return (borough.inner_outer if inner_outer else borough.sub_region) == region

        members = [b for b in store.boroughs.values() if within(b.code)]
        table = [row for row in latest_table(store) if within(row.figure.borough_code)]
        with_figures = {row.figure.borough_code for row in table}
        rows = kit.figures_rows()
        return kit.reply(
            "sub_region.html",
            IntentKind.SUB_REGION,
            rows,
            region=region,
            inner_outer=inner_outer,
            table=table,
            group=london_total(store, table),
            without=[b for b in members if b.code not in with_figures and b.policed_by_met],
            not_met=[b for b in members if not b.policed_by_met],
        )
