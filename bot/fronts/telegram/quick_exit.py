"""The quick exit on Telegram: delete every recorded message of a chat, newest first, whatever
fails (the session decides when; this carries out its Erase).

Telegram's deleteMessages takes 1 to 100 ids and lets a bot delete both sides of a
private chat while messages are under 48 hours old. Ids come from the chat state
(recorded as messages passed), never computed: they are not consecutive.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from telegram import Bot
from telegram.error import BadRequest, Forbidden, TelegramError

log = logging.getLogger(__name__)

BATCH = 100  # Telegram's most ids per deleteMessages
RETRY_PAUSE = 0.5  # seconds before trying a failed batch once more


@dataclass(slots=True)
class Erased:
    """What an erase did. `kept` could not be deleted and are still visible."""

    deleted: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)  # refused (too old, not deletable)
    failed: list[int] = field(default_factory=list)  # the API failed: worth another try
    calls: int = 0

    @property
    def settled(self) -> list[int]:
        """Ids not worth trying again: deleted, already gone, or refused for good."""
        return self.deleted + self.kept

    @property
    def complete(self) -> bool:
        return not self.kept and not self.failed


async def erase(bot: Bot, chat_id: int, message_ids: Sequence[int]) -> Erased:
    """Delete `message_ids` (given oldest first) newest first, in batches of at most 100.

    A refused batch is retried id by id, so one undeletable message spares no other; a
    batch the API fails is tried once more, then left for a later exit. Nothing raises.
    """
    result = Erased()
    newest_first = list(dict.fromkeys(reversed(message_ids)))
    for start in range(0, len(newest_first), BATCH):
        await _delete_batch(bot, chat_id, newest_first[start : start + BATCH], result)
    return result


async def _delete_batch(bot: Bot, chat_id: int, batch: list[int], result: Erased) -> None:
    for attempt in range(2):
        try:
            result.calls += 1
            await bot.delete_messages(chat_id, batch)
        except BadRequest:
            await _delete_one_by_one(bot, chat_id, batch, result)
            return
        except Forbidden:
            result.kept.extend(batch)  # the person blocked the bot: nothing can be deleted
            return
        except TelegramError as error:  # 5xx, network, a 429 beyond the rate limiter
            if attempt == 0:
                log.warning("deleteMessages failed (%s); trying again", type(error).__name__)
                await asyncio.sleep(RETRY_PAUSE)
                continue
            log.warning(
                "deleteMessages failed again (%s); %d left", type(error).__name__, len(batch)
            )
            result.failed.extend(batch)
            return
        else:
            result.deleted.extend(batch)
            return


async def _delete_one_by_one(bot: Bot, chat_id: int, batch: list[int], result: Erased) -> None:
    for message_id in batch:
        try:
            result.calls += 1
            await bot.delete_message(chat_id, message_id)
        except BadRequest as error:
            if "not found" in str(error).lower():
                result.deleted.append(message_id)  # already gone
            else:
                result.kept.append(message_id)  # e.g. too old: Telegram will not delete it
        except TelegramError:
            result.failed.append(message_id)
        else:
            result.deleted.append(message_id)
