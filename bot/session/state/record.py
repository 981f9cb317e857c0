"""One chat's record, the same rules for every store: ids, what is accounted for, flags.

The quick exit must never leave something silently, so a record can tell whether it
vouches for every message of its chat. In a private chat Telegram numbers messages from
1, both sides on one counter. A record vouches for its chat only when the ids it holds,
with the ids it already saw deleted, run from 1 without a gap; anything else (a restart
that lost the memory, a chat whose record expired while older messages stayed, a send
whose outcome is unknown, an update never read) leaves a gap, or sets `lost`, and the
exit then says that something may remain. The numbering is only read to warn, never to
delete an id we did not see.

Kept per chat: `held` (message id -> when it was sent), ids deleted (`gone`, and below
`floor` everything is accounted for), `lost`, and the last answer's context and language
as codes. Never a chat id, never text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.domain.models import Context, IntentKind


def context_codes(context: Context) -> list[Any]:
    """A Context as a list of codes (kind, boroughs, need, year, financial year, by rate)."""
    return [
        context.kind.value,
        list(context.boroughs),
        context.need,
        context.year,
        context.financial_year,
        context.by_rate,
    ]


def context_from_codes(codes: list[Any]) -> Context | None:
    """The Context back from its codes; None if they no longer make one (a newer version)."""
    try:
        kind, boroughs, need, year, financial_year, by_rate = codes
        return Context(
            IntentKind(kind),
            tuple(str(b) for b in boroughs),
            need,
            year,
            bool(financial_year),
            bool(by_rate),
        )
    except (TypeError, ValueError):
        return None


def ids_vouched(floor: int, known: Iterable[int]) -> bool:
    """Whether ids up to `floor` and `known` (each above it) run from 1 without a gap."""
    ids = sorted(known)
    if not ids:
        return True
    return ids[0] == floor + 1 and ids[-1] - ids[0] + 1 == len(ids)


@dataclass(slots=True)
class ChatRecord:
    held: dict[int, float] = field(default_factory=dict)  # ids to delete -> sent at
    gone: set[int] = field(default_factory=set)  # deleted, above `floor`
    floor: int = 0  # every id up to here is deleted or was never ours to hold
    lost: bool = False  # something of this chat may remain, whatever the ids say
    context: Context | None = None
    context_at: float = 0.0
    language: str | None = None
    language_at: float = 0.0
    touched: float = 0.0  # the last change: the whole record goes 48 hours after it

    # -- the rules ---------------------------------------------------------------------

    def expire(self, now: float, window: float) -> None:
        """Drop what is 48 hours old: an id still held then stays in the chat for good."""
        cutoff = now - window
        old = [i for i, at in self.held.items() if at <= cutoff]
        for message_id in old:
            del self.held[message_id]
        if old:
            self.lost = True
        if self.context is not None and self.context_at <= cutoff:
            self.context = None
        if self.language is not None and self.language_at <= cutoff:
            self.language = None

    def remember(self, message_id: int, at: float, now: float, window: float, cap: int) -> bool:
        self.touched = now
        if at <= now - window:
            self.lost = True  # too old to delete: it stays
            return False
        if message_id <= self.floor or message_id in self.held or message_id in self.gone:
            return False
        self.held[message_id] = at
        while len(self.held) + len(self.gone) > cap:
            lowest = min(min(self.held), min(self.gone, default=message_id))
            self.held.pop(lowest, None)
            self.gone.discard(lowest)
            self.floor = max(self.floor, lowest)
            self.lost = True  # over the cap: the oldest is no longer ours to delete
        return True

    def forget(self, message_ids: Iterable[int], now: float) -> None:
        for message_id in message_ids:
            if self.held.pop(message_id, None) is not None:
                self.gone.add(message_id)
        while self.floor + 1 in self.gone:
            self.floor += 1
            self.gone.discard(self.floor)
        self.touched = now

    def lost_some(self) -> bool:
        return self.lost or not ids_vouched(self.floor, [*self.held, *self.gone])

    def size(self) -> int:
        """Ids held or remembered as deleted: what the caps count."""
        return len(self.held) + len(self.gone)

    # -- as bytes, for a store -----------------------------------------------------------

    def encode(self) -> bytes:
        data: dict[str, Any] = {"t": round(self.touched, 3)}
        if self.held:
            # Whole seconds, as Telegram dates messages: a few bytes an id.
            data["h"] = [[i, int(at)] for i, at in self.held.items()]
        if self.gone:
            data["g"] = sorted(self.gone)
        if self.floor:
            data["f"] = self.floor
        if self.lost:
            data["l"] = 1
        if self.context is not None:
            data["c"] = [context_codes(self.context), round(self.context_at, 3)]
        if self.language is not None:
            data["n"] = [self.language, round(self.language_at, 3)]
        return json.dumps(data, separators=(",", ":")).encode()

    @classmethod
    def decode(cls, raw: bytes) -> ChatRecord:
        data = json.loads(raw)
        record = cls(
            held={int(i): float(at) for i, at in data.get("h", [])},
            gone={int(i) for i in data.get("g", [])},
            floor=int(data.get("f", 0)),
            lost=bool(data.get("l", 0)),
            touched=float(data.get("t", 0.0)),
        )
        if "c" in data:
            codes, at = data["c"]
            # An unreadable context (from another version) is simply forgotten.
            record.context, record.context_at = context_from_codes(codes), float(at)
        if "n" in data:
            record.language, record.language_at = str(data["n"][0]), float(data["n"][1])
        return record
