"""The core: answer(text) -> Reply. Knows nothing of Telegram or the terminal.

A message, a button or a slash command becomes an Intent; the Conversation chooses the
reply for it (bot/core/replies/, by topic), exhaustively: every kind has its answer.
"""

from __future__ import annotations

from dataclasses import replace
from typing import assert_never

from bot.core import buttons, signpost
from bot.core.buttons import Action
from bot.core.charts import Charts
from bot.core.figures import latest_whole
from bot.core.language_choice import LanguageChooser
from bot.core.languages import CODES, autonym, current, supported, using
from bot.core.places import Gazetteer
from bot.core.render import Renderer
from bot.core.replies.base import Replier
from bot.core.replies.charts import ChartReplies
from bot.core.replies.figures import FigureReplies
from bot.core.replies.help import HelpReplies
from bot.core.signpost import Need
from bot.core.trends import period_groups
from bot.core.understand import Intent, Understander
from bot.core.understand.languages import WordLists
from bot.data.store import Store
from bot.domain.models import Button, Context, Effect, IntentKind, Reply
from bot.domain.periods import financial_year_id

# Longer messages are read up to here: enough for any real message, bounded work.
MAX_READ_CHARS = 10_000
# The questions about figures that arrests and outcomes answer when they are asked about.
_ARREST_KINDS = frozenset({IntentKind.FIGURES, IntentKind.RANKING, IntentKind.COMPARE})
# Answers a follow-up can carry on from; after danger or leaving, nothing is carried on.
_TOPICS = frozenset(
    {IntentKind.FIGURES, IntentKind.TREND, IntentKind.CHART, IntentKind.COMPARE,
     IntentKind.RANKING, IntentKind.HELP}
)  # fmt: skip
_FORGET = frozenset({IntentKind.DANGER, IntentKind.LEAVE, IntentKind.START})


