"""The session: one event in, effects out, the same for every front."""

from __future__ import annotations

import time

import pytest

from bot.core import buttons
from bot.core.conversation import Conversation
from bot.session.events import (
    Command,
    Erase,
    Erased,
    Failed,
    InGroup,
    NonText,
    NonTextKind,
    Pressed,
    Said,
    Send,
)
from bot.session.session import EXIT_DATA, Front, Session
from bot.session.state import ChatState, InMemoryChatState

CHAT = 7


def _session(conversation: Conversation, front: Front = Front.TELEGRAM) -> Session:
    return Session(conversation, InMemoryChatState(), front)


def _sent(todo: list[Send | Erase]) -> Send:
    [send] = todo
    assert isinstance(send, Send)
    return send


@pytest.mark.parametrize("front", list(Front))
@pytest.mark.parametrize(
    ("text", "leaves"),
    [
        ("exit", True),
        ("Exit!", True),
        ("  LEAVE ", True),
        ("quit", True),
        ("leave quickly", True),
        ("get me out", True),
        ("I want to exit this relationship", False),
        ("exit croydon", False),
        ("", False),
        (None, False),
    ],
)
async def test_asking_to_leave_in_words(
    conversation: Conversation, front: Front, text: str | None, leaves: bool
) -> None:
    todo = await _session(conversation, front).handle(CHAT, Said((text or "").strip()))
    assert (todo == [Erase()]) is leaves


@pytest.mark.parametrize("front", list(Front))
async def test_exit_command_and_button_erase_on_every_front(
    conversation: Conversation, front: Front
) -> None:
    session = _session(conversation, front)
    assert await session.handle(CHAT, Command("exit")) == [Erase()]
    assert await session.handle(CHAT, Pressed(EXIT_DATA)) == [Erase()]


async def test_after_an_erase_only_an_incomplete_one_says_anything(
    conversation: Conversation,
) -> None:
    session = _session(conversation)
    assert await session.handle(CHAT, Erased(everything=True)) == []
    note = _sent(await session.handle(CHAT, Erased(everything=False)))
    assert note.reply.intent == "exit_incomplete"


async def test_discreet_mode_is_kept_per_chat_and_spares_the_danger_reply(
    conversation: Conversation,
) -> None:
    session = _session(conversation)
    line = session.renderer.render("discreet_line.html")
    switched = _sent(await session.handle(CHAT, Command("discreet", "on")))
    assert "Discreet mode is on" in switched.reply.text
    figures = _sent(await session.handle(CHAT, Said("croydon")))
    assert figures.silent and figures.reply.text.startswith(line)
    danger = _sent(await session.handle(CHAT, Said("he is outside the door")))
    assert danger.silent and not danger.reply.text.startswith(line)
    other = _sent(await session.handle(CHAT + 1, Said("croydon")))  # another chat: unchanged
    assert not other.silent and not other.reply.text.startswith(line)
    _sent(await session.handle(CHAT, Command("discreet", "off")))
    assert not _sent(await session.handle(CHAT, Said("croydon"))).silent


async def test_the_terminal_has_no_discreet_mode_and_no_leave_button(
    conversation: Conversation,
) -> None:
    session = _session(conversation, Front.TERMINAL)
    note = _sent(await session.handle(CHAT, Command("discreet", "on")))
    assert "Discreet mode is for Telegram" in note.reply.text
    figures = _sent(await session.handle(CHAT, Said("croydon")))
    assert not figures.silent
    assert EXIT_DATA not in [b.data for row in figures.reply.buttons for b in row]


async def test_every_telegram_reply_in_a_private_chat_ends_with_leave_quickly(
    conversation: Conversation,
) -> None:
    session = _session(conversation)
    for event in (Said("croydon"), Command("help"), NonText(NonTextKind.VOICE), Failed(True)):
        reply = _sent(await session.handle(CHAT, event)).reply
        assert [b.data for b in reply.buttons[-1]] == [EXIT_DATA], event


async def test_a_caption_is_read_as_text_and_a_group_gets_a_link(
    conversation: Conversation,
) -> None:
    session = _session(conversation)
    captioned = _sent(await session.handle(CHAT, NonText(NonTextKind.PHOTO, "croydon")))
    assert "Croydon" in captioned.reply.text
    group = _sent(await session.handle(-5, InGroup("helpline_test_bot")))
    assert group.link is not None and group.link.url == "https://t.me/helpline_test_bot"
    assert (
        _sent(await session.handle(-5, Failed(False, "helpline_test_bot"))).reply.intent == "group"
    )


