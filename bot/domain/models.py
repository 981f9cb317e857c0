"""Plain data passed between the store, the core and the fronts (no Telegram types)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from bot.domain.kinds import (
    MET_POLICE,
    InnerOuter,
    Measure,
    PlaceKind,
    ServiceStatus,
    SubRegion,
)
from bot.domain.periods import series_of, short_label


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    name: str
    publisher: str
    url: str
    note: str = ""
    licence: str = ""


@dataclass(frozen=True, slots=True)
class Borough:
    code: str
    name: str
    inner_outer: InnerOuter
    sub_region: SubRegion
    population_2011: int
    police_force: str
    aliases: tuple[str, ...] = ()

    @property
    def policed_by_met(self) -> bool:
        return self.police_force == MET_POLICE


@dataclass(frozen=True, slots=True)
class Place:
    """A name people use for part of London (or for somewhere outside it) and its borough(s)."""

    name: str
    kind: PlaceKind
    boroughs: tuple[str, ...] = ()
    # One of kinds.OutsideLondon: "no", "partly" or "yes". Plain str until the core's
    # gazetteer (bot/core/places.py) builds it from that type rather than from a str.
    outside_london: str = "no"
    ordinary_word: bool = False  # also an everyday word: a place only when said as one


@dataclass(frozen=True, slots=True)
class Population:
    borough_code: str
    year: int
    count: int
    source: Source


@dataclass(frozen=True, slots=True)
class Figure:
    """One count for one borough, one period and one measure, with where it came from."""

    borough_code: str
    borough_name: str
    period: str
    period_label: str
    period_start: str
    period_end: str
    partial: bool
    measure: Measure
    count: int
    source: Source

    @property
    def series(self) -> str:
        """Which periods it is comparable with: "fy", "cy", or e.g. "article"."""
        return series_of(self.period)

    @property
    def short_label(self) -> str:
        """The Met's years as "2023-24" or "2023"; other periods keep their label."""
        return short_label(self.period, self.period_label)


@dataclass(frozen=True, slots=True)
class PeriodSummary:
    """One period we hold figures for: what it covers, where it came from, how many boroughs."""

    period: str
    label: str
    start: str
    end: str
    partial: bool
    source: Source
    boroughs: int

    @property
    def series(self) -> str:
        return series_of(self.period)

    @property
    def short_label(self) -> str:
        return short_label(self.period, self.label)


@dataclass(frozen=True, slots=True)
class Finding:
    """A published statement we can quote (an arrest rate, a London-wide note)."""

    id: str
    area: str
    kind: str
    value: float | None
    period_label: str
    statement: str
    source: Source


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    name: str
    aliases: tuple[str, ...]
    phone: str
    how_to_contact: str
    website: str
    who_for: str
    hours: str
    areas: tuple[str, ...]
    needs: tuple[str, ...]
    status: ServiceStatus
    caveat: str
    source: str
    last_checked: str
    rank: int

    @property
    def confirmed(self) -> bool:
        return self.status == ServiceStatus.CONFIRMED

    @property
    def is_national(self) -> bool:
        return "national" in self.areas


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button as plain data: the front decides how to show it."""

    label: str
    data: str


class Effect(StrEnum):
    """Something a front must do besides sending words: the core decides, each front acts."""

    ERASE = "erase"  # the quick exit: erase this conversation (Telegram) or the screen


class IntentKind(StrEnum):
    """What a message asks for (the core's Intent.kind) and what a reply answers (Reply.intent).

    A StrEnum, so `reply.intent == "danger"` still holds wherever it is compared.
    """

    DANGER = "danger"
    FIGURES = "figures"
    TREND = "trend"
    CHART = "chart"
    COMPARE = "compare"
    RANKING = "ranking"
    SUB_REGION = "sub_region"
    HELP = "help"
    SERVICE = "service"
    GREETING = "greeting"
    MENU = "menu"
    THANKS = "thanks"
    ABOUT = "about"
    PRIVACY = "privacy"
    UNKNOWN = "unknown"
    OUTSIDE_LONDON = "outside_london"
    WHO_AM_I = "who_am_i"
    LEAVE = "leave"
    # Replies only: arrests for a figures question, a question back, /start.
    ARRESTS = "arrests"
    WHICH_BOROUGH = "which_borough"
    START = "start"
    LANGUAGE = "language"  # the list of languages, or one chosen


class ChartKind(StrEnum):
    TREND = "trend"  # a borough's whole years
    MONTHLY = "monthly"  # a borough's every month
    RANKING = "ranking"  # every borough in the newest whole year


@dataclass(frozen=True, slots=True)
class ChartRequest:
    """A picture still to draw, as plain data: the core draws it when a front asks."""

    kind: ChartKind
    borough_code: str | None = None  # the borough drawn, or highlighted in a ranking
    by_rate: bool = False  # a ranking per 1,000 residents


@dataclass(frozen=True, slots=True)
class Context:
    """What the previous turn was about, as codes only (never the words said).

    The core reads a follow-up ("what about brent", "and the year before?") with it and
    hands back the one to keep on its Reply; the session keeps it per chat.
    """

    kind: IntentKind  # the topic answered: figures, a trend, a comparison, help...
    boroughs: tuple[str, ...] = ()  # borough codes
    need: str | None = None  # a signpost need code ("men", "friend"), for help
    year: int | None = None  # the year its figures were for, if known
    financial_year: bool = False  # year is the start of a financial year
    by_rate: bool = False  # asked per 1,000 residents


@dataclass(slots=True)
class Reply:
    """What the core answers: Telegram-HTML text, button rows and an optional picture."""

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    image: Path | None = None
    intent: IntentKind | str = ""  # an IntentKind from the core; a front may name its own
    effects: tuple[Effect, ...] = ()
    context: Context | None = None  # what a follow-up to this reply is about (codes only)
    # A picture still to draw: a chart's first drawing takes about a second in another
    # process. The core's entry points draw it unless asked not to (draw=False); a front
    # that must not wait hands the reply to Conversation.draw where waiting is harmless.
    chart: ChartRequest | None = None
