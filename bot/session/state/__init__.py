"""Per-chat state: the message ids a quick exit deletes, the discreet-mode flag, and what
the last answer was about (a Context of codes, for follow-ups like "what about brent").

Nothing else about a chat is kept: no text, no names, no numbers. Three stores keep the
same promises (one contract test suite runs against all of them):

- InMemoryChatState: one process's memory (tests, the terminal chat);
- SqliteChatState: a 0600 file in the user's state folder, the default of
  `helpline-bot run`: it lasts through restarts and needs no server;
- RedisChatState: one Redis server shared by several instances.

The promises: chats are keyed by an HMAC-SHA256 of their id, never the id itself; ids,
the context and the language go 48 hours after they were written, and a chat's whole
record 48 hours after its last change; the discreet flag stays until turned off (a
preference: a person who asked for quiet, plain notifications must not lose it while
away); everything is bounded by the caps in limits.py, however many chats write; and a chat
reports `lost_some()` whenever its record cannot vouch that it holds every message of
the chat (see record.py).

No rate-limit counters are kept: python-telegram-bot's AIORateLimiter paces sends, and
one chat's updates are handled one at a time (see PerChatUpdateProcessor in
bot.fronts.telegram.pacing).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from bot.domain.models import Context
from bot.session.state.changes import ChatChange, ChatView
from bot.session.state.limits import (
    DELETE_WINDOW,
    MAX_CHATS,
    MAX_DISCREET,
    MAX_IDS,
    MAX_IDS_PER_CHAT,
    MAX_UPDATES,
)


class ChatState(Protocol):
    """What the Telegram front keeps per chat. Implementations must forget ids after 48h."""

    async def remember(self, chat_id: int, message_id: int, sent_at: float | None = None) -> bool:
        """Record one message id of this chat (the person's or the bot's), sent at `sent_at`.

        True if the id was new (neither known already nor too old to delete).
        """

    async def recent(self, chat_id: int) -> list[int]:
        """The ids still under 48 hours old, oldest first (Telegram's order in a chat)."""

    async def forget(self, chat_id: int, message_ids: Iterable[int]) -> None:
        """Drop these ids (after they were deleted); they count as accounted for."""

    async def lost_some(self, chat_id: int) -> bool:
        """Whether a message of this chat may remain that `recent` does not list.

        True when ids were dropped unerased (too old, over the cap), when a send's outcome
        was unknown (mark_lost), and whenever the ids held and deleted do not run from 1
        without a gap: messages from before a restart, or from a record that expired.
        """

    async def discreet(self, chat_id: int) -> bool:
        """Whether this chat asked for discreet mode."""

    async def set_discreet(self, chat_id: int, on: bool) -> None:
        """Turn discreet mode on or off for this chat."""

    async def context(self, chat_id: int) -> Context | None:
        """What the last answer was about (codes only), if under 48 hours old."""

    async def set_context(self, chat_id: int, context: Context | None) -> None:
        """Keep this context for the chat's next message; None forgets it."""

    async def language(self, chat_id: int) -> str | None:
        """The language code this chat was last answered in, if under 48 hours old."""

    async def set_language(self, chat_id: int, code: str | None) -> None:
        """Keep this language code (e.g. "pl") for the chat; None forgets it."""

    async def mark_lost(self, chat_id: int) -> None:
        """Something of this chat may remain unerased (a send whose outcome is unknown)."""

    async def first_delivery(self, update_id: int) -> bool:
        """True the first time an update id is seen (in 48 hours), False for a redelivery."""

    async def load(self, chat_id: int) -> ChatView:
        """The chat's context, language and discreet flag, read at once (one round trip)."""

    async def save(self, chat_id: int, change: ChatChange) -> bool:
        """Apply one update's changes together (one round trip, one transaction).

        True if it remembered a message id that was new (as `remember`).
        """


from bot.session.state.memory import InMemoryChatState  # noqa: E402 - after the protocol
from bot.session.state.opening import (  # noqa: E402
    StateError,
    check_state,
    close_state,
    describe,
    open_state,
)

__all__ = [
    "DELETE_WINDOW",
    "MAX_CHATS",
    "MAX_DISCREET",
    "MAX_IDS",
    "MAX_IDS_PER_CHAT",
    "MAX_UPDATES",
    "ChatChange",
    "ChatState",
    "ChatView",
    "InMemoryChatState",
    "StateError",
    "check_state",
    "close_state",
    "describe",
    "open_state",
]
