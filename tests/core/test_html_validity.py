"""Every reply is valid Telegram HTML, and long replies split into valid messages."""

from __future__ import annotations

import html
import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram_html import problems

from bot.core import buttons, signpost
from bot.core.conversation import Conversation
from bot.fronts.telegram.split import MAX_MESSAGE, split_html, units

PROFILE = settings(
    derandomize=True,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def assert_sendable(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split `text` as the bot does before sending; every part must be valid and fit."""
    parts = split_html(text, limit)
    assert parts, f"nothing to send for {text[:80]!r}"
    for part in parts:
        assert problems(part) == [], part
        assert units(part) <= limit, (units(part), limit)
    return parts


def visible(text: str) -> str:
    """What the person reads, with whitespace removed (splits may drop it at a cut)."""
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^<>]*>", "", text)))


# -- the checker itself -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "plain words",
        "<b>bold</b> and <i>italic</i>, <u>u</u> <s>s</s> <tg-spoiler>x</tg-spoiler>",
        '<a href="https://example.org/?a=1&amp;b=2">a link</a>',
        '<span class="tg-spoiler">hidden</span> <blockquote expandable>quote</blockquote>',
        '<pre><code class="language-python">x = 1 &lt; 2</code></pre>',
        "&lt;b&gt; is escaped &amp; so is &quot;this&quot; &#128512; &#x1F600;",
        "<b><i>nested</i> properly</b>",
    ],
)
def test_checker_accepts_valid_telegram_html(text: str) -> None:
    assert problems(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "<b>never closed",
        "closed</b> but never opened",
        "<b><i>crossed</b></i>",
        "1 < 2",
        "2 > 1",
        "fish & chips",
        "&nbsp;",
        "<br>line",
        "<br/>line",
        "<p>paragraph</p>",
        "<a>no href</a>",
        '<b onclick="x">attribute</b>',
        "<span>no class</span>",
        "<code><b>inside code</b></code>",
        "<!-- comment -->text",
        "<b></b>",
        "   ",
    ],
)
def test_checker_rejects_what_telegram_refuses(text: str) -> None:
    assert problems(text) != []


# -- every reply the bot can give -----------------------------------------------------


def _every_command(conversation: Conversation) -> list[tuple[str, str]]:
    names = ["start", "help", "menu", "emergency", "about", "privacy", "unknown-command"]
    calls = [(name, "") for name in names]
    boroughs = [b.name for b in conversation.store.boroughs.values()]
    calls += [("figures", name) for name in [*boroughs, "", "nowhere at all"]]
    calls += [("compare", f"{a} and {b}") for a, b in itertools.pairwise(boroughs)]
    calls += [("compare", "just one: Ealing"), ("compare", "")]
    calls += [("services", arg) for arg in ["", *signpost.NEEDS, *boroughs, "he has a knife"]]
    return calls


def test_every_command_reply_is_valid(conversation: Conversation) -> None:
    for name, argument in _every_command(conversation):
        assert_sendable(conversation.command(name, argument).text)


def test_every_button_reply_is_valid(conversation: Conversation) -> None:
    codes = list(conversation.store.boroughs)
    presses = []
    for action in buttons.Action:
        if action not in buttons.TAKES_ARGUMENT:
            presses.append(buttons.encode(action))
        elif action == "need":
            presses += [buttons.encode(action, need) for need in signpost.NEEDS]
        else:
            presses += [buttons.encode(action, code) for code in codes]
    for data in presses:
        reply = conversation.press(data)
        assert_sendable(reply.text)
        for row in reply.buttons:
            for button in row:
                assert buttons.decode(button.data) is not None, button


@pytest.mark.parametrize(
    "text",
    [
        "croydon",
        "how many offences in Kensington & Chelsea?",
        "compare ealing and hounslow",
        "which borough is highest per 1,000 residents",
        "lowest borough",
        "west london figures",
        "where can I get help in Camden",
        "I'm a man and my wife hits me",
        "forced marriage",
        "he is going to kill me",
        "refuge phone number",
        "about the data",
        "is this private",
        "hello",
        "thanks",
        "menu",
        "show me a chart",
        "is it going up in croydon",
        "the city",
        "<b>croydon</b> & <script>alert(1)</script>",
    ],
)
def test_answers_to_typical_messages_are_valid(conversation: Conversation, text: str) -> None:
    assert_sendable(conversation.answer(text).text)


# -- splitting long replies ---------------------------------------------------------------


def test_a_short_reply_is_one_message_unchanged() -> None:
    text = "<b>Croydon: 2,531</b> offences &amp; more."
    assert split_html(text) == [text]


def test_paragraphs_are_kept_whole_when_they_fit() -> None:
    paragraphs = [f"<b>Part {n}</b>\n" + "word " * 150 for n in range(20)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    parts = assert_sendable(text)
    assert len(parts) > 1
    for part in parts:
        assert part.startswith("<b>Part ")  # every message starts at a paragraph
    assert visible("".join(parts)) == visible(text)


def test_a_tag_open_across_a_break_is_closed_and_reopened() -> None:
    text = '<a href="https://example.org">' + "link text " * 1000 + "</a> after"
    parts = assert_sendable(text)
    assert len(parts) >= 3
    assert all(part.startswith('<a href="https://example.org">') for part in parts)
    assert visible("".join(parts)) == visible(text)


def test_entities_and_emoji_are_never_cut() -> None:
    text = "&amp;&lt;🚨👩🏽‍⚕️" * 2000  # no spaces or lines: breaks may fall anywhere else
    parts = assert_sendable(text, limit=100)
    assert visible("".join(parts)) == visible(text)
    for part in parts:
        assert not part.startswith(("amp;", "lt;", "\U0001f3fd", "\u200d", "\ufe0f"))


def test_a_tag_too_long_to_repeat_keeps_its_text() -> None:
    href = "https://example.org/" + "x" * 2000
    text = f'<a href="{href}">' + "words " * 2000 + "</a>"
    parts = assert_sendable(text)
    assert visible("".join(parts)) == visible("words " * 2000)


# Random documents in the Telegram subset: nested formatting around escaped text that
# holds emoji, newlines, spaces and characters that need escaping.
_PIECES = [*"abc xyz\n\n\t&<>\"'é", "🚨", "👩🏽\u200d⚕️", "\u0301", "漢", "word ", "\n"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=200).map(
    lambda pieces: html.escape("".join(pieces), quote=False)
)
_OPEN = st.sampled_from(
    [
        ("b", "<b>"),
        ("i", "<i>"),
        ("u", "<u>"),
        ("s", "<s>"),
        ("tg-spoiler", "<tg-spoiler>"),
        ("span", '<span class="tg-spoiler">'),
        ("blockquote", "<blockquote>"),
        ("a", '<a href="https://example.org/?a=1&amp;b=2">'),
    ]
)
_VERBATIM = st.sampled_from(["code", "pre"])


def _node(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(_OPEN, st.lists(children, min_size=1, max_size=4)).map(
        lambda pair: pair[0][1] + "".join(pair[1]) + f"</{pair[0][0]}>"
    )


_DOCUMENT = st.recursive(
    _TEXT | st.tuples(_VERBATIM, _TEXT).map(lambda p: f"<{p[0]}>{p[1]}</{p[0]}>") | st.just("\n\n"),
    _node,
    max_leaves=60,
).filter(lambda doc: not problems(doc))


@PROFILE
@given(
    document=st.lists(_DOCUMENT, min_size=1, max_size=8).map("\n".join), limit=st.integers(120, 600)
)
def test_any_valid_document_splits_into_valid_messages(document: str, limit: int) -> None:
    parts = assert_sendable(document, limit)
    assert visible("".join(parts)) == visible(document)
    if units(document) <= limit:
        assert parts == [document]


def test_formatting_too_deep_to_repeat_falls_back_to_plain_text() -> None:
    text = '<b><i><u><s><a href="https://example.org/long/path">' + "x &amp; y " * 40
    text += "</a></s></u></i></b>"
    parts = assert_sendable(text, limit=60)
    assert not any("<" in part for part in parts)
    assert visible("".join(parts)) == visible(text)
