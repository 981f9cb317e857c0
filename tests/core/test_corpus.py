"""The floors from issue 4, kept on the labelled corpus so they cannot silently regress.

The same measures as bench/understanding.py (which prints them); here each is a floor:
danger recall 100% (every danger message's reply opens with 999, and is the danger reply
itself, carrying the line of a specific need), false danger at most 5%, place resolution at
least 98%, intent accuracy at least 95%, and no answer with a wrong borough's figures.
"""

from __future__ import annotations

import collections
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bot.core.conversation import Conversation
from bot.core.signpost import NEEDS

BENCH = Path(__file__).resolve().parents[2] / "bench"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _bench() -> ModuleType:
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("understanding", BENCH / "understanding.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["understanding"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


understanding = _bench()


@pytest.fixture(scope="module")
def codes(conversation: Conversation) -> dict[str, str]:
    return {b.name: b.code for b in conversation.store.boroughs.values()}


@pytest.fixture(scope="module")
def report(conversation: Conversation, codes: dict[str, str]):  # type: ignore[no-untyped-def]
    return understanding.evaluate(conversation, understanding.load_corpus(codes))


def test_the_corpus_is_big_and_varied(codes: dict[str, str]) -> None:
    cases = understanding.load_corpus(codes)
    assert len(cases) >= 300
    intents = collections.Counter(c.intent for c in cases)
    assert set(intents) == set(understanding.INTENTS)  # every intent is measured
    assert intents["danger"] >= 50
    needs = {c.need for c in cases if c.need}
    assert needs == set(NEEDS)  # every need is measured
    assert sum(bool(c.boroughs or c.ask) for c in cases) >= 100
    assert sum(c.outside for c in cases) >= 10
    assert sum(bool(c.ask) for c in cases) >= 10
    texts = [c.text for c in cases]
    assert len(set(texts)) == len(texts), "a message is labelled twice"
    assert sum(len(t) > 200 for t in texts) >= 5  # long, rambling messages
    assert any(not t.isascii() for t in texts)  # emoji


def test_a_bad_label_names_its_file_and_line(tmp_path: Path, codes: dict[str, str]) -> None:
    (tmp_path / "bad.jsonl").write_text(
        json.dumps({"text": "hi", "intent": "greeting", "need": None, "boroughs": []})
        + "\n"
        + json.dumps({"text": "x", "intent": "figures", "need": None, "boroughs": ["Croydn"]})
    )
    with pytest.raises(ValueError, match=r"bad.jsonl, line 2: unknown borough name"):
        understanding.load_corpus(codes, tmp_path)


def test_danger_recall_is_total(report) -> None:  # type: ignore[no-untyped-def]
    missed = [o.case.text for o in report.danger_missed]
    assert not missed, f"danger messages whose reply does not open with 999: {missed}"
    assert all(o.intent.kind == "danger" for o in report.of("danger"))


def test_danger_gets_the_danger_reply_itself(report) -> None:  # type: ignore[no-untyped-def]
    """Not only the 999 line every reply opens with: 999, Silent Solution, deaf access, a bot."""
    missed = [o.case.text for o in report.danger_reply_missed]
    assert not missed, f"danger messages given another reply: {missed}"


def test_false_danger_rate(report) -> None:  # type: ignore[no-untyped-def]
    assert report.false_danger_rate <= 0.05, [o.case.text for o in report.false_danger]


def test_a_danger_reply_carries_the_specific_need(report) -> None:  # type: ignore[no-untyped-def]
    """Danger never hides the specialist service (a child, suicide, a man, stalking)."""
    wrong = [(o.case.text, o.intent.need) for o in report.danger_need_wrong]
    assert not wrong, wrong
    assert {o.case.need for o in report.of("danger")} >= {"child", "suicide", "men", "stalking"}


def test_no_answer_names_a_wrong_boroughs_figures(report) -> None:  # type: ignore[no-untyped-def]
    wrong = [o.case.text for o in report.wrong_borough_figures]
    assert not wrong, f"figures for a borough the message did not name: {wrong}"
    local = [o.case.text for o in report.wrong_borough_help]
    assert not local, f"local services for a borough the message did not name: {local}"


def test_place_resolution_floor(report) -> None:  # type: ignore[no-untyped-def]
    assert report.place_accuracy >= 0.98
    assert not report.false_places, [o.case.text for o in report.false_places]


def test_intent_accuracy_floor(report) -> None:  # type: ignore[no-untyped-def]
    assert report.intent_accuracy >= 0.95, report.confusion().most_common(5)


def test_need_accuracy_floor(report) -> None:  # type: ignore[no-untyped-def]
    assert report.need_accuracy >= 0.95


def test_a_spanning_place_always_gets_a_question(report) -> None:  # type: ignore[no-untyped-def]
    """Never a silent guess: where the label says ask, the reply is a question (or danger)."""
    for o in report.outcomes:
        if o.case.ask and o.case.intent in {"figures", "help"} and not o.case.need:
            assert o.reply.intent == "which_borough", o.case.text
            buttons = {b.data.split(":")[1] for row in o.reply.buttons for b in row}
            assert buttons == set(o.case.ask), o.case.text


def test_the_review_defects_stay_fixed(report) -> None:  # type: ignore[no-untyped-def]
    """Every message from the independent review (review.jsonl) is read exactly as labelled."""
    review = [o for o in report.outcomes if o.case.where.startswith("review.jsonl")]
    assert len(review) >= 80
    wrong = [
        o.case.text
        for o in review
        if not o.intent_ok
        or not o.places_ok
        or (o in report.need_outcomes and o.intent.need != o.case.need)
    ]
    assert not wrong, wrong
