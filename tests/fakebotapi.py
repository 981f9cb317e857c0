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
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import itertools
import json
import random
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

# Well-formed (digits, colon, 35 characters) so the bot's own token check passes.
DEFAULT_TOKEN = "123456789:AAFakeTokenForTests_abcdefghij12345"
DELETE_WINDOW = 48 * 3600  # a bot may delete messages in a private chat while under 48 hours old
_MAX_TEXT, _MAX_CAPTION, _MAX_DELETE = 4096, 1024, 100
# Parameters that python-telegram-bot sends as bare strings; everything else is JSON-encoded.
_STRING_PARAMS = {
    "text",
    "caption",
    "parse_mode",
    "callback_query_id",
    "url",
    "secret_token",
    "language_code",
    "emoji",
    "description",
    "short_description",
    "photo",
    "ip_address",
}
_ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "blockquote", "tg-spoiler", "span", "tg-emoji",
}  # fmt: skip
_HTML_TOKEN = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>|&(?:#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot);|[<&]"
)


class FaultInjected(Exception):
    """Raised inside the server to answer a call with an injected fault."""


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    at: float  # time.perf_counter() when the request arrived
    status: int = 0  # HTTP status answered (0 while in progress or dropped)
    result: Any = None


@dataclass
class ChatMessage:
    """A message in a chat, as Telegram holds it."""

    message_id: int
    chat_id: int
    from_bot: bool
    kind: str  # text, photo, sticker, voice, ...
    text: str  # the text or caption ("" for none)
    date: int
    deleted: bool = False
    reply_markup: dict | None = None


@dataclass
class _Fault:
    method: str
    times: int
    status: int = 0
    description: str = ""
    retry_after: int | None = None
    delay: float = 0.0
    drop: bool = False


@dataclass
class _Chat:
    info: dict[str, Any]
    messages: dict[int, ChatMessage] = field(default_factory=dict)


