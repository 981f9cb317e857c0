"""Sending: a Send effect as Telegram messages, split to size, charts uploaded once, and a
send the server failed tried again only when it cannot have arrived."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
)
from telegram.error import BadRequest, NetworkError

from bot.domain.models import Reply
from bot.fronts.telegram.pacing import slot_released
from bot.fronts.telegram.split import split_html, units
from bot.fronts.telegram.transport import may_have_arrived
from bot.session.events import Send
from bot.session.state import ChatState

log = logging.getLogger(__name__)

T = TypeVar("T")

CAPTION_LIMIT = 1024  # Telegram's limit on a photo caption
DRAWING_THREADS = 4  # questions waiting for a chart at once (bot.core.charts draws one at a time)
SEND_RETRIES = 2  # a send that failed on the server's side (5xx, dropped connection) is retried


@dataclass(slots=True)
class Outgoing:
    """A reply as Telegram messages: text parts, the keyboard for the last, a picture."""

    parts: list[str]
    markup: InlineKeyboardMarkup | None
    image: Path | None = None
    caption: str | None = None
    silent: bool = False


def present(send: Send) -> Outgoing:
    """How a Send looks on Telegram: split to size, buttons as an inline keyboard."""
    reply = send.reply
    rows = [[InlineKeyboardButton(b.label, callback_data=b.data) for b in r] for r in reply.buttons]
    if send.link is not None:
        rows = [[InlineKeyboardButton(send.link.label, url=send.link.url)]]
    markup = InlineKeyboardMarkup(rows) if rows else None
    if reply.image is not None and units(reply.text) <= CAPTION_LIMIT:
        return Outgoing([], markup, reply.image, reply.text, silent=send.silent)
    return Outgoing(split_html(reply.text), markup, reply.image, silent=send.silent)


class Sender:
    """Carries out Send effects in a chat."""

    def __init__(self, state: ChatState, draw: Callable[[Reply], Reply]):
        self.state = state
        self.draw = draw  # the core's Conversation.draw: a reply's picture, drawn once
        # The core answers in well under a millisecond, so it runs on the event loop; only a
        # chart's first drawing (about a second, in a child process) waits on a worker thread,
        # and other chats are answered meanwhile. Charts draw one at a time (bot.core.charts).
        self._drawing = ThreadPoolExecutor(max_workers=DRAWING_THREADS, thread_name_prefix="draw")
        # Each chart uploaded once: its path (one per data version) -> Telegram's file_id.
        self._photo_ids: dict[Path, str] = {}

    async def send(
        self,
        bot: Bot,
        chat_id: int,
        send: Send,
        *,
        private: bool = True,
        reply_to_id: int | None = None,
    ) -> list[Message]:
        """Send to a chat; `reply_to_id` answers under that message (an edited one).

        Every message sent in a private chat is recorded for the quick exit, and a send
        that may have arrived unseen (its answer timed out) marks the chat as possibly
        not fully erasable.
        """
        reply = send.reply
        if reply.chart is not None:
            async with slot_released():  # a drawing is a wait: other chats go on meanwhile
                await asyncio.get_running_loop().run_in_executor(self._drawing, self.draw, reply)
        out = present(send)
        reply_to = None
        if reply_to_id is not None:
            reply_to = ReplyParameters(reply_to_id, allow_sending_without_reply=True)
        sent: list[Message] = []
        try:
            if out.image is not None:
                sent.append(
                    await self._send_photo(
                        out.image,
                        lambda photo: bot.send_photo(
                            chat_id,
                            photo,
                            caption=out.caption,
                            reply_markup=out.markup if not out.parts else None,
                            disable_notification=out.silent,
                            reply_parameters=reply_to,
                        ),
                    )
                )
            for index, part in enumerate(out.parts):
                last = index == len(out.parts) - 1

                async def send_part(part: str = part, last: bool = last) -> Message:
                    return await bot.send_message(
                        chat_id,
                        part,
                        reply_markup=out.markup if last else None,
                        disable_notification=out.silent,
                        reply_parameters=reply_to if not sent else None,
                    )

                sent.append(await with_retries(send_part))
        except NetworkError as error:
            if private and may_have_arrived(error):  # its id is unknown: an exit cannot erase it
                await self.state.mark_lost(chat_id)
            raise
        finally:  # whatever was sent is recorded, even if a later part failed or an exit
            if private and sent:  # stopped it: the erase that follows must know every id
                recording = asyncio.ensure_future(self._record(chat_id, sent))
                try:
                    await asyncio.shield(recording)
                except asyncio.CancelledError:
                    await recording
                    raise
        return sent

    async def _record(self, chat_id: int, sent: list[Message]) -> None:
        for message in sent:
            await self.state.remember(chat_id, message.message_id, message.date.timestamp())

    async def _send_photo(
        self, image: Path, send: Callable[[Path | str], Awaitable[Message]]
    ) -> Message:
        """Upload a chart the first time; after that, send it by the file_id Telegram gave it.

        Saves uploading the same picture again for everyone who asks. Should Telegram
        refuse a file_id it gave, the picture is uploaded again.
        """
        known = self._photo_ids.get(image)
        if known is not None:
            try:
                return await with_retries(lambda: send(known))
            except BadRequest:
                log.warning("a chart's file_id was refused; uploading it again")
                self._photo_ids.pop(image, None)
        message = await with_retries(lambda: send(image))
        if message.photo:
            self._photo_ids[image] = message.photo[-1].file_id
        return message


async def with_retries(call: Callable[[], Awaitable[T]], retries: int = SEND_RETRIES) -> T:
    """Retry a send the server failed (5xx, dropped connection) with a short, growing pause.

    429s are waited out by the rate limiter; a refused request (400) is never retried, nor
    one that may have arrived (the transport says).
    """
    for attempt in range(retries + 1):
        try:
            return await call()
        except BadRequest:
            raise
        except NetworkError as error:
            if attempt == retries or may_have_arrived(error):
                raise
            log.warning("send failed (%s); retrying", type(error).__name__)
            await asyncio.sleep(0.25 * 2**attempt)
    raise AssertionError("unreachable")
