"""The message's language, detected offline, on the labelled sets and the English corpus.

tests/corpus/languages/<code>.jsonl: messages written as people write, with their
language and whether they are danger (format: README, "Languages").
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytest

from bot.core import language_choice
from bot.core.conversation import Conversation
from bot.core.languages import CODES, ENGLISH
from bot.core.understand.languages import NEEDS, words

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
OTHERS = [c for c in CODES if c != ENGLISH]


def labelled() -> list[dict[str, object]]:
    return [
        json.loads(line)
        for path in sorted((CORPUS / "languages").glob("*.jsonl"))
        for line in path.read_text().splitlines()
        if line.strip()
    ]


def english() -> list[str]:
    return [
        json.loads(line)["text"]
        for path in sorted(CORPUS.glob("*.jsonl"))
        for line in path.read_text().splitlines()
        if line.strip()
    ]


def test_every_language_has_a_labelled_set_of_at_least_20_with_short_ones() -> None:
    by_language = Counter(str(m["lang"]) for m in labelled())
    short = Counter(str(m["lang"]) for m in labelled() if len(words(str(m["text"]))) <= 2)
    for code in OTHERS:
        assert by_language[code] >= 20, code
        assert short[code] >= 3, code


def test_messages_of_three_words_or_more_are_read_in_their_language(
    conversation: Conversation,
) -> None:
    right, total = Counter(), Counter()
    for message in labelled():
        text, code = str(message["text"]), str(message["lang"])
        if len(words(text)) >= 3:
            total[code] += 1
            right[code] += conversation.languages.detect(text) == code
    assert sum(right.values()) / sum(total.values()) >= 0.95, (right, total)
    for code in OTHERS:  # none far behind the others
        assert right[code] / total[code] >= 0.85, (code, right[code], total[code])


def test_no_english_message_is_taken_for_another_language(conversation: Conversation) -> None:
    taken = [
        (text, code)
        for text in english()
        if (code := conversation.languages.detect(text)) not in (None, ENGLISH)
    ]
    assert taken == []


def test_a_message_too_short_to_tell_is_read_in_no_language(conversation: Conversation) -> None:
    for text in ("hes here", "ok", "croydon", "W4", "999", "thanks", "help"):
        assert conversation.languages.detect(text) in (None, ENGLISH)
        assert conversation.languages.choose(text, "pl", "en").code == "pl"


def test_the_order_message_then_chat_then_telegram_then_english(
    conversation: Conversation,
) -> None:
    choose = conversation.languages.choose
    assert choose("mój mąż mnie bije", "es", "ro") == choose("mój mąż mnie bije", None, None)
    assert choose("mój mąż mnie bije", "es", "ro").code == "pl"
    assert choose("mój mąż mnie bije", None, None).detected
    assert choose("croydon", "es", "ro").code == "es"
    assert not choose("croydon", "es", "ro").detected
    assert choose("croydon", None, "ro-RO").code == "ro"
    assert choose("croydon", None, "fr").code == ENGLISH
    assert choose(None, None, None).code == ENGLISH


@pytest.mark.parametrize("code", OTHERS)
def test_danger_is_recognised_in_every_language(conversation: Conversation, code: str) -> None:
    missed = [
        str(m["text"])
        for m in labelled()
        if m["lang"] == code
        and m["danger"]
        and conversation.understander.read(str(m["text"]), None, code).kind != "danger"
    ]
    assert missed == []


def test_the_danger_words_of_other_languages_never_touch_an_english_message(
    conversation: Conversation,
) -> None:
    assert conversation.understander.words is not None
    assert [t for t in english() if conversation.understander.words.danger(t)] == []


def test_needs_are_read_from_each_language_s_common_words(conversation: Conversation) -> None:
    asked = [m for m in labelled() if m.get("need") and not m["danger"]]
    read = [
        (m, conversation.understander.read(str(m["text"]), None, str(m["lang"]))) for m in asked
    ]
    # Help always comes (a danger reply, 999 first, is help too), and the right help mostly.
    assert all(intent.kind in ("help", "danger") for _, intent in read)
    right = [
        m for m, intent in read
        if intent.kind == "help" and intent.need == NEEDS[str(m["need"])]
    ]  # fmt: skip
    assert len(right) / len(asked) >= 0.9, len(right) / len(asked)


def test_cld2_is_asked_only_when_its_answer_can_decide(
    conversation: Conversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each reading touches about 1 MB of CLD2's tables: short messages (CLD2 alone decides
    # nothing there) and Arabic or Urdu letters (bari yeh, ta marbuta...) do without it.
    asked: list[str] = []
    real = language_choice._cld2

    def counted(text: str, among: Iterable[str]) -> tuple[str | None, bool]:
        asked.append(text)
        return real(text, among)

    monkeypatch.setattr(language_choice, "_cld2", counted)
    detect = conversation.languages.detect
    assert [detect(t) for t in ("hes here", "la policia", "muito obrigado")] == [None] * 3
    assert detect("میرا شوہر مجھے مار رہا ہے") == "ur"
    assert detect("زوجي يضربني") == "ar"
    assert asked == []
    assert detect("llamen a la policia ahora mismo") == "es" and len(asked) == 1


def test_the_bot_starts_without_loading_cld2() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import bot.fronts.telegram.app, bot.fronts.cli\n"
        "assert 'pycld2' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
