"""Is this danger? Read before anything else: said or implied, now, not told as the past."""

from __future__ import annotations

import re

from bot.core.understand.danger_cues import danger_by_cues
from bot.core.understand.danger_implied import CANT_TALK, DANGER_IMPLIED, PRESENT
from bot.core.understand.danger_said import DANGER
from bot.core.understand.phrases import WHO
from bot.core.understand.rules import rx

# "I'm not in danger", "no need for police": the words are there, the danger is not.
SAFE_NOW = re.compile(
    r"\b(not|no|never|is not|am not|are not) (in )?(any |immediate |real )?"
    r"(danger|an emergency|emergency|urgent|suicidal)\b"
    r"|\bnot need (an |the |any )?(ambulance|police)\b"
    r"|\b(he|she|they) (is|are) not (coming|going to come) (back|home|round|over)\b"
    r"|\b(he|she|they) (is|are) (now )?(in prison|in jail|locked up|inside|on remand|abroad"
    r"|in another country|dead)\b"
    r"|\b(they|police|the police|officers) (came and )?(arrested|took) (him|her|them)( away)?\b"
    r"|\b(he|she|they) (was|were|got|has been|have been) (arrested|charged|remanded)\b"
    r"|\b(she|he|i|we|they) (is|are|am|has|have) (now )?left (him|her|them)( now)?\b"
    r"|\b(it is|its|things are) (calm|quiet|ok|okay|fine) (at the moment|right now|now|for now)\b"
)
# A bare plea, the whole message: "help", "please help", "someone help", "please please",
# "can't talk".
PLEA = re.compile(
    r"^(please |pls |plz |someone |somebody |anyone |any one |can you |could you |can someone "
    r"|can anyone |will someone )*(hel+p+|hel+p+ me|help us|hlep|halp|hepl)"
    r"( please| pls| plz| someone| somebody| anyone| now| right now| quick| quickly| hurry"
    r"| asap| help| me)*$"
    r"|^(please |pls |plz )*(someone|somebody|anyone)( there| out there)?( please| pls| plz| now"
    r"| right now| help)*$"
    r"|^(please|pls|plz)( please| pls| plz)*$"
    r"|^i need (help|someone|somebody) (right )?now( please)*$"
    # the whole message "can't talk": someone cannot speak where they are
    r"|^(i )?(can not|cannot) (talk|speak)( now| right now| here)?( please| sorry)*$"
)
# Not danger, though the words are: a question about 999, the non-emergency number,
# following online.
NOT_DANGER = re.compile(
    r"\bwhat (do|should) i (say|tell them) (when|if) i (call|ring|dial) 999\b"
    r"|\bwhat (happens|will happen|would happen) (if|when|after) (i|you|someone|people) (call|ring"
    r"|dial|phone|text) 999\b"
    r"|\bdo (the )?police (come|turn up|send \w+|always come) (if|when) (i|you|someone)"
    r" (call|ring|dial|phone) 999\b"
    r"|\bnon emergency\b"
    r"|^(is this|are you) (the |a |an )?(real )?(police|999|emergency service)$"
    r"|\b(999 or 101|101 or 999|999 and 101|101 and 999)\b"
    # a call already made, told as the past: "I called 999 last night"
    r"|\b(i|we) (called|rang|dialled|phoned) (999|the police)( \w+){0,2} (last night|yesterday"
    r"|last week|the other (day|night))\b"
    r"|\b(scared|afraid|worried|frightened|feel like|think|worry|know) (that )?(he|she|they)"
    r" (will|would|is going to|are going to) find me( wherever i go| anywhere| one day"
    r"| eventually)?\b"
    r"|\bfollow\w* me (online|on (instagram|insta|facebook|fb|social media|tiktok|twitter"
    r"|snapchat|snap))\b"
)
# Asking in general, not telling: "what should someone do if he has a knife", "is it abuse if
# he locks me out", "how do I know if my friend is in danger". The words that follow, up to
# eight, say what the question is about, not what is happening; the rest still counts.
IN_GENERAL = re.compile(
    r"\b(what (should|can|could|would|do|does) (someone|somebody|a person|people|you|a woman"
    r"|a man|a friend|my friend|a victim|victims|she|he|they|her|him|them) do"
    r"|how (do|can|would|does|should) (i|you|someone|people|we) (know|tell|spot|recogni[sz]e)"
    r"|(is|would) (it|that|this) (still |even )?(be )?(abuse|domestic abuse|domestic violence"
    r"|a crime|illegal|assault|against the law|controlling|coercive control)"
    r"|does (it|that|this) (still )?count( as (abuse|domestic abuse|violence))?"
    r"|what (counts|is classed|is classified) as|what (would|will|could) happen (if|when)"
    r"|how many)"
    r"( (if|when|that|whether))?( \w+){0,8}"
    r"|\bif (i am|i|i get|someone is|you are) ever (in danger|hurt|attacked|threatened)\b"
    r"|\bif (someone|somebody|a person|people|a friend|my friend) (is|are|was|were|gets|get)"
    r" (in danger|hurt|attacked|hit|threatened)\b"
    # "what do I do if he turns up": four words of what might happen, no more.
    r"|\bwhat (should|do|can|would) i do (if|when) (he|she|they|my \w+|someone)( \w+){0,4}"
)
# The whole message asks to close or hide the chat: the quick exit answers it.
CLOSE_THIS = re.compile(
    r"^(please )?(close|hide|delete|clear|exit|leave|shut) (this|it|the chat|this chat|chat)"
    r"( down)?( now| quick| quickly| fast| asap| please)*$"
)
HOW_LONG_999 = re.compile(r"\bhow long\b(.{0,60}?)\b999( call)?\b")
# Told as the past, with nothing recent: "years ago he tried to strangle me, I left in 2019".
PAST = rx(
    r"(\d+|a few|few|two|three|four|five|six|seven|eight|nine|ten|many|several|some) (years|yrs)"
    r" ago|years ago|ages ago|long time ago|used to|when i was (\d+|little|young|younger|small"
    r"|a kid|a child|a teenager|a girl|a boy)|as a (child|kid)|growing up|back in (19|20)\d\d"
    r"|when we were (together|married)|that was (years|ages|a long time|in)"
    r"|last time (i|he|she|we|they|it|you) (\w+ed|was|were|went|saw|rang|came|did|got|took"
    r"|told|had)"
    r"|(i|we) (left|got out|escaped) (in|years|ages)|(we are|we were|i am|got) divorced"
    r"|i have moved|moved (out|away) since|in the past|my childhood|in (19|20)\d\d"
    r"|(got|was|been) sent down|went to prison|was (jailed|convicted|sentenced)"
    # "last christmas" is the past; "your last christmas" a threat
    r"|(?<!your )last (year|month|summer|spring|autumn|winter"
    r"|christmas)|(it|that|this) (stopped|ended)"
)
RECENT = rx(
    r"right now|tonight|today|again|(he|she|they) (has |have )?just|just now"
    r"|this (morning|evening|afternoon|week)|last night"
    r"|at the moment|still (here|there|outside|in|at)|back again|started again|now (he|she|they"
    r"|my)|(has|have|just) (found|turned up|come back|tracked)|found (me|my|where|out where)"
    rf"|(?<!when ){WHO} (is|are|has|have|keeps|keep|will|says|wants)"
)

