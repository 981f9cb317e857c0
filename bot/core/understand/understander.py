"""The Understander: a message -> an Intent. Danger is checked before anything else."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from bot.core.place_mentions import Places
from bot.core.places import Gazetteer, normalise
from bot.core.understand import questions as asked
from bot.core.understand.danger import is_danger
from bot.core.understand.follow_up import follow, year_named
from bot.core.understand.intent import Intent, Order
from bot.core.understand.languages import WordLists
from bot.core.understand.needs import danger_need, need_of
from bot.core.understand.words import words_of
from bot.domain.models import Context, IntentKind, Service


def _long_enough(alias: str) -> bool:
    """Short aliases are everyday words ("men"); numbers like 101 and 999 are not."""
    return len(alias) >= 4 or alias == "sbs" or (alias.isdigit() and len(alias) >= 3)


# Answers that depend on which borough: a place that spans boroughs gets a question first.
_BOROUGH_KINDS = frozenset(
    {IntentKind.FIGURES, IntentKind.TREND, IntentKind.CHART, IntentKind.COMPARE, IntentKind.HELP}
)
# Answers for London, or for a borough: a place outside London is told what we cover.
_LOCAL_KINDS = _BOROUGH_KINDS | {IntentKind.RANKING, IntentKind.SUB_REGION, IntentKind.UNKNOWN}
# Kinds of figures answer that can be for a named year.
_YEAR_KINDS = frozenset({IntentKind.FIGURES, IntentKind.RANKING})


class Understander:
    """Reads messages for one set of places and services; holds nothing about any person."""

    def __init__(
        self, gazetteer: Gazetteer, services: Iterable[Service], words: WordLists | None = None
    ):
        self.words = words  # other languages' danger and need words (languages.py)
        services = list(services)
        names = [
            (alias, service.id)
            for service in services
            for alias in (service.name, *service.aliases)
            if _long_enough(normalise(alias))
        ]
        # "Southall Black Sisters" is no place: a copy that knows, the gazetteer given unchanged.
        self.gazetteer = gazetteer.ignoring(alias for alias, _ in names)
        self.service_words = {s.id: set(words_of(s.name).split()) for s in services}
        self.service_names = sorted(
            ((words_of(alias), service_id) for alias, service_id in names),
            key=lambda pair: -len(pair[0]),
        )

    def read(self, text: str, context: Context | None = None, language: str = "en") -> Intent:
        """What a message asks for; with the previous turn's context, a follow-up too.

        `language` is the message's, when known: its own need words come first.
        """
        said = words_of(text)
        places = self.gazetteer.find(text)
        if is_danger(said) or (self.words and self.words.danger(text)):
            return Intent(IntentKind.DANGER, places.boroughs, need=danger_need(said))
        if self.words and (found := self.words.need(text, language)):
            return Intent(IntentKind.HELP, places.boroughs, need=found[1])
        if not said:
            return Intent(IntentKind.UNKNOWN)
        intent = self._kind(said, places)
        if intent.kind in _YEAR_KINDS:
            intent = self._with_year(intent, said)
        return follow(self._placed(intent, places, said), said, context)

    def _kind(self, said: str, places: Places) -> Intent:
        boroughs = places.boroughs
        if asked.PHONE_CHECKED.search(said):
            return Intent(IntentKind.PRIVACY)
        if asked.LEAVE_ONLY.match(said) or (
            asked.LEAVE.search(said) and not asked.MADE_TO_DELETE.search(said)
        ):
            return Intent(IntentKind.PRIVACY if asked.HOW_TO_HIDE.match(said) else IntentKind.LEAVE)
        if service_id := self._service(said):
            return Intent(IntentKind.SERVICE, boroughs, service_id=service_id)
        if asked.WHO_AM_I_ONLY.match(said) or asked.WHO_AM_I.search(said):
            return Intent(IntentKind.WHO_AM_I)
        if asked.MENU.match(said):
            return Intent(IntentKind.MENU)
        need = need_of(said)
        plain = asked.NEUTRAL.sub(" ", said)
        # ... unless it is about the figures ("where do the honour abuse figures come from").
        disclosed = (need or asked.DISCLOSED.search(plain)) and not asked.FIGURES.search(said)
        if not disclosed and asked.PRIVACY.search(said):
            return Intent(IntentKind.PRIVACY)
        if not disclosed and asked.ABOUT.search(said):
            return Intent(IntentKind.ABOUT, boroughs)
        helping = bool(asked.HELP.search(plain))
        figures = bool(asked.FIGURES.search(said))
        arrests = bool(asked.ARRESTS.search(said))
        by_rate = bool(asked.RATE.search(asked.ARREST_RATE.sub(" ", said)))
        order: Order | None = (
            "highest"
            if asked.HIGHEST.search(said)
            else "lowest"
            if asked.LOWEST.search(said)
            else None
        )
        region = asked.SUB_REGION.search(said)
        placed = bool(boroughs or places.unsure)
        if need:
            return Intent(IntentKind.HELP, boroughs, need=need)
        if asked.GREETING.match(said):  # the whole message is a hello
            return Intent(IntentKind.GREETING)
        if region and not placed and (figures or not helping):
            return Intent(IntentKind.SUB_REGION, sub_region=region[1].title(), by_rate=by_rate)
        inner_outer = asked.INNER_OUTER.search(said)
        if inner_outer and not placed and (figures or not helping):
            return Intent(IntentKind.SUB_REGION, sub_region=inner_outer[1].title(), by_rate=by_rate)
        if boroughs and asked.MONTHLY.search(said) and not need:
            return Intent(IntentKind.CHART, boroughs[:1], monthly=True)
        if asked.CHART.search(said):
            # With a borough, a chart is its trend unless they ask where it stands: a ranking.
            ranked = not boroughs or bool(order or asked.RANKING_CHART.search(said))
            return Intent(
                IntentKind.CHART,
                boroughs[:1],
                by_rate=by_rate,
                order=(order or "all") if ranked else None,
            )
        # Every borough named is kept (the core notes those beyond two); a borough compared with
        # a place that spans boroughs ("compare W4 and croydon") asks which, never drops it.
        compared = asked.COMPARE.search(said)
        if (len(boroughs) >= 2 and (compared or figures or not helping)) or (
            len(boroughs) == 1 and places.unsure and compared
        ):
            return Intent(IntentKind.COMPARE, boroughs, by_rate=by_rate, arrests=arrests)
        if placed and asked.TREND.search(said):
            return Intent(IntentKind.TREND, boroughs[:1])
        if (helping and not figures) or (asked.LIVE_HERE.match(said) and not figures):
            return Intent(IntentKind.HELP, boroughs)
        if placed or places.outside:
            return Intent(IntentKind.FIGURES, boroughs, by_rate=by_rate, arrests=arrests)
        if figures or ((order or asked.RANKING.search(said)) and asked.AREAS.search(said)):
            return Intent(
                IntentKind.RANKING, order=order or "all", by_rate=by_rate, arrests=arrests
            )
        if helping:
            return Intent(IntentKind.HELP)
        if asked.THANKS.search(said):
            return Intent(IntentKind.THANKS)
        if asked.ABOUT_THEM.search(said):
            return Intent(IntentKind.HELP)
        return Intent(IntentKind.UNKNOWN)

    @staticmethod
    def _with_year(intent: Intent, said: str) -> Intent:
        """The year named, if any: "2022-23" is a financial year, "2022" a calendar one."""
        named = year_named(said)
        return replace(intent, year=named[0], financial_year=named[1]) if named else intent

    def _placed(self, intent: Intent, places: Places, said: str) -> Intent:
        """Outside London, or a place that spans boroughs: say so, or ask which."""
        kind = intent.kind
        local = kind in _LOCAL_KINDS
        somewhere_else = places.outside or asked.OUTSIDE_SAID.search(said)
        if local and somewhere_else and not places.boroughs and not places.unsure:
            name = places.outside[0] if places.outside else None
            return Intent(IntentKind.OUTSIDE_LONDON, need=intent.need, place=name)
        if kind not in _BOROUGH_KINDS or not places.unsure or intent.need:
            return intent
        if len(intent.boroughs) >= (2 if kind == IntentKind.COMPARE else 1):
            return intent
        unsure = places.unsure[0]
        return Intent(
            IntentKind.FIGURES if kind == IntentKind.COMPARE and not intent.boroughs else kind,
            intent.boroughs,
            by_rate=intent.by_rate,
            arrests=intent.arrests,
            year=intent.year,
            financial_year=intent.financial_year,
            monthly=intent.monthly,
            choices=unsure.boroughs,
            place=unsure.name,
            partly_outside=unsure.partly_outside,
        )

    def _service(self, said: str) -> str | None:
        """A service named on its own, or with a question about how to reach it."""
        padded = f" {said} "
        for name, service_id in self.service_names:
            if f" {name} " not in padded:
                continue
            rest = padded.replace(f" {name} ", " ").split()
            own = self.service_words[service_id]
            ask = asked.NUMBER_ASK if name.isdigit() else ()
            if asked.SERVICE_ASK.search(said) or all(
                w in asked.NAME_ONLY or w in own or w in ask for w in rest
            ):
                return service_id
        return None
