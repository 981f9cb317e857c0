"""FakeBotAPI: the fake Bot API a test drives, as people on one side and a watcher on the other.

It ties the pieces together: the World (what Telegram holds), the Bot API methods, the
faults, the recorder and the HTTP server; then it offers what a test needs: updates as
people send them, what the bot called, what is left in a chat.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from fakebotapi.faults import Faults
from fakebotapi.methods import BotApiMethods
from fakebotapi.recorder import Call, Recorder
from fakebotapi.server import Server, handler_for, post_webhook
from fakebotapi.world import ChatMessage, World, chat_info, entities, media, person_in, user_info

# Well-formed (digits, colon, 35 characters) so the bot's own token check passes.
DEFAULT_TOKEN = "123456789:AAFakeTokenForTests_abcdefghij12345"


class FakeBotAPI:
    """A Bot API server on 127.0.0.1 (an ephemeral port unless `port` is given)."""

    post_webhook = staticmethod(post_webhook)
    chat_info = staticmethod(chat_info)
    user_info = staticmethod(user_info)

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
        self.world = World(self.bot_id, username, first_name, seed)
        self.methods = BotApiMethods(self.world, max_poll_wait)
        self.faults = Faults()
        self.recorder = Recorder(self.world.lock)
        self._port = port
        self._server: Server | None = None
        self._threads: list[threading.Thread] = []

    # -- lifecycle ------------------------------------------------------------------

    def start(self) -> FakeBotAPI:
        self._server = Server(("127.0.0.1", self._port), handler_for(self))
        self._port = self._server.server_address[1]
        self._spawn(self._server.serve_forever, 0.05)
        self._spawn(self._push_to_webhook)
        return self

    def stop(self) -> None:
        with self.world.lock:
            self.world.stopping = True
            self.world.lock.notify_all()
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

    @property
    def max_poll_wait(self) -> float:
        """Seconds a long poll waits at most, whatever timeout the bot asked for."""
        return self.methods.max_poll_wait

    @property
    def delivered_at(self) -> dict[int, float]:
        """update_id -> time.perf_counter() when it was first handed to the bot."""
        return self.world.delivered_at

    @property
    def webhook(self) -> dict[str, Any]:
        """The webhook's url and secret_token while one is set, else {}."""
        return self.world.webhook

    # -- updates, as people would send them ----------------------------------------

    def enqueue(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (an update_id is given if missing; duplicates are allowed)."""
        return self.world.enqueue(update)

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
        if found := entities(text, self.username):
            message["entities"] = found
        if reply_to is not None:
            with self.world.lock:
                replied = self.world.chats[chat_id].messages[reply_to]
                message["reply_to_message"] = self.world.message_dict(replied)
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
        message.update(media(kind, self.world.serial()))
        if caption:
            message["caption"] = caption
        return self.enqueue({"message": message})

    def edit_text(self, message_id: int, text: str, chat_id: int = 1001) -> dict[str, Any]:
        """A person edits a text they sent."""
        with self.world.lock:
            stored = self.world.chats[chat_id].messages[message_id]
            stored.text = text
            message = self.world.message_dict(stored)
        message["edit_date"] = int(time.time())
        if found := entities(text, self.username):
            message["entities"] = found
        return self.enqueue({"edited_message": message})

    def press_button(
        self, data: str, chat_id: int = 1001, *, message_id: int | None = None
    ) -> dict[str, Any]:
        """A person presses an inline button (by default on the bot's latest message)."""
        with self.world.lock:
            chat = self.world.chats[chat_id]
            if message_id is None:
                mine = [m for m in chat.messages.values() if m.from_bot and not m.deleted]
                message_id = mine[-1].message_id
            message = self.world.message_dict(chat.messages[message_id])
        query = {
            "id": str(self.world.serial()),
            "from": user_info(person_in(chat_id)),
            "chat_instance": f"ci{chat_id}",
            "data": data,
            "message": message,
        }
        return self.enqueue({"callback_query": query})

    def _new_user_message(
        self, chat_id: int, user_id: int | None, chat_type: str, kind: str, text: str, age: float
    ) -> dict[str, Any]:
        with self.world.lock:
            chat = self.world.chat(chat_id, chat_type)
            stored = self.world.add_message(chat, False, kind, text, age)
        return {
            "message_id": stored.message_id,
            "date": stored.date,
            "chat": chat.info,
            "from": user_info(user_id if user_id is not None else person_in(chat_id)),
        }

    # -- what happened -----------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        return self.recorder.calls

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
        return self.recorder.wait_for(method, count, timeout=timeout, where=where)

    def wait_confirmed(self, timeout: float = 5.0) -> None:
        """Block until the bot has confirmed (by offset) every update queued so far."""
        deadline = time.monotonic() + timeout
        with self.world.lock:
            last = self.world.last_update_id()
            while self.world.confirmed < last:
                left = deadline - time.monotonic()
                if left <= 0:
                    confirmed = self.world.confirmed
                    raise TimeoutError(f"updates up to {last} not confirmed ({confirmed})")
                self.world.lock.wait(left)

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
        with self.world.lock:
            chat = self.world.chats.get(chat_id)
            found = list(chat.messages.values()) if chat else []
        return [m for m in found if include_deleted or not m.deleted]

    def deleted_ids(self, chat_id: int) -> set[int]:
        return {m.message_id for m in self.messages(chat_id, include_deleted=True) if m.deleted}

    # -- faults (see fakebotapi.faults) ------------------------------------------------------

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
        self.faults.fail(
            method, status, times=times, retry_after=retry_after, description=description
        )

    def slow(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Answer the next `times` calls of `method` after `seconds`."""
        self.faults.slow(method, seconds, times=times)

    def drop(self, method: str, *, times: int = 1) -> None:
        """Close the connection without answering the next `times` calls of `method`."""
        self.faults.drop(method, times=times)

    # -- the server's side ----------------------------------------------------------------

    def record(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> Call:
        return self.recorder.record(method, params, files)

    def finish(self, call: Call, status: int, result: Any) -> None:
        self.recorder.finish(call, status, result)

    def handle(
        self, method: str, params: dict[str, Any], files: dict[str, bytes] | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API call: (HTTP status, JSON body)."""
        return self.methods.handle(method, params, files)

    def _push_to_webhook(self) -> None:
        """While a webhook is set, deliver queued updates to it in order."""
        world = self.world
        while True:
            with world.lock:
                while not world.stopping and not (world.webhook and world.waiting_updates()):
                    world.lock.wait(0.5)
                if world.stopping:
                    return
                update, hook = world.waiting_updates()[0], dict(world.webhook)
                world.delivered_at.setdefault(update["update_id"], time.perf_counter())
            try:
                status = self.post_webhook(hook["url"], update, hook.get("secret_token"))
            except OSError:
                status = 0
            with world.lock:
                if status == 200:
                    world.confirm(update["update_id"] + 1)
                else:
                    world.lock.wait(0.2)
