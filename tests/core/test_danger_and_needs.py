"""Danger said any way gets the danger reply itself, with a specific need's line; the needs
from issue 16 get their services (data/services.csv, FACTS.md section 3) and their words."""

from __future__ import annotations

import csv
import importlib
import json
import pkgutil
import re
from pathlib import Path

import pytest

import bot.core.understand as understand
from bot.core.conversation import Conversation
from bot.core.understand import Understander, words_of
from bot.core.understand.rules import Rule, _first_words
from bot.fronts.plaintext import to_plain

HELPLINE = "0808 2000 247"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def understander(conversation: Conversation) -> Understander:
    return conversation.understander


def plain(conversation: Conversation, message: str) -> str:
    return to_plain(conversation.answer(message).text)


# -- danger, said indirectly: the danger reply itself, not only the 999 line ----------------


@pytest.mark.parametrize(
    "message",
    [
        # a threat with a time or a finality
        "he keeps telling me i won't see my birthday",
        "my husband texted that tonight it ends",
        "he said tomorrow i will pay for this",
        # someone near, coming or following
        "my ex is standing across the street watching my window",
        "he is driving towards my mums now",
        "her car has been outside since 6",
        "hes only 2 mins away",
        # an address found, no voice
        "my ex worked out which refuge i am in",
        "cant speak he is in the next room",
        # trapped, fire, fuel, smothering
        "trapped in the bedroom he took the key",
        "he's splashing petrol on the stairs",
        "he put a cushion over my face",
        # medicine withheld or forced, drinks spiked
        "my partner has hidden my inhaler again",
        "she won't let me have my insulin",
        "he spiked my drink",
        # children taken or threatened, someone else attacked now
        "my ex has run off with the kids",
        "he says i will never see the baby again",
        "my stepdad is beating my mum downstairs",
        # a bare plea
        "somebody help",
        "please help me",
    ],
)
def test_danger_said_indirectly_gets_the_danger_reply(
    conversation: Conversation, message: str
) -> None:
    reply = conversation.answer(message)
    text = to_plain(reply.text)
    assert reply.intent == "danger", message
    assert text.startswith("🚨 If you are in danger now, call 999.")
    assert "press 55" in text and "999 BSL" in text and "I'm a bot" in text


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("what happens if you call 999", "service"),
        ("what's the police non emergency number", "service"),
        ("my ex follows me on instagram", "help"),
        ("he held a knife to me years ago, I left in 2018", "help"),
        ("my dad used to lock us in our rooms when i was a kid", "help"),
        ("I'm scared of him coming to the hearing next week", "help"),
        ("he is waiting for me to reply to his texts", "help"),
        ("he's watching my every move", "help"),
        ("i got my new flat through the council", "unknown"),
        ("i'm putting sugar in my tea", "unknown"),
        ("she said it's over between us", "help"),
        ("i am hiding my money from him", "help"),
        ("he won't give my money back", "help"),
        ("he has taken my meds to the pharmacy for me", "help"),
        ("the pharmacy won't give me my tablets without a prescription", "unknown"),
    ],
)
def test_look_alikes_are_not_danger(understander: Understander, message: str, kind: str) -> None:
    assert understander.read(message).kind == kind


@pytest.mark.parametrize(
    "message",
    ["years ago he strangled me and tonight he's back", "he used to hit me, he has a knife"],
)
def test_danger_now_told_with_the_past_is_still_danger(
    understander: Understander, message: str
) -> None:
    assert understander.read(message).kind == "danger"


@pytest.mark.parametrize(
    ("message", "line"),
    [
        ("i'm 13 and my dad has a knife", "Childline: 0800 1111"),
        ("he's hitting me and i want to kill myself", "Samaritans: 116 123"),
        ("i'm a man and my wife is smashing the house up", "Men's Advice Line (Respect): 0808 801"),
        ("the man stalking me is outside my door", "(Suzy Lamplugh Trust): 0808 802 0300"),
    ],
)  # fmt: skip
def test_danger_carries_the_specialist_line(
    conversation: Conversation, message: str, line: str
) -> None:
    reply = conversation.answer(message)
    text = to_plain(reply.text)
    assert reply.intent == "danger"
    assert text.startswith("🚨 If you are in danger now, call 999.")
    assert line in text
    assert text.index("999") < text.index(line)