# Someone else being hurt is an emergency when it is happening now.
HURTING_OTHERS = rx(
    r"(is|are|keeps?|started) (hitting|beating|punching|kicking|strangling|choking|attacking"
    r"|hurting|stabbing|dragging)|being (attacked|hit|beaten|hurt|strangled|stabbed)"
    r"|(hitting|beating|punching|kicking|strangling|choking|attacking|hurting|stabbing"
    r"|battering) (my|his|her|their|the|mum|mom|mother|dad|him|her|them)"
)
NOW = rx(
    r"now|right now|at the moment|as we speak|just|currently|screaming|tonight|downstairs"
    r"|upstairs|next door|through the wall|in the (street|kitchen|garden|hall|road|next room"
    r"|car park|car)"
)
# Acts that are an emergency whenever they are going on, wherever.
ATTACK_NOW = rx(r"(is|are) (strangling|choking|stabbing|throttling|smothering)")


def calmed(said: str) -> str:
    """The words without those that say there is no danger ("I'm not in danger", "999?")."""
    calm = SAFE_NOW.sub(" ", said)
    calm = IN_GENERAL.sub(" asked in general ", calm)
    calm = CLOSE_THIS.sub(" ", calm)
    if any(
        w in calm for w in ("999", "emergency", "follow", "how long", "find me", "police", "101")
    ):
        calm = NOT_DANGER.sub(" ", calm)
        # "how long do police take after a 999 call": the words between still count.
        calm = HOW_LONG_999.sub(r" \1 ", calm)
    return calm


def is_danger(said: str) -> bool:
    """Danger said or implied, in the straightened words of a message (words.words_of):
    a bare plea, a phrase rule, or the cue model (danger_cues.py) for wordings never seen."""
    calm = calmed(said)
    if PLEA.match(calm):
        return True
    return (_by_phrases(calm) or danger_by_cues(calm)) and not told_as_past(calm)


def is_danger_by_phrases(said: str) -> bool:
    """The plea and phrase rules alone (bench/danger_fit.py measures the cue model beside them)."""
    calm = calmed(said)
    return bool(PLEA.match(calm)) or (_by_phrases(calm) and not told_as_past(calm))


def told_as_past(calm: str) -> bool:
    """Told as the past, with nothing recent: "years ago he tried to strangle me"."""
    return bool(PAST.search(calm) and not RECENT.search(calm))


def _by_phrases(calm: str) -> bool:
    said_now = (
        DANGER.search(calm)
        or DANGER_IMPLIED.search(calm)
        or (HURTING_OTHERS.search(calm) and NOW.search(calm))
        or ATTACK_NOW.search(calm)
        or (CANT_TALK.search(calm) and PRESENT.search(calm))
    )
    return bool(said_now)
