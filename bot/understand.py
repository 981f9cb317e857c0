"""Turn a message into an Intent. Danger is checked before anything else."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.models import Service
from bot.places import Gazetteer, normalise

# Said or implied immediate danger. Checked first, on the whole message.
_DANGER = re.compile(
    r"\b("
    r"(in|immediate|real) danger|danger now|not safe (right )?now|unsafe (right )?now"
    r"|(kill|murder|hurt|stab|strangle|choke)s? me"
    r"|(kill|murder|hurt|stab|strangl|chok|beat)(ing|e)? me"
    r"|(going to|gonna|will|would|wants? to|threaten\w* to|said he d|said she d) (kill|hurt|murder)"
    r"|(hitting|hurting|beating|attacking|punching|kicking|strangling|choking) me"
    r"|(outside|at|banging on) (the|my) (door|house|flat|window)"
    r"|locked (myself )?in|hiding (from|in)|breaking in|broke in|trying to get in"
    r"|knife|gun|weapon|bleeding|can t breathe|fear for my life|scared for my life"
    r"|help me now|need help now|help now|emergency|urgent"
    r"|kill myself|want to die|end my life"
    r")\b"
)
# Who the help is for; the first match wins, so narrower needs come first.
_NEEDS = {
    "men": "i m a man|i am a man|as a man|male victim|men|man|my wife (hits|abuses)|for men",
    "lgbt": "lgbt\\w*|gay|lesbian|bi|bisexual|trans|transgender|queer|same sex|non binary",
    "honour": "honour|honor|forced (to )?marr\\w*|forced marriage|make me marry|izzat",
    "older": "older|elderly|old age|pensioner|grandmother|grandfather|grandparent|elder",
    "minoritised": "migrant|immigration|visa|no recourse|nrpf|asylum|black wom[ae]n"
    "|asian wom[ae]n|minoritised|interpreter|english is not",
    "deaf": "deaf|hard of hearing|bsl|sign language|speech impaired|cannot speak|can t speak",
    "sexual": "rape|raped|sexual|sexually",
    "perpetrator": "my own behaviour|my behaviour|i hit my|i hurt my|i m abusive|i am abusive"
    "|my anger|i get angry",
    "friend": "my (friend|sister|brother|daughter|son|mum|mother|dad|father|cousin|neighbour"
    "|colleague|niece|aunt)|worried about (someone|a friend|her|him)",
}
_COMPILED_NEEDS = {need: re.compile(rf"\b({pattern})\b") for need, pattern in _NEEDS.items()}
_SUB_REGION = re.compile(r"\b(west|east|north|south|central)\s+london\b")
_HIGHEST = re.compile(r"\b(highest|most|worst|top|biggest|largest)\b")
_LOWEST = re.compile(r"\b(lowest|least|fewest|safest|best|smallest)\b")
_RANKING = re.compile(r"\b(rank\w*|all boroughs|every borough|list|league|table|which borough)\b")
_RATE = re.compile(
    r"\b(rate|rates|per person|per 1000|per 1 000|per thousand|per head|per capita|population)\b"
)
_COMPARE = re.compile(r"\b(compare\w*|vs|versus|v|against|difference|than)\b")
_TREND = re.compile(
    r"\b(trend|trends|going (up|down)|gone (up|down)|rising|falling|increas\w*|decreas\w*"
    r"|over time|over the years|year on year|getting (worse|better)|up or down)\b"
)
_CHART = re.compile(r"\b(chart|graph|plot|picture|diagram|visuali[sz]\w*)\b")
_FIGURES = re.compile(
    r"\b(figures?|stats?|statistics|numbers?|how many|offences?|crimes?|cases|data on|rates?|"
    r"reported|recorded|incidents?|arrests?|domestic violence|domestic abuse)\b"
)
_HELP = re.compile(
    r"\b(help|support|advice|advise|refuge|shelter|talk|someone|services?|helpline|phone|"
    r"call|contact|where can|what can|abus\w*|hits? me|scared|afraid|leave him|leave her|escape)\b"
)
_ABOUT = re.compile(
    r"\b(about the data|source|sources|where .* (figures|data|numbers) come|how old|which year"
    r"|period|about (this|the) bot|who made)\b"
)
_PRIVACY = re.compile(
    r"\b(privacy|private|trace|history|delete|erase|safe to use|who can see|kept|store)\b"
)
_GREETING = re.compile(r"^(hi|hello|hey|hiya|good (morning|afternoon|evening)|start|yo)\b")
_THANKS = re.compile(r"\b(thanks?|thank you|thankyou|cheers|ta|thx|ty)\b")
_MENU = re.compile(r"^(menu|options|what can you do|commands)$")


@dataclass(frozen=True, slots=True)
class Intent:
    kind: str
    boroughs: tuple[str, ...] = ()
    need: str | None = None
    service_id: str | None = None
    sub_region: str | None = None
    order: str | None = None
    by_rate: bool = False


class Understander:
    def __init__(self, gazetteer: Gazetteer, services: Iterable[Service]):
        self.gazetteer = gazetteer
        self.service_names = sorted(
            (
                (normalise(alias), service.id)
                for service in services
                for alias in (service.name, *service.aliases)
                if len(normalise(alias)) >= 4
            ),
            key=lambda pair: -len(pair[0]),
        )

    def read(self, text: str) -> Intent:
        plain = normalise(text)
        boroughs = self.gazetteer.find(text).boroughs
        if _DANGER.search(plain):
            return Intent("danger", boroughs)
        need = next((n for n, rx in _COMPILED_NEEDS.items() if rx.search(plain)), None)
        if not plain:
            return Intent("unknown")
        if service_id := self._service(plain):
            return Intent("service", boroughs, service_id=service_id)
        if _MENU.match(plain):
            return Intent("menu")
        if _PRIVACY.search(plain) and not boroughs:
            return Intent("privacy")
        if _ABOUT.search(plain) and not boroughs:
            return Intent("about")
        figures_words = bool(_FIGURES.search(plain))
        by_rate = bool(_RATE.search(plain))
        region = _SUB_REGION.search(plain)
        if region and not boroughs and (figures_words or not _HELP.search(plain)):
            return Intent("sub_region", sub_region=region.group(1).title(), by_rate=by_rate)
        if len(boroughs) >= 2 and (_COMPARE.search(plain) or figures_words):
            return Intent("compare", boroughs[:2], by_rate=by_rate)
        if _CHART.search(plain):
            return Intent("chart", boroughs[:1], by_rate=by_rate)
        if boroughs and _TREND.search(plain):
            return Intent("trend", boroughs[:1])
        order = "highest" if _HIGHEST.search(plain) else "lowest" if _LOWEST.search(plain) else None
        if (
            not boroughs
            and (order or _RANKING.search(plain))
            and (figures_words or by_rate or "borough" in plain)
        ):
            return Intent("ranking", order=order or "all", by_rate=by_rate)
        if need or (_HELP.search(plain) and not figures_words):
            return Intent("help", boroughs, need=need)
        if boroughs:
            return Intent("figures", boroughs, by_rate=by_rate)
        if figures_words:
            return Intent("ranking", order="all", by_rate=by_rate)
        if _GREETING.match(plain):
            return Intent("greeting")
        if _THANKS.search(plain):
            return Intent("thanks")
        return Intent("unknown")

    def _service(self, plain: str) -> str | None:
        padded = f" {plain} "
        return next((sid for name, sid in self.service_names if f" {name} " in padded), None)