def test_danger_without_a_need_has_no_specialist_line(conversation: Conversation) -> None:
    text = plain(conversation, "he has a knife")
    assert "Also for you" not in text


# -- the needs we missed -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "need", "expected"),
    [
        ("im 12 and my mum and her boyfriend fight every night", "child", ["Childline: 0800 1111"]),
        ("i'm worried about the children next door, their dad hits them", "child_worry",
         ["NSPCC helpline: 0808 800 5000", "Monday to Friday, 8am to 10pm"]),
        ("i can't go on like this", "suicide", ["Samaritans: 116 123", "Text SHOUT to 85258"]),
        ("my ex keeps sending me things from withheld numbers", "stalking",
         ["National Stalking Helpline", "weekdays 9:30am to 4pm, Wednesdays 1pm to 4pm"]),
        ("they want me to marry my cousin, my family say i have no choice", "honour",
         ["Karma Nirvana: 0800 5999 247", "Forced Marriage Unit (UK government): 020 7008 0151",
          "out of hours 020 7008 1500"]),
        ("can i get a restraining order on him", "legal",
         ["NCDV", "0800 970 2070", "text NCDV to 60777", "no court fee",
          "gov.uk/injunction-domestic-violence"]),
        ("is it abuse that she reads my messages and takes my wages", "is_abuse",
         ["controlling or coercive behaviour", "economic abuse", "single", HELPLINE]),
        ("how can i leave him without him knowing", "leaving",
         ["safe time to call you back", "/exit", HELPLINE]),
    ],
)  # fmt: skip
def test_each_need_gets_its_services_and_words(
    conversation: Conversation, understander: Understander, message: str, need: str,
    expected: list[str],
) -> None:  # fmt: skip
    intent = understander.read(message)
    assert (intent.kind, intent.need) == ("help", need)
    text = plain(conversation, message).replace("One incident", "A single incident")
    for words in expected:
        assert words in text, words
    assert text.startswith("🚨 If you are in danger now, call 999.")


def test_is_this_abuse_is_never_a_legal_opinion(conversation: Conversation) -> None:
    text = plain(conversation, "is this abuse?")
    assert "Domestic Abuse Act 2021" in text
    assert "can't tell you what the law would say about your own situation" in text


@pytest.mark.parametrize("message", ["I can't risk a call", "i'm deaf, can i get help"])
def test_someone_who_cannot_phone_gets_no_voice_only_number(
    conversation: Conversation, message: str
) -> None:
    text = plain(conversation, message)
    assert "Text SHOUT to 85258" in text
    assert "Live chat at nationaldahelpline.org.uk" in text
    assert "unconfirmed: check nationaldahelpline.org.uk" in text  # hours not confirmed
    # Nothing that needs a voice besides the 999 line every reply opens with.
    assert HELPLINE not in text and "101" not in text and "0808 802 5565" not in text


@pytest.mark.parametrize(
    "message",
    ["could my husband find this chat?", "she reads my telegram at night",
     "my telegram is logged in on his laptop"],
)  # fmt: skip
def test_someone_checking_the_phone_gets_the_privacy_answer(
    conversation: Conversation, message: str
) -> None:
    reply = conversation.answer(message)
    text = to_plain(reply.text)
    assert reply.intent == "privacy"
    assert "/exit" in text and "48 hours" in text  # what the quick exit does and does not do
    assert "Settings, then Privacy and Security" in text  # a passcode lock
    assert "Devices" in text and "linked computer" in text
    assert "can be noticed" in text
    assert "auto-delete" not in text.lower()  # not confirmed for a chat with a bot


# -- FACTS.md corrections and what must not ship -----------------------------------------------


