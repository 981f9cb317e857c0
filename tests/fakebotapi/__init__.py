"""A fake Telegram Bot API server on 127.0.0.1, for end-to-end tests, fault tests and benchmarks.

It speaks the Bot API over real HTTP, so a real python-telegram-bot Application runs
against it unchanged:

    with FakeBotAPI() as api:
        app = (
            ApplicationBuilder().token(api.token)
            .base_url(api.base_url).base_file_url(api.base_file_url).build()
        )
        ...                                   # start polling as usual
        api.send_text("/start", chat_id=1001)  # queue an update, as a person would
        [call] = api.wait_for("sendMessage")   # block until the bot answered
        call.params["text"]                    # what it sent, decoded

What it does:
- Answers getMe, getUpdates (long polling, offsets honoured, tolerates a dropped poll),
  sendMessage, sendPhoto (multipart), editMessageText, editMessageReplyMarkup,
  deleteMessage, deleteMessages (1-100 ids; too-old or unknown ids skipped),
  answerCallbackQuery, sendChatAction, set/get/deleteMyCommands, setMyDescription,
  setMyShortDescription, setWebhook,
  deleteWebhook, getWebhookInfo. Other methods get 404, like Telegram; a wrong token gets 401.
- Checks what a real server would refuse: empty or too long text, HTML that Telegram could
  not parse, unknown chats, more than 100 ids to delete.
- Records every call (`calls`, `calls_to`, `wait_for`) with its decoded parameters, the
  HTTP status it answered and a perf_counter time stamp; `delivered_at` holds when each
  update was first handed to the bot, for latency figures.
- Keeps every chat's messages, the person's and the bot's, with their deletions
  (`messages`, `deleted_ids`), so a test can check what is left in a chat.
- Message ids come from one counter with random gaps, like Telegram's: unique and
  increasing within a chat, never consecutive. Nothing may compute them.
- Faults on demand, for the next N calls of a method: `fail` (any status, e.g. 429 with
  retry_after, 500), `slow` (answer after a delay), `drop` (close the connection unanswered).
- With a webhook set (setWebhook), queued updates are POSTed to it with the secret header
  instead of being served by getUpdates, which then answers 409, like Telegram.

Times are real: keep long-poll timeouts short in tests (the fake caps a poll at
`max_poll_wait` seconds).

`AppThread` runs any bot (a coroutine that serves until an asyncio.Event is set) in a
thread with its own event loop, so a test can drive it with the blocking calls above:

    with FakeBotAPI() as api, AppThread(lambda stop: serve(app, Polling(0.5), stop)):
        api.send_text("hello")
        api.wait_for("sendMessage")

The package, one job a module:
- world.py       what Telegram holds: the bot, chats and their messages, the updates waiting
- methods.py     the Bot API methods, answered from the world (Telegram-HTML checked by
                 tests/telegram_html.py, the one checker)
- faults.py      faults on demand: fail, slow, drop
- recorder.py    every call the bot made, and waiting for calls
- server.py      HTTP: the server, request decoding, webhook POSTs
- api.py         FakeBotAPI, the face a test drives
- app_thread.py  AppThread
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram_html import visible

from fakebotapi.api import DEFAULT_TOKEN, FakeBotAPI
from fakebotapi.app_thread import AppThread
from fakebotapi.methods import DELETE_WINDOW
from fakebotapi.recorder import Call
from fakebotapi.world import ChatMessage

__all__ = [
    "DEFAULT_TOKEN",
    "DELETE_WINDOW",
    "AppThread",
    "Call",
    "ChatMessage",
    "FakeBotAPI",
    "all_message_ids",
    "texts",
    "visible",
]


def all_message_ids(api: FakeBotAPI, chat_id: int) -> list[int]:
    """Every id ever in a chat, the person's and the bot's (helper for erase checks)."""
    return [m.message_id for m in api.messages(chat_id, include_deleted=True)]


def texts(calls: Iterable[Call]) -> list[str]:
    """The text or caption of each send call, as sent (HTML)."""
    return [str(c.params.get("text") or c.params.get("caption") or "") for c in calls]
