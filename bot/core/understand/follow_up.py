"""Following a conversation: a message read with what the previous turn was about.

"what about brent", "and the year before?", "has it got worse there?", "how does that
compare with lambeth", "he lives in enfield" (after a question about a friend). The
previous turn comes in as a Context of codes; danger is read before this, never after.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.core.signpost import NEEDS, Need
from bot.core.understand import questions as asked
from bot.core.understand.intent import Intent
from bot.core.understand.rules import rx
from bot.domain.models import Context, IntentKind

# A message that carries on from the last one: "what about brent", "and lambeth?".
CARRY_ON = re.compile(
    r"^(ok |okay |so |right |and |but )*((what|how) (about|of)|and|same (for|in)|now|then)\b"
)
YEAR_BEFORE = rx(
    r"(the |a )?(year|one) (before|earlier|prior)|previous year|before that|the year previous"
)
# It changed, said of the place just talked about.
CHANGED = rx(
    r"worse|better|gone (up|down)|go (up|down)|went (up|down)|changed?|improved?|increased?"
    r"|decreased?|dropped|rising|falling"
)
# Compared with the borough just talked about ("how does that compare with lambeth").
COMPARED = rx(r"compar\w*|vs|versus|against|difference|than|(and|with) (that|it|there|them)")
# The place just talked about: "there", "it", "that borough".
THERE = rx(r"there|it|that|them|this (borough|area|place)|that (borough|area|place)|same")
# Answers with borough(s) that a follow-up can carry on.
FIGURE_KINDS = frozenset(
    {IntentKind.FIGURES, IntentKind.TREND, IntentKind.CHART, IntentKind.COMPARE}
)
# Kinds a year before, or another year, can be asked of.
_YEAR_KINDS = frozenset({IntentKind.FIGURES, IntentKind.RANKING})


def year_named(said: str) -> tuple[int, bool] | None:
    """The year named, if any: "2022-23" is a financial year (True), "2022" a calendar one."""
    financial = asked.FINANCIAL_YEAR.search(said)
    if financial:
        start, end = int(financial[1]), financial[2] or financial[3]
        if (start + 1) % 100 == int(end):
            return start, True
    year = asked.YEAR.search(said)
    return (int(year[1]), False) if year else None


def follow(intent: Intent, said: str, context: Context | None) -> Intent:
    """The intent, read again with the previous turn's context (unchanged if not a follow-up)."""
    if context is None or intent.kind == IntentKind.DANGER or intent.choices:
        return intent
    if intent.boroughs:
        return _new_place(intent, said, context)
    if intent.kind not in (IntentKind.UNKNOWN, IntentKind.RANKING, IntentKind.HELP):
        return intent
    return _same_place(intent, said, context)


def _need(context: Context) -> Need | None:
    return Need(context.need) if context.need in NEEDS else None


def _new_place(intent: Intent, said: str, context: Context) -> Intent:
    """A borough named after another: the same question about it, or the two compared."""
    new = intent.boroughs
    if intent.kind != IntentKind.FIGURES or asked.TREND.search(said):
        return intent  # a question of its own
    if context.kind == IntentKind.HELP and not asked.FIGURES.search(said):
        # "he lives in enfield" after a question about a friend: help there, for them.
        return Intent(IntentKind.HELP, new, need=_need(context))
    if context.kind not in FIGURE_KINDS or not context.boroughs:
        return intent
    # Compared with the borough(s) before: every one of them, the new one added.
    added = tuple(code for code in new if code not in context.boroughs)
    compared = context.boroughs if context.kind == IntentKind.COMPARE else context.boroughs[:1]
    if len(new) == 1 and added and COMPARED.search(said):
        return Intent(IntentKind.COMPARE, compared + added, by_rate=intent.by_rate)
    if not CARRY_ON.match(said):
        return intent
    match context.kind:
        case IntentKind.COMPARE if added:
            return Intent(IntentKind.COMPARE, compared + added, by_rate=context.by_rate)
        case IntentKind.TREND | IntentKind.CHART:
            return Intent(context.kind, new[:1], by_rate=context.by_rate)
        case IntentKind.FIGURES if intent.year is None:
            return replace(intent, year=context.year, financial_year=context.financial_year)
    return intent


def _same_place(intent: Intent, said: str, context: Context) -> Intent:
    """No borough named: "and the year before?", "has it got worse there?", "help there?"."""
    places = context.boroughs
    named = year_named(said) if intent.kind == IntentKind.UNKNOWN else None
    if YEAR_BEFORE.search(said) and context.year is not None:
        named = context.year - 1, context.financial_year
    if named and context.kind in _YEAR_KINDS:  # "and the year before?", "and in 2022-23?"
        return Intent(
            context.kind,
            places,
            by_rate=context.by_rate,
            order="all" if context.kind == IntentKind.RANKING else None,
            year=named[0],
            financial_year=named[1],
        )
    if not places:
        return intent
    if intent.kind == IntentKind.HELP:
        # "is there help there?": help in that borough, for the same person.
        return replace(intent, boroughs=places[:1]) if THERE.search(said) else intent
    changed = CHANGED.search(said) or asked.TREND.search(said)
    if changed and (THERE.search(said) or intent.kind == IntentKind.UNKNOWN):
        return Intent(IntentKind.TREND, places[:1])
    if intent.kind == IntentKind.RANKING and intent.order == "all" and THERE.search(said):
        return Intent(IntentKind.FIGURES, places, by_rate=intent.by_rate)
    return intent
