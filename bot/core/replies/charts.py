"""Replies with a picture: a borough's trend, its months, or every borough ranked.

The words go out whatever happens to the picture: the reply asks for it as plain data
(Reply.chart), it is drawn later (draw), and a chart that cannot be drawn leaves the reply
without one.
"""

from __future__ import annotations

from pathlib import Path
from typing import assert_never

from bot.core.charts import Charts, draw_or_none
from bot.core.figures import by_rate, latest_table
from bot.core.monthly import monthly_for
from bot.core.replies.base import Replier
from bot.core.replies.figures import FigureReplies
from bot.core.trends import london_total, trend_for
from bot.core.understand import Intent
from bot.domain.models import ChartKind, ChartRequest, IntentKind, Reply


class ChartReplies:
    def __init__(self, kit: Replier, figures: FigureReplies, charts: Charts):
        self.kit = kit
        self.store = kit.store
        self.figures = figures
        self.charts = charts

    def trend(self, intent: Intent) -> Reply:
        """A borough's figures over every whole year, with the trend chart."""
        code = intent.boroughs[0]
        borough = self.store.boroughs[code]
        trend = trend_for(self.store, code) if borough.policed_by_met else None
        if trend is None:
            return self.figures.borough(Intent(IntentKind.FIGURES, (code,)))
        rows = self.kit.borough_rows(code)
        reply = self.kit.reply("trend.html", IntentKind.TREND, rows, borough=borough, trend=trend)
        if trend.years > 1:
            reply.chart = ChartRequest(ChartKind.TREND, code)
        return reply

    def chart(self, intent: Intent) -> Reply:
        """A picture: a borough's trend, or every borough ranked (the asked-about one in colour)."""
        kit, store = self.kit, self.store
        code = intent.boroughs[0] if intent.boroughs else None
        if code and not store.boroughs[code].policed_by_met:
            return self.figures.borough(Intent(IntentKind.FIGURES, (code,)))
        if code and intent.monthly:
            return self.monthly(code)
        if code and intent.order is None:
            trend = trend_for(store, code)
            if trend is not None and trend.years > 1:
                return self.trend(Intent(IntentKind.TREND, (code,)))
        table = latest_table(store)
        if not table:
            return self.figures.ranking(
                Intent(IntentKind.RANKING, order="all", by_rate=intent.by_rate)
            )
        if intent.by_rate:
            table = by_rate(table)
        london = london_total(store, table)
        mine = next((r for r in table if r.figure.borough_code == code), None)
        rows = kit.figures_rows()
        reply = kit.reply(
            "chart_ranking.html",
            IntentKind.CHART,
            rows,
            table=table,
            row=mine,
            borough=store.boroughs[code] if code else None,
            by_rate=intent.by_rate,
            london=london,
        )
        reply.chart = ChartRequest(ChartKind.RANKING, code, intent.by_rate)
        return reply

    def monthly(self, code: str) -> Reply:
        """A borough's every month as a chart, with the months in words in its caption."""
        monthly = monthly_for(self.store, code)
        if monthly is None:
            return self.trend(Intent(IntentKind.TREND, (code,)))
        borough = self.store.boroughs[code]
        rows = self.kit.borough_rows(code)
        reply = self.kit.reply(
            "monthly.html", IntentKind.CHART, rows, borough=borough, monthly=monthly
        )
        reply.chart = ChartRequest(ChartKind.MONTHLY, code)
        return reply

    def draw(self, request: ChartRequest) -> Path | None:
        """The picture a reply asked for (None when it cannot be drawn: the words still go)."""
        store, code = self.store, request.borough_code
        name = store.boroughs[code].name if code else ""
        match request.kind:
            case ChartKind.TREND:
                trend = trend_for(store, code) if code else None
                return draw_or_none(lambda: self.charts.trend(trend, name)) if trend else None
            case ChartKind.MONTHLY:
                monthly = monthly_for(store, code) if code else None
                if monthly is None:
                    return None
                return draw_or_none(lambda: self.charts.monthly(monthly, name))
            case ChartKind.RANKING:
                table = latest_table(store)
                if not table:
                    return None
                if request.by_rate:
                    table = by_rate(table)
                london = london_total(store, table)
                return draw_or_none(
                    lambda: self.charts.ranking(table, code, request.by_rate, london)
                )
            case _:
                assert_never(request.kind)