def test_the_session_never_loads_telegram() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import bot.session.session, bot.session.events, bot.session.commands\n"
        "import bot.session.state\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('telegram', 'httpx'))\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("front", list(Front))
async def test_a_follow_up_is_read_with_the_last_answer_on_every_front(
    conversation: Conversation, front: Front
) -> None:
    session = _session(conversation, front)
    _sent(await session.handle(CHAT, Said("how many in croydon")))
    later = _sent(await session.handle(CHAT, Said("and the year before?"))).reply
    assert later.intent == "figures" and "<b>Croydon: 4,848</b>" in later.text
    # Another chat has its own context: there, the same words are read alone.
    alone = _sent(await session.handle(CHAT + 1, Said("and the year before?"))).reply
    assert alone.intent == "unknown"


@pytest.mark.parametrize("front", list(Front))
@pytest.mark.parametrize("leave", [Said("get me out"), Command("exit"), Pressed(EXIT_DATA)])
async def test_the_quick_exit_forgets_what_the_chat_was_about(
    conversation: Conversation, front: Front, leave: Said | Command | Pressed
) -> None:
    state = InMemoryChatState()
    session = Session(conversation, state, front)
    _sent(await session.handle(CHAT, Said("my friend is being abused by her boyfriend")))
    assert await state.context(CHAT) is not None
    assert await session.handle(CHAT, leave) == [Erase()]
    assert await state.context(CHAT) is None
    assert state.size() == (0, 0)
    again = _sent(await session.handle(CHAT, Said("he lives in enfield"))).reply
    assert again.intent == "figures"  # read alone: nothing of the friend was kept


@pytest.mark.parametrize(
    "danger", [Said("he has a knife"), Command("emergency"), Pressed(buttons.encode("danger"))]
)
async def test_danger_forgets_what_the_chat_was_about(
    conversation: Conversation, danger: Said | Command | Pressed
) -> None:
    state = InMemoryChatState()
    session = Session(conversation, state, Front.TELEGRAM)
    _sent(await session.handle(CHAT, Said("how many in croydon")))
    assert await state.context(CHAT) is not None
    reply = _sent(await session.handle(CHAT, danger)).reply
    assert reply.intent == "danger" and "999" in reply.text.splitlines()[0]
    assert await state.context(CHAT) is None


# Every call of the ChatState protocol: one round trip each to SQLite's thread or Redis.
ROUND_TRIPS = {n for n in vars(ChatState) if not n.startswith("_")}


class CountingState(InMemoryChatState):
    """The memory store, counting every call the session makes (each a round trip on
    SQLite or Redis)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def __getattribute__(self, name: str) -> object:
        attribute = super().__getattribute__(name)
        if name in ROUND_TRIPS:
            super().__getattribute__("calls").append(name)
        return attribute


@pytest.mark.parametrize(
    "event",
    [
        Said("croydon"),
        Said("he's outside the door and I'm scared"),
        Said("dzień dobry, potrzebuję pomocy"),  # a language read and kept
        Command("discreet", "on"),
        Command("language", "polski"),
        Pressed(EXIT_DATA),
        Command("exit"),
    ],
)
async def test_an_event_reads_its_chat_once_and_writes_it_once(
    conversation: Conversation, event: Said | Command | Pressed
) -> None:
    state = CountingState()
    session = Session(conversation, state, Front.TELEGRAM)
    await session.handle(CHAT, Said("croydon"), remember=(1, time.time()))
    state.calls.clear()
    await session.handle(CHAT, event, remember=(2, time.time()))
    assert state.calls in (["load", "save"], ["save"])
    assert await state.recent(CHAT) == [1, 2]  # the message's id, with the other changes


async def test_changes_written_together_are_read_by_the_next_event(
    conversation: Conversation,
) -> None:
    state = InMemoryChatState()
    session = Session(conversation, state, Front.TELEGRAM)
    switched = _sent(await session.handle(CHAT, Command("discreet", "on")))
    assert switched.silent
    figures = _sent(await session.handle(CHAT, Said("croydon")))
    assert figures.silent and (await state.load(CHAT)).discreet
    follow_up = _sent(await session.handle(CHAT, Said("what about brent")))
    assert "Brent" in follow_up.reply.text and follow_up.silent
    await session.handle(CHAT, Command("discreet", "off"))
    assert not _sent(await session.handle(CHAT, Said("croydon"))).silent
