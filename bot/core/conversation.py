"""The core: answer(text) -> Reply. Knows nothing of Telegram or the terminal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path

from bot.core import buttons, signpost
from bot.core.charts import Charts, draw_or_none
from bot.core.figures import latest_for, latest_table, period_table
from bot.core.places import Gazetteer
from bot.core.render import Renderer
from bot.core.trends import (
    borough_view,
    london_total,
    monthly_for,
    outcomes_for,
    period_for_year,
    period_groups,
    trend_for,
)
from bot.core.understand import Intent, Understander
from bot.data.store import Store, load_store
from bot.domain.models import Button, Effect, Reply
from bot.domain.paths import data_dir, default_store_path

# Longer messages are read up to here: enough for any real message, bounded work.
MAX_READ_CHARS = 10_000


class Conversation:
    """Answers one message at a time. Holds no per-person state."""

    def __init__(self, store: Store, renderer: Renderer | None = None):
        self.store = store
        self.services = store.services
        self.renderer = renderer or Renderer()
        self.renderer.env.globals.update(
            services=self.services, sources=store.sources, boroughs=store.boroughs
        )
        gazetteer = Gazetteer(store.boroughs.values(), store.places)
        self.understander = Understander(gazetteer, self.services.values())
        # Beside the store, one folder per data version (never in the repository).
        self.charts = Charts(
            store.path.parent / "charts", store.meta("fingerprint") or "", self.renderer
        )
        self._intents: dict[str, Callable[[Intent], Reply]] = {
            "danger": self._danger,
            "figures": self._figures,
            "trend": self._trend,
            "chart": self._chart,
            "compare": self._compare,
            "ranking": self._ranking,
            "sub_region": self._sub_region,
            "help": self._help,
            "service": self._service,
            "greeting": lambda _: self._page("greeting.html", "greeting"),
            "menu": lambda _: self._page("menu.html", "menu"),
            "thanks": lambda _: self._page("thanks.html", "thanks"),
            "about": lambda _: self._about(),
            "privacy": lambda _: self._page("privacy.html", "privacy"),
            "unknown": lambda _: self._page("not_understood.html", "unknown"),
            "outside_london": self._outside_london,
            "who_am_i": lambda _: self._page("who_am_i.html", "who_am_i"),
            "leave": lambda _: self._leave(),
        }

    # -- entry points ---------------------------------------------------------

    def answer(self, text: str | None, *, draw: bool = True) -> Reply:
        """The reply to one message of free text (draw=False: see Reply.pending_image)."""
        return self._drawn(self._answer(text), draw)

    def press(self, data: str | None, *, draw: bool = True) -> Reply:
        """The reply to a button press; unknown or tampered data gets the menu."""
        return self._drawn(self._press(data), draw)

    def command(self, name: str, argument: str = "", *, draw: bool = True) -> Reply:
        """A slash command from any front: /figures croydon, /compare a b, /services men."""
        return self._drawn(self._command(name, argument), draw)

    @staticmethod
    def _drawn(reply: Reply, draw: bool) -> Reply:
        return reply.finish() if draw else reply

    def _answer(self, text: str | None) -> Reply:
        read = (text or "")[:MAX_READ_CHARS]
        intent = self.understander.read(read)
        if intent.choices:  # a place that spans boroughs: ask, never guess
            return self._which_borough(intent)
        if intent.arrests and intent.kind in {"figures", "ranking", "compare"}:
            return self._arrests(intent)
        return self._intents[intent.kind](intent)

    def _press(self, data: str | None) -> Reply:
        press = buttons.decode(data)
        if press is None:
            return self._page("menu.html", "menu")
        arg = press.argument
        match press.action:
            case "danger":
                return self._danger(Intent("danger"))
            case "help":
                return self._help(Intent("help"))
            case "need" if arg in signpost.NEEDS:
                return self._help(Intent("help", need=arg))
            case "local" if arg in self.store.boroughs:
                return self._help(Intent("help", (arg,)))
            case "fig" if arg in self.store.boroughs:
                return self._figures(Intent("figures", (arg,)))
            case "cmp" if self._borough_pair(arg):
                return self._compare(Intent("compare", self._borough_pair(arg)))
            case "rank":
                return self._ranking(Intent("ranking", order="all"))
            case "about":
                return self._about()
            case "privacy":
                return self._page("privacy.html", "privacy")
        return self._page("menu.html", "menu")

    def _command(self, name: str, argument: str) -> Reply:
        # Danger comes first here too: "/figures he has a knife" is someone in danger.
        if argument.strip() and self.understander.read(argument).kind == "danger":
            return self._danger(Intent("danger"))
        match name:
            case "start":
                return self._page("start.html", "start")
            case "help" | "menu":
                return self._page("menu.html", "menu")
            case "emergency":
                return self._danger(Intent("danger"))
            case "about":
                return self._about()
            case "privacy":
                return self._page("privacy.html", "privacy")
            case "figures":
                if not argument.strip():
                    return self._ranking(Intent("ranking", order="all"))
                return self._figures_or_ask(argument)
            case "compare":
                return self._compare_command(argument)
            case "services":
                return self._services_command(argument)
        return self._page("menu.html", "menu")

    # -- replies ----------------------------------------------------------------

    def _reply(
        self, template: str, intent: str, rows: list[list[Button]] | None = None, **context: object
    ) -> Reply:
        return Reply(self.renderer.render(template, **context), rows or [], intent=intent)

    def _page(self, template: str, intent: str) -> Reply:
        return self._reply(template, intent, self._menu_rows())

    def _button(self, label: str, action: str, argument: str = "") -> Button:
        return Button(self.renderer.label(label), buttons.encode(action, argument))

    def _menu_rows(self) -> list[list[Button]]:
        return [
            [self._button("help_now", "danger"), self._button("find_support", "help")],
            [self._button("figures", "rank"), self._button("about", "about")],
        ]

    def _leave(self) -> Reply:
        """Leave quickly: every front erases (the words are for a front that cannot)."""
        return replace(self._reply("leave.html", "leave"), effects=(Effect.ERASE,))

    def _danger(self, intent: Intent) -> Reply:
        # Only services someone can ring now: coordinating charities come later, not here.
        local = [
            s
            for code in intent.boroughs
            for s in signpost.local(self.services.values(), code)
            if s.phone
        ]
        # Danger never hides the specialist service ("I'm 14", "I want to die", stalking).
        need = intent.need
        specialist = signpost.for_need(self.services.values(), need) if need else []
        rows = [[self._button("find_support", "help"), self._button("menu", "menu")]]
        return self._reply(
            "danger.html", "danger", rows, local=local[:3], need=need, specialist=specialist
        )

    def _figures(self, intent: Intent) -> Reply:
        code = intent.boroughs[0]
        borough = self.store.boroughs[code]
        rows = [[self._button("support_in", "local", code), self._button("all_boroughs", "rank")]]
        if not borough.policed_by_met:
            return self._reply(
                "city_of_london.html",
                "figures",
                rows,
                borough=borough,
                local=self._local_help(code),
            )
        period, missing_year = self._period_asked(intent, code)
        view = borough_view(self.store, code, period)
        if view is None:
            local = self._local_help(code)
            wider = [s for s in signpost.general(self.services.values()) if s not in local]
            return self._reply(
                "no_figures.html",
                "figures",
                rows,
                borough=borough,
                local=local,
                wider=wider,
                have=latest_table(self.store),
            )
        return self._reply(
            "figures.html",
            "figures",
            rows,
            borough=borough,
            row=view.row,
            view=view,
            findings=self.store.findings(code),
            missing_year=missing_year,
        )

    def _period_asked(self, intent: Intent, code: str | None = None) -> tuple[str | None, str]:
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

    def _trend(self, intent: Intent) -> Reply:
        """A borough's figures over every whole year, with the trend chart."""
        code = intent.boroughs[0]
        borough = self.store.boroughs[code]
        trend = trend_for(self.store, code) if borough.policed_by_met else None
        if trend is None:
            return self._figures(Intent("figures", (code,)))
        rows = [[self._button("support_in", "local", code), self._button("all_boroughs", "rank")]]
        reply = self._reply("trend.html", "trend", rows, borough=borough, trend=trend)
        if trend.years > 1:
            name = borough.name
            reply.pending_image = lambda: draw_or_none(lambda: self.charts.trend(trend, name))
        return reply

    def _chart(self, intent: Intent) -> Reply:
        """A picture: a borough's trend, or every borough ranked (the asked-about one in colour)."""
        code = intent.boroughs[0] if intent.boroughs else None
        if code and not self.store.boroughs[code].policed_by_met:
            return self._figures(Intent("figures", (code,)))
        if code and intent.monthly:
            return self._monthly(code)
        if code and intent.order is None:
            trend = trend_for(self.store, code)
            if trend is not None and trend.years > 1:
                return self._trend(Intent("trend", (code,)))
        table = latest_table(self.store)
        if not table:
            return self._ranking(Intent("ranking", order="all", by_rate=intent.by_rate))
        if intent.by_rate:
            table = sorted(table, key=lambda row: row.rate_rank or len(table) + 1)
        london = london_total(self.store, table)
        mine = next((r for r in table if r.figure.borough_code == code), None)
        rows = [[self._button("all_boroughs", "rank"), self._button("find_support", "help")]]
        reply = self._reply(
            "chart_ranking.html",
            "chart",
            rows,
            table=table,
            row=mine,
            borough=self.store.boroughs[code] if code else None,
            by_rate=intent.by_rate,
            london=london,
        )
        reply.pending_image = lambda: draw_or_none(
            lambda: self.charts.ranking(table, code, intent.by_rate, london)
        )
        return reply

    def _monthly(self, code: str) -> Reply:
        """A borough's every month as a chart, with the months in words in its caption."""
        monthly = monthly_for(self.store, code)
        if monthly is None:
            return self._trend(Intent("trend", (code,)))
        borough = self.store.boroughs[code]
        rows = [[self._button("support_in", "local", code), self._button("all_boroughs", "rank")]]
        reply = self._reply("monthly.html", "chart", rows, borough=borough, monthly=monthly)
        reply.pending_image = lambda: draw_or_none(
            lambda: self.charts.monthly(monthly, borough.name)
        )
        return reply

    def _arrests(self, intent: Intent) -> Reply:
        """Positive outcomes beside offences, then the only arrest rate ever published to us."""
        borough = self.store.boroughs[intent.boroughs[0]] if intent.boroughs else None
        rates = self.store.findings_of_kind("arrest_rate")
        rows = [[self._button("all_boroughs", "rank"), self._button("find_support", "help")]]
        if borough is not None:
            rows[0].insert(0, self._button("figures_of", "fig", borough.code))
        met = borough is None or borough.policed_by_met
        return self._reply(
            "arrests.html",
            "arrests",
            rows,
            borough=borough,
            outcomes=outcomes_for(self.store, borough.code) if borough and met else None,
            london_outcomes=outcomes_for(self.store) if met else None,
            rates=rates,
            has_own=any(f.area == (borough and borough.code) for f in rates),
            london=[f for f in self.store.findings("london") if "arrest" in f.statement],
        )

    def _which_borough(self, intent: Intent) -> Reply:
        """One button per borough the place spans, each carrying what they asked for."""
        action = "local" if intent.kind == "help" else "fig"
        choices = [self.store.boroughs[code] for code in intent.choices]
        row = [Button(b.name, buttons.encode(action, b.code)) for b in choices]
        if intent.kind == "compare" and intent.boroughs:  # keep the borough already named
            other = intent.boroughs[0]
            row = [
                Button(b.name, buttons.encode("cmp", f"{b.code}-{other}"))
                if b.code != other
                else Button(b.name, buttons.encode("fig", b.code))
                for b in choices
            ]
        rows = [row[i : i + 2] for i in range(0, len(row), 2)]
        return self._reply(
            "place_spans.html",
            "which_borough",
            rows,
            place=intent.place,
            choices=choices,
            partly_outside=intent.partly_outside,
        )

    def _outside_london(self, intent: Intent) -> Reply:
        """Somewhere outside London: say what we cover, with the national services."""
        services = self.services.values()
        specialist = signpost.for_need(services, intent.need) if intent.need else []
        # Services for anyone, wherever they live: never a London or borough service here.
        national = [
            s for s in services if s.is_national and "general" in s.needs and s not in specialist
        ]
        rows = [[self._button("help_now", "danger"), self._button("menu", "menu")]]
        return self._reply(
            "outside_london.html",
            "outside_london",
            rows,
            place=intent.place,
            specialist=specialist,
            national=national,
        )

    def _figures_or_ask(self, text: str) -> Reply:
        places = self.understander.gazetteer.find(text)
        if not places.boroughs and places.unsure:
            spans = places.unsure[0]
            return self._which_borough(
                Intent("figures", choices=spans.boroughs, place=spans.name,
                       partly_outside=spans.partly_outside)
            )  # fmt: skip
        if not places.boroughs and places.outside:
            return self._outside_london(Intent("outside_london", place=places.outside[0]))
        if not places.boroughs:
            return self._page("which_borough.html", "unknown")
        return self._figures(Intent("figures", places.boroughs))

    def _compare(self, intent: Intent) -> Reply:
        """Every borough named, in the order named: none is left out."""
        codes = list(dict.fromkeys(intent.boroughs))
        named = [(self.store.boroughs[code], latest_for(self.store, code)) for code in codes]
        held = [row for _, row in named if row is not None]
        rows = [[self._button("all_boroughs", "rank"), self._button("find_support", "help")]]
        same_period = len(held) >= 2 and len({row.figure.period for row in held}) == 1
        rated = [row for row in held if row.rate is not None]
        return self._reply(
            "compare.html",
            "compare",
            rows,
            named=named,
            held=held,
            same_period=same_period,
            most=max(held, key=lambda r: r.figure.count) if same_period else None,
            fewest=min(held, key=lambda r: r.figure.count) if same_period else None,
            highest_rate=max(rated, key=lambda r: r.rate or 0.0) if same_period and rated else None,
            lowest_rate=min(rated, key=lambda r: r.rate or 0.0) if same_period and rated else None,
        )

    def _borough_pair(self, argument: str) -> tuple[str, str] | None:
        """Two different known boroughs from a button's "CODE-CODE", else None."""
        first, _, second = argument.partition("-")
        known = self.store.boroughs
        return (first, second) if first in known and second in known and first != second else None

    def _compare_command(self, argument: str) -> Reply:
        places = self.understander.gazetteer.find(argument).boroughs
        if len(places) < 2:
            return self._page("compare_how.html", "unknown")
        return self._compare(Intent("compare", places))

    def _ranking(self, intent: Intent) -> Reply:
        period, missing_year = self._period_asked(intent)
        table = period_table(self.store, period) if period else latest_table(self.store)
        if intent.by_rate:
            table = sorted(table, key=lambda row: row.rate_rank or len(table) + 1)
        rows = [[self._button("find_support", "help"), self._button("about", "about")]]
        return self._reply(
            "ranking.html",
            "ranking",
            rows,
            table=table,
            order=intent.order,
            by_rate=intent.by_rate,
            london=self.store.findings("london"),
            total=london_total(self.store, table),
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

    def _sub_region(self, intent: Intent) -> Reply:
        region = intent.sub_region or ""
        # "Inner" and "Outer" London as the ONS groups boroughs; the rest, London Plan areas.
        inner_outer = region in ("Inner", "Outer")

        def within(code: str) -> bool:
            borough = self.store.boroughs[code]
            return (borough.inner_outer if inner_outer else borough.sub_region) == region

        members = [b for b in self.store.boroughs.values() if within(b.code)]
        table = [row for row in latest_table(self.store) if within(row.figure.borough_code)]
        with_figures = {row.figure.borough_code for row in table}
        rows = [[self._button("all_boroughs", "rank"), self._button("find_support", "help")]]
        return self._reply(
            "sub_region.html",
            "sub_region",
            rows,
            region=region,
            inner_outer=inner_outer,
            table=table,
            group=london_total(self.store, table),
            without=[b for b in members if b.code not in with_figures and b.policed_by_met],
            not_met=[b for b in members if not b.policed_by_met],
        )

    def _local_help(self, code: str) -> list:
        return signpost.local(self.services.values(), code)

    def _help(self, intent: Intent) -> Reply:
        services = self.services.values()
        need = intent.need
        code = intent.boroughs[0] if intent.boroughs else None
        specialist = signpost.for_need(services, need) if need else []
        local = self._local_help(code) if code and need not in signpost.VOICE_FREE else []
        shown = {s.id for s in specialist + local}
        wider = [s for s in signpost.general(services, need) if s.id not in shown]
        rows = self._need_rows() if not need and not code else []
        rows.append([self._button("help_now", "danger"), self._button("menu", "menu")])
        borough = self.store.boroughs[code] if code else None
        return self._reply(
            "help.html",
            "help",
            rows,
            need=need,
            borough=borough,
            specialist=specialist,
            local=local,
            wider=wider,
        )

    def _services_command(self, argument: str) -> Reply:
        """/services [borough or need]: the same help answer, read from the argument."""
        intent = self.understander.read(argument) if argument.strip() else Intent("help")
        if intent.kind == "danger":
            return self._danger(intent)
        if intent.kind == "outside_london":
            return self._outside_london(intent)
        if intent.choices:
            return self._which_borough(replace(intent, kind="help"))
        return self._help(Intent("help", intent.boroughs, need=intent.need))

    def _need_rows(self) -> list[list[Button]]:
        needs = list(signpost.NEED_BUTTONS)
        return [
            [self._button(f"need_{n}", "need", n) for n in needs[i : i + 3]]
            for i in range(0, len(needs), 3)
        ]

    def _service(self, intent: Intent) -> Reply:
        service = self.services[intent.service_id or ""]
        rows = [[self._button("find_support", "help"), self._button("menu", "menu")]]
        return self._reply("service.html", "service", rows, service=service)

    def _about(self) -> Reply:
        return self._reply(
            "about.html",
            "about",
            self._menu_rows(),
            periods=period_groups(self.store),
            censuses=self.store.census_sources(),
            built_at=self.store.meta("built_at"),
        )


@cache
def default_conversation(data: Path | None = None, store_path: Path | None = None) -> Conversation:
    """The process-wide core over data/ and the default store (built on first use)."""
    return Conversation(load_store(data or data_dir(), store_path or default_store_path()))


def answer(text: str) -> Reply:
    """answer(text) -> Reply with the default data and store."""
    return default_conversation().answer(text)