class Conversation:
    """Answers one message at a time. Holds no per-person state."""

    def __init__(self, store: Store, renderer: Renderer | None = None):
        self.store = store
        self.services = store.services
        # Its own renderer over the same templates: the one given is never changed.
        self.renderer = (renderer or Renderer()).with_globals(
            services=self.services, sources=store.sources, boroughs=store.boroughs
        )
        gazetteer = Gazetteer(store.boroughs.values(), store.places)
        word_lists = WordLists(self.renderer.catalogs.folder, CODES)
        self.understander = Understander(gazetteer, self.services.values(), word_lists)
        # Names are the same in every language: never evidence of one.
        names = [b.name for b in store.boroughs.values()] + [p.name for p in store.places]
        names += [n for s in self.services.values() for n in (s.name, *s.aliases)]
        self.languages = LanguageChooser(word_lists, names)
        # Beside the store, one folder per data version (never in the repository).
        self.charts = Charts(
            store.path.parent / "charts", store.meta("fingerprint") or "", self.renderer
        )
        self.kit = Replier(store, self.renderer)
        self.help = HelpReplies(self.kit)
        self.figures = FigureReplies(self.kit)
        self.pictures = ChartReplies(self.kit, self.figures, self.charts)
        self._newest_years: dict[str, tuple[int | None, bool]] = {}  # borough code ("": London)

    # -- entry points ---------------------------------------------------------

    def answer(
        self,
        text: str | None,
        *,
        draw: bool = True,
        context: Context | None = None,
        language: str = "en",
    ) -> Reply:
        """The reply to one message of free text (draw=False: see Reply.chart and draw).

        With the previous reply's context a follow-up ("what about brent") is understood;
        the reply carries the context to keep for the next message (codes only). The reply
        is in `language` (a code of languages.CODES; English for any other).
        """
        with using(language) as code:
            return self._drawn(self._answer(text, context, code), draw)

    def press(
        self,
        data: str | None,
        *,
        draw: bool = True,
        context: Context | None = None,
        language: str = "en",
    ) -> Reply:
        """The reply to a button press; unknown or tampered data gets the menu.

        Like answer(), it takes the context so far and hands back the one to keep.
        """
        with using(language):
            intent = self._pressed(data)
            return self._drawn(self._kept(self._reply_to(intent), intent, context), draw)

    def command(
        self, name: str, argument: str = "", *, draw: bool = True, language: str = "en"
    ) -> Reply:
        """A slash command from any front: /figures croydon, /compare a b, /services men."""
        with using(language):
            return self._drawn(self._command(name, argument), draw)

    def draw(self, reply: Reply) -> Reply:
        """Draw the picture a reply asked for, once; image stays None when it cannot be drawn."""
        if reply.chart is not None:
            request, reply.chart = reply.chart, None
            reply.image = self.pictures.draw(request)
        return reply

    def _drawn(self, reply: Reply, draw: bool) -> Reply:
        return self.draw(reply) if draw else reply

    def _answer(self, text: str | None, context: Context | None, language: str) -> Reply:
        intent = self.understander.read((text or "")[:MAX_READ_CHARS], context, language)
        if intent.choices:  # a place that spans boroughs: ask, never guess
            reply = self._which_borough(intent)
        elif intent.arrests and intent.kind in _ARREST_KINDS:
            reply = self.figures.arrests(intent)
        else:
            reply = self._reply_to(intent)
        return self._kept(reply, intent, context)

    def _kept(self, reply: Reply, intent: Intent, context: Context | None) -> Reply:
        reply.context = self._context_after(intent, context)  # a new Reply: ours to fill in
        return reply

    def _context_after(self, intent: Intent, context: Context | None) -> Context | None:
        """What the next message may follow on from: this answer's topic, or the last one."""
        if intent.kind in _FORGET:
            return None
        if intent.kind not in _TOPICS or intent.choices:
            return context  # "thanks", "what?": the conversation is still about the same
        year, financial = intent.year, intent.financial_year
        if intent.kind not in (IntentKind.FIGURES, IntentKind.RANKING):
            year, financial = None, False  # other answers show the newest year, whatever was said
        elif year is None:
            year, financial = self._newest_year(intent.boroughs)
        return Context(
            intent.kind,
            intent.boroughs,
            need=intent.need.value if intent.need else None,
            year=year,
            financial_year=financial,
            by_rate=intent.by_rate,
        )

    def _newest_year(self, boroughs: tuple[str, ...]) -> tuple[int | None, bool]:
        """The year a figures answer or a ranking shows when none is named: the newest."""
        key = boroughs[0] if boroughs else ""
        if key not in self._newest_years:  # the store does not change under a Conversation
            self._newest_years[key] = self._newest_year_of(key)
        return self._newest_years[key]

    def _newest_year_of(self, code: str) -> tuple[int | None, bool]:
        if code:
            newest = latest_whole(self.store.figures_for(code))
            period = newest.period if newest else None
        else:
            period = self.store.latest_period()
        if period is None:
            return None, False
        year = int(period[2:6]) if period[2:6].isdigit() else 0
        if period == financial_year_id(year):
            return year, True
        return (year, False) if period == f"cy{year}" else (None, False)

    def _reply_to(self, intent: Intent) -> Reply:
        """The reply for each kind of intent: mypy checks that none is left out."""
        kind = intent.kind
        match kind:
            case IntentKind.DANGER:
                return self.help.danger(intent)
            case IntentKind.HELP:
                return self.help.services(intent)
            case IntentKind.SERVICE:
                return self.help.service(intent)
            case IntentKind.OUTSIDE_LONDON:
                return self.help.outside_london(intent)
            case IntentKind.FIGURES:
                return self.figures.borough(intent)
            case IntentKind.COMPARE:
                return self.figures.compare(intent)
            case IntentKind.RANKING:
                return self.figures.ranking(intent)
            case IntentKind.SUB_REGION:
                return self.figures.sub_region(intent)
            case IntentKind.ARRESTS:
                return self.figures.arrests(intent)
            case IntentKind.TREND:
                return self.pictures.trend(intent)
            case IntentKind.CHART:
                return self.pictures.chart(intent)
            case IntentKind.WHICH_BOROUGH:
                return self._which_borough(intent)
            case IntentKind.ABOUT:
                return self._about()
            case IntentKind.LEAVE:
                return self._leave()
            case IntentKind.GREETING:
                return self.kit.page("greeting.html", kind)
            case IntentKind.MENU:
                return self.kit.page("menu.html", kind)
            case IntentKind.THANKS:
                return self.kit.page("thanks.html", kind)
            case IntentKind.PRIVACY:
                return self.kit.page("privacy.html", kind)
            case IntentKind.UNKNOWN:
                return self.kit.page("not_understood.html", kind)
            case IntentKind.WHO_AM_I:
                return self.kit.page("who_am_i.html", kind)
            case IntentKind.START:
                return self.kit.page("start.html", kind)
            case IntentKind.LANGUAGE:
                return self.language_list(intent.language)
            case _:
                assert_never(kind)

    def _pressed(self, data: str | None) -> Intent:
        """What a button asks for; unknown or tampered data asks for the menu."""
        press = buttons.decode(data)
        if press is None:
            return Intent(IntentKind.MENU)
        action, arg = press.action, press.argument
        match action:
            case Action.DANGER:
                return Intent(IntentKind.DANGER)
            case Action.HELP:
                return Intent(IntentKind.HELP)
            case Action.NEED if arg in signpost.NEEDS:
                return Intent(IntentKind.HELP, need=Need(arg))
            case Action.LOCAL if arg in self.store.boroughs:
                return Intent(IntentKind.HELP, (arg,))
            case Action.FIGURES if arg in self.store.boroughs:
                return Intent(IntentKind.FIGURES, (arg,))
            case Action.COMPARE if pair := self._borough_pair(arg):
                return Intent(IntentKind.COMPARE, pair)
            case Action.NEED | Action.LOCAL | Action.FIGURES | Action.COMPARE:
                return Intent(IntentKind.MENU)  # an unknown need or borough: tampered with, or old
            case Action.RANKING:
                return Intent(IntentKind.RANKING, order="all")
            case Action.ABOUT:
                return Intent(IntentKind.ABOUT)
            case Action.PRIVACY:
                return Intent(IntentKind.PRIVACY)
            case Action.MENU | Action.EXIT:  # the exit button is the front's to carry out
                return Intent(IntentKind.MENU)
            case Action.LANGUAGES | Action.LANGUAGE:  # the session keeps a language chosen
                return Intent(IntentKind.LANGUAGE, language=supported(arg))
            case _:
                assert_never(action)

    def _command(self, name: str, argument: str) -> Reply:
        # Danger comes first here too: "/figures he has a knife" is someone in danger.
        if argument.strip() and self.understander.read(argument).kind == IntentKind.DANGER:
            return self.help.danger(Intent(IntentKind.DANGER))
        match name:
            case "start":
                return self.kit.page("start.html", IntentKind.START)
            case "help" | "menu":
                return self._menu()
            case "emergency":
                return self.help.danger(Intent(IntentKind.DANGER))
            case "about":
                return self._about()
            case "privacy":
                return self.kit.page("privacy.html", IntentKind.PRIVACY)
            case "figures":
                if not argument.strip():
                    return self.figures.ranking(Intent(IntentKind.RANKING, order="all"))
                return self._figures_or_ask(argument)
            case "compare":
                return self._compare_command(argument)
            case "services":
                return self._services_command(argument)
        return self._menu()

    # -- replies that choose between topics -------------------------------------------

    def _menu(self) -> Reply:
        return self.kit.page("menu.html", IntentKind.MENU)

    def language_list(self, chosen: str | None = None, unknown: bool = False) -> Reply:
        """Every language we reply in, by its own name, with who translated it; a button each.

        `chosen`: the language just chosen (the reply is in it); `unknown`: one asked for
        that we do not have.
        """
        catalogs = self.renderer.catalogs
        available = catalogs.available()
        with using(chosen or current()):
            listed = [
                {"name": autonym(c), "translator": catalogs.get(c).translator} for c in available
            ]
            text = self.renderer.render(
                "language.html",
                chosen=autonym(chosen) if chosen else "",
                unknown=unknown,
                languages=listed,
            )
        rows = [
            [Button(autonym(c), buttons.encode(Action.LANGUAGE, c)) for c in available[i : i + 3]]
            for i in range(0, len(available), 3)
        ]
        return Reply(text, rows, intent=IntentKind.LANGUAGE)

    def _leave(self) -> Reply:
        """Leave quickly: every front erases (the words are for a front that cannot)."""
        return replace(self.kit.reply("leave.html", IntentKind.LEAVE), effects=(Effect.ERASE,))

    def _about(self) -> Reply:
        return self.kit.reply(
            "about.html",
            IntentKind.ABOUT,
            self.kit.menu_rows(),
            periods=period_groups(self.store),
            censuses=self.store.census_sources(),
            built_at=self.store.meta("built_at"),
        )

    def _which_borough(self, intent: Intent) -> Reply:
        """One button per borough the place spans, each carrying what they asked for."""
        action = Action.LOCAL if intent.kind == IntentKind.HELP else Action.FIGURES
        choices = [self.store.boroughs[code] for code in intent.choices]
        row = [Button(b.name, buttons.encode(action, b.code)) for b in choices]
        if intent.kind == IntentKind.COMPARE and intent.boroughs:  # keep the one already named
            other = intent.boroughs[0]
            row = [
                Button(b.name, buttons.encode(Action.COMPARE, f"{b.code}-{other}"))
                if b.code != other
                else Button(b.name, buttons.encode(Action.FIGURES, b.code))
                for b in choices
            ]
        rows = [row[i : i + 2] for i in range(0, len(row), 2)]
        return self.kit.reply(
            "place_spans.html",
            IntentKind.WHICH_BOROUGH,
            rows,
            place=intent.place,
            choices=choices,
            partly_outside=intent.partly_outside,
        )

    def _figures_or_ask(self, text: str) -> Reply:
        places = self.understander.gazetteer.find(text)
        if not places.boroughs and places.unsure:
            spans = places.unsure[0]
            return self._which_borough(
                Intent(IntentKind.FIGURES, choices=spans.boroughs, place=spans.name,
                       partly_outside=spans.partly_outside)
            )  # fmt: skip
        if not places.boroughs and places.outside:
            outside = Intent(IntentKind.OUTSIDE_LONDON, place=places.outside[0])
            return self.help.outside_london(outside)
        if not places.boroughs:
            return self.kit.page("which_borough.html", IntentKind.UNKNOWN)
        return self.figures.borough(Intent(IntentKind.FIGURES, places.boroughs))

    def _borough_pair(self, argument: str) -> tuple[str, str] | None:
        """Two different known boroughs from a button's "CODE-CODE", else None."""
        first, _, second = argument.partition("-")
        known = self.store.boroughs
        return (first, second) if first in known and second in known and first != second else None

    def _compare_command(self, argument: str) -> Reply:
        places = self.understander.gazetteer.find(argument).boroughs
        if len(places) < 2:
            return self.kit.page("compare_how.html", IntentKind.UNKNOWN)
        return self.figures.compare(Intent(IntentKind.COMPARE, places))

    def _services_command(self, argument: str) -> Reply:
        """/services [borough or need]: the same help answer, read from the argument."""
        if not argument.strip():
            return self.help.services(Intent(IntentKind.HELP))
        intent = self.understander.read(argument)
        if intent.kind == IntentKind.DANGER:
            return self.help.danger(intent)
        if intent.kind == IntentKind.OUTSIDE_LONDON:
            return self.help.outside_london(intent)
        if intent.choices:
            return self._which_borough(replace(intent, kind=IntentKind.HELP))
        return self.help.services(Intent(IntentKind.HELP, intent.boroughs, need=intent.need))