class FakeBotAPI:
    """A Bot API server on 127.0.0.1 (an ephemeral port unless `port` is given)."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        username: str = "helpline_test_bot",
        first_name: str = "Helpline test bot",
        port: int = 0,
        max_poll_wait: float = 1.0,
        seed: int = 5,
    ):
        self.token = token
        self.bot_id = int(token.partition(":")[0])
        self.username = username
        self.first_name = first_name
        self.max_poll_wait = max_poll_wait
        self.delivered_at: dict[int, float] = {}
        self.webhook: dict[str, Any] = {}
        self._port = port
        self._random = random.Random(seed)
        self._lock = threading.Condition()
        self._calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._confirmed = 0  # highest update_id the bot confirmed via offset
        self._update_ids = itertools.count(1)
        self._next_message_id = 100
        self._chats: dict[int, _Chat] = {}
        self._faults: list[_Fault] = []
        self._photo_ids: set[str] = set()  # file_ids of uploaded photos, reusable as Telegram's
        self._callback_ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = False

    # -- lifecycle ------------------------------------------------------------------

    def start(self) -> FakeBotAPI:
        self._server = _Server(("127.0.0.1", self._port), _handler_for(self))
        self._port = self._server.server_address[1]
        self._spawn(self._server.serve_forever, 0.05)
        self._spawn(self._push_to_webhook)
        return self

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        if self._server:
            self._server.shutdown()
            self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self._threads.append(thread)

    # -- where it listens ---------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._port

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        """For ApplicationBuilder.base_url and TELEGRAM_API_URL: the token is appended."""
        return f"{self.root}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.root}/file/bot"

    # -- updates, as people would send them ----------------------------------------

    def enqueue(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (an update_id is given if missing; duplicates are allowed)."""
        with self._lock:
            update.setdefault("update_id", next(self._update_ids))
            self._updates.append(update)
            self._lock.notify_all()
        return update

    def chat_info(
        self, chat_id: int, chat_type: str = "private", title: str = "A group"
    ) -> dict[str, Any]:
        if chat_type == "private":
            return {"id": chat_id, "type": "private", "first_name": "Person"}
        return {"id": chat_id, "type": chat_type, "title": title}

    def user_info(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": "Person", "language_code": "en"}

    def send_text(
        self,
        text: str,
        chat_id: int = 1001,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        age: float = 0,
        reply_to: int | None = None,
        queue: bool = True,
    ) -> dict[str, Any]:
        """A person sends a text (commands and @mentions get their entities).

        `age` back-dates the message by that many seconds (e.g. past the 48-hour window);
        with `queue=False` the update is only built (to POST it to a webhook by hand).
        """
        message = self._new_user_message(chat_id, user_id, chat_type, "text", text, age)
        message["text"] = text
        entities = _entities(text, self.username)
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = self._message_dict(
                self._chats[chat_id].messages[reply_to]
            )
        if not queue:
            return {"update_id": 10**6 + message["message_id"], "message": message}
        return self.enqueue({"message": message})

    def send_media(
        self,
        kind: str,
        chat_id: int = 1001,
        *,
        caption: str | None = None,
        user_id: int | None = None,
        chat_type: str = "private",
    ) -> dict[str, Any]:
        """A person sends a sticker, photo, voice, audio, video, video_note, document,
        animation, location, venue or contact."""
        message = self._new_user_message(chat_id, user_id, chat_type, kind, caption or "", 0)
        message.update(_media(kind, next(self._callback_ids)))
        if caption:
            message["caption"] = caption
        return self.enqueue({"message": message})

    def edit_text(self, message_id: int, text: str, chat_id: int = 1001) -> dict[str, Any]:
        """A person edits a text they sent."""
        with self._lock:
            stored = self._chats[chat_id].messages[message_id]
            stored.text = text
            message = self._message_dict(stored)
        message["edit_date"] = int(time.time())
        entities = _entities(text, self.username)
        if entities:
            message["entities"] = entities
        return self.enqueue({"edited_message": message})

    def press_button(
        self, data: str, chat_id: int = 1001, *, message_id: int | None = None
    ) -> dict[str, Any]:
        """A person presses an inline button (by default on the bot's latest message)."""
        with self._lock:
            chat = self._chats[chat_id]
            if message_id is None:
                mine = [m for m in chat.messages.values() if m.from_bot and not m.deleted]
                message_id = mine[-1].message_id
            message = self._message_dict(chat.messages[message_id])
        query = {
            "id": str(next(self._callback_ids)),
            "from": self.user_info(chat_id if chat_id > 0 else 1),
            "chat_instance": f"ci{chat_id}",
            "data": data,
            "message": message,
        }
        return self.enqueue({"callback_query": query})

    def _new_user_message(
        self,
        chat_id: int,
        user_id: int | None,
        chat_type: str,
        kind: str,
        text: str,
        age: float,
    ) -> dict[str, Any]:
        user_id = user_id if user_id is not None else (chat_id if chat_id > 0 else 1)
        with self._lock:
            chat = self._chat(chat_id, chat_type)
            stored = ChatMessage(
                self._message_id(), chat_id, False, kind, text, int(time.time() - age)
            )
            chat.messages[stored.message_id] = stored
        return {
            "message_id": stored.message_id,
            "date": stored.date,
            "chat": chat.info,
            "from": self.user_info(user_id),
        }

    # -- what happened -----------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        *,
        timeout: float = 5.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Block until `count` answered calls of `method` (matching `where`) were made."""

        def matching() -> list[Call]:
            return [
                c
                for c in self._calls
                if c.method == method and c.status and (where is None or where(c))
            ]

        deadline = time.monotonic() + timeout
        with self._lock:
            while len(found := matching()) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = ", ".join(f"{c.method}:{c.status}" for c in self._calls[-15:])
                    raise TimeoutError(
                        f"{len(found)} of {count} {method} calls after {timeout}s; last: {seen}"
                    )
                self._lock.wait(left)
            return found

    def wait_confirmed(self, timeout: float = 5.0) -> None:
        """Block until the bot has confirmed (by offset) every update queued so far."""
        deadline = time.monotonic() + timeout
        with self._lock:
            last = max((u["update_id"] for u in self._updates), default=0)
            while self._confirmed < last:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"updates up to {last} not confirmed ({self._confirmed})")
                self._lock.wait(left)

    def sent(self, chat_id: int | None = None) -> list[Call]:
        """Answered sendMessage and sendPhoto calls, for one chat or all."""
        return [
            c
            for c in self.calls
            if c.method in ("sendMessage", "sendPhoto")
            and c.status == 200
            and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)
        ]

    def messages(self, chat_id: int, *, include_deleted: bool = False) -> list[ChatMessage]:
        """The messages of a chat in order: what its owner would still see by default."""
        with self._lock:
            chat = self._chats.get(chat_id)
            found = list(chat.messages.values()) if chat else []
        return [m for m in found if include_deleted or not m.deleted]

    def deleted_ids(self, chat_id: int) -> set[int]:
        return {m.message_id for m in self.messages(chat_id, include_deleted=True) if m.deleted}

    # -- faults --------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int = 500,
        *,
        times: int = 1,
        retry_after: int | None = None,
        description: str = "",
    ) -> None:
        """Answer the next `times` calls of `method` with an error (429 + retry_after, 500...)."""
        if retry_after is not None and status == 500:
            status = 429
        text = description or {429: "Too Many Requests: retry after"}.get(status, "Internal error")
        self._add_fault(_Fault(method, times, status, text, retry_after))

    def slow(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Answer the next `times` calls of `method` after `seconds`."""
        self._add_fault(_Fault(method, times, delay=seconds))

    def drop(self, method: str, *, times: int = 1) -> None:
        """Close the connection without answering the next `times` calls of `method`."""
        self._add_fault(_Fault(method, times, drop=True))

    def _add_fault(self, fault: _Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def _take_fault(self, method: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.method == method and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    # -- webhook -----------------------------------------------------------------------

    @staticmethod
    def post_webhook(
        url: str, update: dict[str, Any], secret_token: str | None = None, timeout: float = 5
    ) -> int:
        """POST one update to a webhook as Telegram would; the HTTP status it answered."""
        headers = {"Content-Type": "application/json"}
        if secret_token is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret_token
        request = urllib.request.Request(
            url, json.dumps(update).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def _push_to_webhook(self) -> None:
        """While a webhook is set, deliver queued updates to it in order."""
        while True:
            with self._lock:
                while not self._stopping and not (self.webhook and self._waiting_updates()):
                    self._lock.wait(0.5)
                if self._stopping:
                    return
                update, hook = self._waiting_updates()[0], dict(self.webhook)
                self.delivered_at.setdefault(update["update_id"], time.perf_counter())
            try:
                status = self.post_webhook(hook["url"], update, hook.get("secret_token"))
            except OSError:
                status = 0
            with self._lock:
                if status == 200:
                    self._confirm(update["update_id"] + 1)
                else:
                    self._lock.wait(0.2)

    # -- the server side ---------------------------------------------------------------

    def _waiting_updates(self) -> list[dict[str, Any]]:
        return [u for u in self._updates if u["update_id"] > self._confirmed]

    def _confirm(self, offset: int) -> None:
        if offset - 1 > self._confirmed:
            self._confirmed = offset - 1
            self._updates = self._waiting_updates()
            self._lock.notify_all()

    def _chat(self, chat_id: int, chat_type: str = "private") -> _Chat:
        if chat_id not in self._chats:
            self._chats[chat_id] = _Chat(self.chat_info(chat_id, chat_type))
        return self._chats[chat_id]

    def _message_id(self) -> int:
        self._next_message_id += self._random.randint(1, 4)
        return self._next_message_id

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _message_dict(self, stored: ChatMessage) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": stored.message_id,
            "date": stored.date,
            "chat": self._chats[stored.chat_id].info,
        }
        if stored.from_bot:
            message["from"] = self._bot_user()
        else:
            user_id = stored.chat_id if stored.chat_id > 0 else 1
            message["from"] = self.user_info(user_id)
        if stored.kind == "text":
            message["text"] = stored.text
        else:
            message.update(_media(stored.kind, stored.message_id))
            if stored.text:
                message["caption"] = stored.text
        if stored.reply_markup:
            message["reply_markup"] = stored.reply_markup
        return message

    def _record(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> Call:
        call = Call(method, params, files, time.perf_counter())
        with self._lock:
            self._calls.append(call)
        return call

    def _finish(self, call: Call, status: int, result: Any) -> None:
        with self._lock:
            call.status, call.result = status, result
            self._lock.notify_all()

    def handle(
        self, method: str, params: dict[str, Any], files: dict[str, bytes] | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API call: (HTTP status, JSON body)."""
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        try:
            if method.lower() == "sendphoto":  # the one method here that takes an upload
                return 200, {"ok": True, "result": self._api_sendphoto(params, files or {})}
            return 200, {"ok": True, "result": handler(params)}
        except _ApiError as error:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": error.status,
                "description": error.description,
            }
            if error.retry_after is not None:
                body["parameters"] = {"retry_after": error.retry_after}
            return error.status, body

    def _api_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._bot_user()

    def _api_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        wait = min(float(params.get("timeout") or 0), self.max_poll_wait)
        deadline = time.monotonic() + wait
        with self._lock:
            if self.webhook:
                raise _ApiError(409, "Conflict: can't use getUpdates while webhook is active")
            self._confirm(offset)
            while not self._waiting_updates() and not self._stopping:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._lock.wait(left)
            batch = self._waiting_updates()[:limit]
            now = time.perf_counter()
            for update in batch:
                self.delivered_at.setdefault(update["update_id"], now)
            return batch

    def _api_setwebhook(self, params: dict[str, Any]) -> bool:
        with self._lock:
            self.webhook = {"url": params["url"], "secret_token": params.get("secret_token")}
            self._lock.notify_all()
        return True

    def _api_deletewebhook(self, params: dict[str, Any]) -> bool:
        with self._lock:
            self.webhook = {}
            if params.get("drop_pending_updates"):
                self._confirm(max((u["update_id"] for u in self._updates), default=0) + 1)
        return True

    def _api_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            return {
                "url": self.webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(self._waiting_updates()),
            }

    def _known_chat(self, params: dict[str, Any]) -> _Chat:
        chat = self._chats.get(int(params.get("chat_id", 0)))
        if chat is None:
            raise _ApiError(400, "Bad Request: chat not found")
        return chat

    def _bot_message(self, params: dict[str, Any], kind: str, text: str) -> dict[str, Any]:
        with self._lock:
            chat = self._known_chat(params)
            stored = ChatMessage(
                self._message_id(), chat.info["id"], True, kind, text, int(time.time())
            )
            stored.reply_markup = params.get("reply_markup")
            chat.messages[stored.message_id] = stored
            return self._message_dict(stored)

    def _api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        text = str(params.get("text", ""))
        _check_text(text, params.get("parse_mode"), _MAX_TEXT, "message text")
        return self._bot_message(params, "text", text)

    def _api_sendphoto(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        """A photo uploaded, or sent again by the file_id an upload was given (as Telegram)."""
        photo = params.get("photo")
        if not photo:
            raise _ApiError(400, "Bad Request: there is no photo in the request")
        name = photo[len("attach://") :] if str(photo).startswith("attach://") else "photo"
        upload = files.get(name)
        if upload is not None:
            file_id = "photo-" + hashlib.sha256(upload).hexdigest()[:16]
            with self._lock:
                self._photo_ids.add(file_id)
        elif photo in self._photo_ids:
            file_id = str(photo)
        else:
            raise _ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        caption = str(params.get("caption", ""))
        if caption:
            _check_text(caption, params.get("parse_mode"), _MAX_CAPTION, "message caption")
        result = self._bot_message(params, "photo", caption)
        unique = file_id.replace("photo-", "u-")
        size = {"width": 800, "height": 600}
        result["photo"] = [{"file_id": file_id, "file_unique_id": unique, **size}]
        return result

    def _api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        text = str(params.get("text", ""))
        _check_text(text, params.get("parse_mode"), _MAX_TEXT, "message text")
        with self._lock:
            stored = self._editable(params)
            stored.text, stored.reply_markup = text, params.get("reply_markup")
            return self._message_dict(stored)

    def _api_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            stored = self._editable(params)
            stored.reply_markup = params.get("reply_markup")
            return self._message_dict(stored)

    def _editable(self, params: dict[str, Any]) -> ChatMessage:
        stored = self._known_chat(params).messages.get(int(params.get("message_id", 0)))
        if stored is None or stored.deleted or not stored.from_bot:
            raise _ApiError(400, "Bad Request: message to edit not found")
        return stored

    def _deletable(self, chat: _Chat, message_id: int) -> ChatMessage:
        """The message, or an _ApiError saying why Telegram would not delete it."""
        stored = chat.messages.get(message_id)
        if stored is None or stored.deleted:
            raise _ApiError(400, "Bad Request: message to delete not found")
        if time.time() - stored.date >= DELETE_WINDOW:
            raise _ApiError(400, "Bad Request: message can't be deleted for everyone")
        if chat.info["type"] != "private" and not stored.from_bot:
            # in groups a bot needs admin rights to delete others' messages
            raise _ApiError(400, "Bad Request: message can't be deleted")
        return stored

    def _api_deletemessage(self, params: dict[str, Any]) -> bool:
        with self._lock:
            chat = self._known_chat(params)
            self._deletable(chat, int(params.get("message_id", 0))).deleted = True
        return True

    def _api_deletemessages(self, params: dict[str, Any]) -> bool:
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= _MAX_DELETE:
            raise _ApiError(400, "Bad Request: message_ids must hold 1-100 identifiers")
        with self._lock:
            chat = self._known_chat(params)
            for message_id in ids:  # ids that cannot be found or deleted are skipped
                with contextlib.suppress(_ApiError):
                    self._deletable(chat, int(message_id)).deleted = True
        return True

    def _api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        return True

    def _api_sendchataction(self, params: dict[str, Any]) -> bool:
        return True

    def _api_setmycommands(self, params: dict[str, Any]) -> bool:
        return True

    def _api_deletemycommands(self, params: dict[str, Any]) -> bool:
        return True

    def _api_setmydescription(self, params: dict[str, Any]) -> bool:
        if len(str(params.get("description", ""))) > 512:
            raise _ApiError(400, "Bad Request: description is too long")
        return True

    def _api_setmyshortdescription(self, params: dict[str, Any]) -> bool:
        if len(str(params.get("short_description", ""))) > 120:
            raise _ApiError(400, "Bad Request: short description is too long")
        return True

    def _api_getmycommands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        done = [c for c in self.calls_to("setMyCommands") if c.status == 200]
        return done[-1].params["commands"] if done else []


class _ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # A bot opens many connections at once under load; socketserver's default backlog is 5.
    request_queue_size = 1024


def _handler_for(api: FakeBotAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like the real server
        # Headers and body go out as separate writes: without TCP_NODELAY each answer
        # waits ~40 ms for the client's delayed ACK, which would swamp every timing.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            self.do_POST()

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            prefix = f"/bot{api.token}/"
            if not self.path.startswith("/bot"):
                return self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            if not self.path.startswith(prefix):
                return self._send(
                    401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
                )
            method = self.path[len(prefix) :].split("?")[0]
            params, files = _decode(self.headers.get("Content-Type", ""), body)
            call = api._record(method, params, files)
            fault = api._take_fault(method)
            if fault and fault.delay:
                time.sleep(fault.delay)
            if fault and fault.drop:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return api._finish(call, 0, None)
            if fault and fault.status:
                status, answer = (
                    fault.status,
                    {
                        "ok": False,
                        "error_code": fault.status,
                        "description": fault.description,
                    },
                )
                if fault.retry_after is not None:
                    answer["parameters"] = {"retry_after": fault.retry_after}
            else:
                status, answer = api.handle(method, params, files)
            self._send(status, answer)
            api._finish(call, status, answer.get("result"))
            return None

        def _send(self, status: int, answer: dict[str, Any]) -> None:
            payload = json.dumps(answer).encode()
            with contextlib.suppress(OSError):  # the bot may have dropped a long poll on stop
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

    return Handler


def _decode(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Form, multipart or JSON body -> parameters (JSON values decoded) and uploaded files."""
    raw: dict[str, str] = {}
    files: dict[str, bytes] = {}
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
        )
        for part in message.iter_parts():  # type: ignore[attr-defined]
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if part.get_filename():
                files[name] = payload
                raw.setdefault(name, f"attach://{name}")
            else:
                raw[name] = payload.decode()
    elif content_type.startswith("application/json"):
        return (json.loads(body) if body else {}), files
    else:
        raw = dict(parse_qsl(body.decode(), keep_blank_values=True))
    return {name: _value(name, value) for name, value in raw.items()}, files


def _value(name: str, value: str) -> Any:
    if name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _entities(text: str, username: str) -> list[dict[str, Any]]:
    entities = []
    if text.startswith("/"):
        command = text.split()[0]
        entities.append({"type": "bot_command", "offset": 0, "length": _units(command)})
    mention = f"@{username}"
    if (at := text.find(mention)) >= 0 and not text.startswith("/"):
        entities.append({"type": "mention", "offset": _units(text[:at]), "length": len(mention)})
    return entities


def _media(kind: str, n: int) -> dict[str, Any]:
    file = {"file_id": f"f{n}", "file_unique_id": f"u{n}"}
    return {
        "sticker": {"sticker": {**file, "type": "regular", "width": 512, "height": 512,
                                "is_animated": False, "is_video": False}},
        "photo": {"photo": [{**file, "width": 800, "height": 600}]},
        "voice": {"voice": {**file, "duration": 3}},
        "audio": {"audio": {**file, "duration": 30}},
        "video": {"video": {**file, "width": 640, "height": 480, "duration": 5}},
        "video_note": {"video_note": {**file, "length": 240, "duration": 5}},
        "animation": {"animation": {**file, "width": 320, "height": 240, "duration": 2}},
        "document": {"document": {**file, "file_name": "file.pdf"}},
        "location": {"location": {"latitude": 51.5072, "longitude": -0.1276}},
        "venue": {"venue": {"location": {"latitude": 51.5, "longitude": -0.12},
                            "title": "A place", "address": "1 Street"}},
        "contact": {"contact": {"phone_number": "+447700900123", "first_name": "Someone"}},
    }[kind]  # fmt: skip


def _units(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def html_problem(text: str) -> str | None:
    """Why Telegram would refuse this HTML, or None (a light version of its parser)."""
    stack: list[str] = []
    for match in _HTML_TOKEN.finditer(text):
        token = match.group(0)
        if token in ("<", "&"):
            return f"unescaped {token!r} at {match.start()}"
        if not match.group(2):
            continue  # an entity
        closing, tag = match.group(1), match.group(2).lower()
        if tag not in _ALLOWED_TAGS:
            return f"unsupported start tag {tag!r}"
        if not closing:
            stack.append(tag)
        elif not stack or stack.pop() != tag:
            return f"unexpected end tag {tag!r}"
    return f"unclosed tag {stack[-1]!r}" if stack else None


def visible(text: str) -> str:
    """What a person sees of Telegram HTML: tags dropped, entities unescaped."""
    return html.unescape(re.sub(r"<[^<>]*>", "", text))


def _check_text(text: str, parse_mode: object, limit: int, what: str) -> None:
    if parse_mode == "HTML" and (problem := html_problem(text)):
        raise _ApiError(400, f"Bad Request: can't parse entities: {problem}")
    shown = visible(text) if parse_mode == "HTML" else text
    if not shown.strip():
        raise _ApiError(400, f"Bad Request: {what} is empty")
    if _units(shown) > limit:
        raise _ApiError(400, f"Bad Request: {what} is too long")


def all_message_ids(api: FakeBotAPI, chat_id: int) -> list[int]:
    """Every id ever in a chat, the person's and the bot's (helper for erase checks)."""
    return [m.message_id for m in api.messages(chat_id, include_deleted=True)]


def texts(calls: Iterable[Call]) -> list[str]:
    """The text or caption of each send call, as sent (HTML)."""
    return [str(c.params.get("text") or c.params.get("caption") or "") for c in calls]


class AppThread:
    """Run `serve(stop_event)` in a thread with its own event loop until stopped.

    An exception raised by `serve` is raised again by `stop()` (and so on leaving a
    `with` block), so a bot that crashed fails the test.
    """

    def __init__(self, serve: Callable[[asyncio.Event], Awaitable[None]]):
        self._serve = serve
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._started = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, daemon=True)

    def _main(self) -> None:
        async def main() -> None:
            self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
            self._started.set()
            await self._serve(self._stop)

        try:
            asyncio.run(main())
        except BaseException as error:  # reported by stop()
            self._error = error
        finally:
            self._started.set()

    def start(self) -> AppThread:
        self._thread.start()
        self._started.wait(10)
        return self

    def stop(self, timeout: float = 10) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError("the bot did not stop")
        if self._error is not None:
            raise self._error

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def __enter__(self) -> AppThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
