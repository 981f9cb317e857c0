"""One update's read and write of a chat's state: what a reply needs, and what it changes.

An update reads the chat once (a ChatView) and writes what it changed once (a ChatChange):
one round trip each, to the thread of a SQLite file or to Redis, however many things the
reply looks at or changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.models import Context


@dataclass(frozen=True, slots=True)
class ChatView:
    """What a reply needs to know about its chat: codes and a flag, never text."""

    context: Context | None = None
    language: str | None = None
    discreet: bool = False


@dataclass(slots=True)
class ChatChange:
    """What one update changes in its chat; fields left unset are left as they are."""

    set_context: bool = False
    context: Context | None = None
    set_language: bool = False
    language: str | None = None
    discreet: bool | None = None  # None: unchanged
    remember: tuple[int, float | None] | None = None  # (a message id, sent at)

    def empty(self) -> bool:
        return not (
            self.set_context
            or self.set_language
            or self.discreet is not None
            or self.remember is not None
        )

    def touches_record(self) -> bool:
        """Whether the chat's record changes (the discreet flag is kept apart from it)."""
        return self.set_context or self.set_language or self.remember is not None

    def creates_record(self) -> bool:
        """Whether a chat without a record gets one (forgetting makes none)."""
        return (
            self.remember is not None
            or (self.set_context and self.context is not None)
            or (self.set_language and self.language is not None)
        )