def test_standing_together_has_its_current_name(conversation: Conversation) -> None:
    text = plain(conversation, "standing together")
    assert "Standing Together Against Domestic Abuse" in text and "Not a helpline" in text


def test_the_angelou_partnership_is_not_reached_through_solace(conversation: Conversation) -> None:
    text = plain(conversation, "what is the angelou partnership")
    assert "through Solace" not in text
    assert "National Domestic Abuse Helpline" in text


def test_emergency_sms_needs_registering_and_comes_after_999_bsl(
    conversation: Conversation,
) -> None:
    text = plain(conversation, "he is kicking the door in")
    assert "register in advance" in text
    assert text.index("999 BSL") < text.index("emergencySMS")


def test_101_in_the_city_of_london_is_the_city_police(conversation: Conversation) -> None:
    text = plain(conversation, "101")
    assert "In the City of London, 101 reaches the City of London Police" in text


def test_services_from_facts_carry_status_source_and_month(repo_data: Path) -> None:
    with (repo_data / "services.csv").open(newline="") as f:
        rows = {row["id"]: row for row in csv.DictReader(f)}
    for service_id in ("childline", "nspcc", "samaritans", "shout", "stalking-helpline",
                       "forced-marriage-unit", "ncdv", "court-injunction",
                       "national-helpline-online"):  # fmt: skip
        row = rows[service_id]
        assert row["status"] in {"CONFIRMED", "UNCONFIRMED"} and row["source"], service_id
        assert row["last_checked"] == "2026-11", service_id
    assert rows["national-helpline-online"]["status"] == "UNCONFIRMED"
    names = " ".join(row["name"] for row in rows.values()).lower()
    assert "live chat" not in names.replace("helpline: live chat", "")  # Women's Aid's: closed
    assert "rights of women" not in names  # FACTS: do not ship


# -- the rules stay fast without changing what they match -------------------------------------


def test_rules_filed_by_first_word_match_as_plain_patterns() -> None:
    texts = [
        json.loads(line)["text"]
        for path in sorted(CORPUS.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    saids = [words_of(t) for t in texts] + ["9 99 999", "a", "", "x" * 50, "stepdad is hitting mum"]
    found: list[Rule] = []
    for info in pkgutil.iter_modules(understand.__path__, "bot.core.understand."):
        for value in vars(importlib.import_module(info.name)).values():
            if isinstance(value, dict):  # the needs' rules, by need
                found += [r for r in value.values() if isinstance(r, Rule)]
            elif isinstance(value, Rule):
                found.append(value)
    rules = list({id(rule): rule for rule in found}.values())
    assert len(rules) >= 59  # every module's rules (59 when understand.py was split up)
    assert any(r._by_word for r in rules)  # the big rules are filed by first word
    for rule in rules:
        alts = rule.alternatives
        plain_patterns = [
            re.compile(" (?:" + "|".join(alts[i : i + 16]) + r")\b")
            for i in range(0, len(alts), 16)
        ]
        for said in saids:
            expected = any(p.search(" " + said) for p in plain_patterns)
            assert rule.search(said) == expected, (alts[:2], said)


@pytest.mark.parametrize(
    ("alternative", "words"),
    [
        ("(do not|not) want", {"do", "not"}),
        ("(the )?police", {"the", "police"}),
        ("refuges?", {"refuge", "refuges"}),
        ("(?<!leave me )alone", {"alone"}),
        ("alone(?! with)", {"alone"}),
        ("((he|she)|my ex) (is|are)", {"he", "she", "my"}),
        (r"(he|she)\b.{0,4}gun", {"he", "she"}),
        # a word's start, an optional space or an empty branch: no word to file it under
        (r"kill\w*", None),
        ("step ?dad", None),
        ("touch(ed|es) me", None),
        ("(a|) b", None),
        (r"(\w+ ){0,2}gun", None),
        ("s?", None),
    ],
)
def test_a_rule_is_filed_under_every_word_it_can_start_with(
    alternative: str, words: set[str] | None
) -> None:
    assert _first_words(alternative) == (None if words is None else frozenset(words))
