"""Updates python-telegram-bot cannot read are skipped and counted, never logged.

An update that is valid JSON but not what PTB expects (a date that is not a number, say)
makes PTB's parsing raise. In polling, that fails the whole getUpdates answer, so the
update is fetched again at once, forever, and PTB logs the raw answer (message text, names,
chat ids) at CRITICAL. Here each update is read on its own: one PTB cannot read is
replaced by its bare update_id, so polling confirms it and moves on, and the log says only
its id and the error's type.

In polling, getUpdates' answer is taken from PTB before it reads it (UpdatesRequest), and
the polling loop reads each update once, here (PTB would read them all, then this again:
at 1,000 updates a second that was a fifth of the bot's time).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, Update
from telegram.error import TelegramError
from telegram.request import BaseRequest, HTTPXRequest

log = logging.getLogger(__name__)


class UnreadableUpdates(TelegramError):
    """A batch of updates none of which carries a usable update_id.

    A TelegramError, so PTB's polling loop waits a growing pause before asking again.
    """


class Vetting:
    """Try each raw update as PTB would read it; count those it cannot."""

    def __init__(self) -> None:
        self.skipped = 0

    def check(self, raw: object, bot: Bot | None = None) -> Update | None:
        """The Update (for `bot`), or None: skipped, counted and logged without content."""
        update_id = _update_id(raw)
        if update_id is None or not isinstance(raw, dict):
            self._skip(None, "no update_id")
            return None
        try:
            # PTB reads a copy of each dict it is given: `raw` stays as it came.
            return Update.de_json(raw, bot)
        except Exception as error:  # anything PTB raises while reading it
            self._skip(update_id, type(error).__name__)
            return None

    def batch(self, raw: list[Any], bot: Bot | None = None) -> list[Update]:
        """getUpdates' result read, each unreadable update reduced to its bare update_id.

        The bare update still counts, so the polling offset moves past it; nothing answers
        it (it has no chat). Entries without an update_id are dropped.
        """
        kept: list[Update] = []
        for item in raw:
            if (update := self.check(item, bot)) is not None:
                kept.append(update)
            elif (update_id := _update_id(item)) is not None:
                kept.append(Update(update_id))
        if raw and not kept:
            raise UnreadableUpdates("getUpdates answered with no readable update")
        return kept

    def _skip(self, update_id: int | None, why: str) -> None:
        self.skipped += 1
        log.warning(
            "skipped an update python-telegram-bot cannot read (update %s, %s); %d skipped so far",
            update_id if update_id is not None else "without an id",
            why,
            self.skipped,
        )


def _update_id(raw: object) -> int | None:
    update_id = raw.get("update_id") if isinstance(raw, dict) else None
    return update_id if isinstance(update_id, int) and not isinstance(update_id, bool) else None


class UpdatesRequest(HTTPXRequest):
    """The getUpdates connection: its answers are kept for the polling loop, unread by PTB.

    Bot.get_updates then returns no updates; `take` gives them, each read once (Vetting).
    """

    __slots__ = ("_raw", "vetting")

    def __init__(self, vetting: Vetting, **options: Any) -> None:
        super().__init__(**options)
        self.vetting = vetting
        self._raw: list[Any] = []

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        data = BaseRequest.parse_json_payload(payload)
        if isinstance(data, dict) and data.get("ok") and isinstance(data.get("result"), list):
            self._raw.extend(data["result"])
            data["result"] = []
        return data

    def take(self, bot: Bot) -> list[Update]:
        """The updates of the last getUpdates answers, read (UnreadableUpdates if none can be)."""
        raw, self._raw = self._raw, []
        return self.vetting.batch(raw, bot)
