"""The Bot API methods the bot calls, answered from the World as Telegram would.

Each `_api_<method>` takes the decoded parameters and returns the result, or raises
ApiError with Telegram's status and description. It checks what a real server would
refuse: empty or too long text, HTML Telegram could not parse (tests/telegram_html.py,
the one checker), unknown chats, more than 100 ids to delete, messages past the window.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from typing import Any

from telegram_html import markup_problems, visible

from fakebotapi.world import Chat, ChatMessage, World, units

DELETE_WINDOW = 48 * 3600  # a bot may delete messages in a private chat while under 48 hours old
MAX_TEXT, MAX_CAPTION, MAX_DELETE = 4096, 1024, 100
NOT_FOUND: dict[str, Any] = {"ok": False, "error_code": 404, "description": "Not Found"}


class ApiError(Exception):
    """Telegram's refusal of one call."""

    def __init__(self, status: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def check_text(text: str, parse_mode: object, limit: int, what: str) -> None:
    """Refuse a text or caption as Telegram would: bad HTML, empty, or too long."""
    if parse_mode == "HTML" and (found := markup_problems(text)):
        raise ApiError(400, f"Bad Request: can't parse entities: {found[0]}")
    shown = visible(text) if parse_mode == "HTML" else text
    if not shown.strip():
        raise ApiError(400, f"Bad Request: {what} is empty")
    if units(shown) > limit:
        raise ApiError(400, f"Bad Request: {what} is too long")


class BotApiMethods:
    """Answers Bot API calls over a World; unknown methods get 404, like Telegram."""

    def __init__(self, world: World, max_poll_wait: float) -> None:
        self.world = world
        self.max_poll_wait = max_poll_wait  # seconds a long poll may wait at most

    def handle(
        self, method: str, params: dict[str, Any], files: dict[str, bytes] | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Answer one call: (HTTP status, JSON body)."""
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            return 404, dict(NOT_FOUND)
        try:
            if method.lower() == "sendphoto":  # the one method here that takes an upload
                return 200, {"ok": True, "result": self._api_sendphoto(params, files or {})}
            return 200, {"ok": True, "result": handler(params)}
        except ApiError as error:
            return error.status, error.body()

    # -- the bot and its updates -----------------------------------------------------------

    def _api_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.world.bot_user()

    def _api_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        world = self.world
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        wait = min(float(params.get("timeout") or 0), self.max_poll_wait)
        deadline = time.monotonic() + wait
        with world.lock:
            if world.webhook:
                raise ApiError(409, "Conflict: can't use getUpdates while webhook is active")
            world.confirm(offset)
            while not world.waiting_updates() and not world.stopping:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                world.lock.wait(left)
            batch = world.waiting_updates()[:limit]
            now = time.perf_counter()
            for update in batch:
                world.delivered_at.setdefault(update["update_id"], now)
            return batch

    def _api_setwebhook(self, params: dict[str, Any]) -> bool:
        with self.world.lock:
            self.world.webhook = {"url": params["url"], "secret_token": params.get("secret_token")}
            self.world.lock.notify_all()
        return True

    def _api_deletewebhook(self, params: dict[str, Any]) -> bool:
        with self.world.lock:
            self.world.webhook = {}
            if params.get("drop_pending_updates"):
                self.world.confirm(self.world.last_update_id() + 1)
        return True

    def _api_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        with self.world.lock:
            return {
                "url": self.world.webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(self.world.waiting_updates()),
            }

    # -- messages ------------------------------------------------------------------------

    def _known_chat(self, params: dict[str, Any]) -> Chat:
        chat = self.world.chats.get(int(params.get("chat_id", 0)))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _bot_message(self, params: dict[str, Any], kind: str, text: str) -> dict[str, Any]:
        with self.world.lock:
            stored = self.world.add_message(self._known_chat(params), True, kind, text)
            stored.reply_markup = params.get("reply_markup")
            return self.world.message_dict(stored)

    def _api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        text = str(params.get("text", ""))
        check_text(text, params.get("parse_mode"), MAX_TEXT, "message text")
        return self._bot_message(params, "text", text)

    def _api_sendphoto(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        """A photo uploaded, or sent again by the file_id an upload was given (as Telegram)."""
        photo = params.get("photo")
        if not photo:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        name = photo[len("attach://") :] if str(photo).startswith("attach://") else "photo"
        upload = files.get(name)
        if upload is not None:
            file_id = "photo-" + hashlib.sha256(upload).hexdigest()[:16]
            with self.world.lock:
                self.world.photo_ids.add(file_id)
        elif photo in self.world.photo_ids:
            file_id = str(photo)
        else:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        caption = str(params.get("caption", ""))
        if caption:
            check_text(caption, params.get("parse_mode"), MAX_CAPTION, "message caption")
        result = self._bot_message(params, "photo", caption)
        unique = file_id.replace("photo-", "u-")
        size = {"width": 800, "height": 600}
        result["photo"] = [{"file_id": file_id, "file_unique_id": unique, **size}]
        return result

    def _api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        text = str(params.get("text", ""))
        check_text(text, params.get("parse_mode"), MAX_TEXT, "message text")
        with self.world.lock:
            stored = self._editable(params)
            stored.text, stored.reply_markup = text, params.get("reply_markup")
            return self.world.message_dict(stored)

    def _api_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        with self.world.lock:
            stored = self._editable(params)
            stored.reply_markup = params.get("reply_markup")
            return self.world.message_dict(stored)

    def _editable(self, params: dict[str, Any]) -> ChatMessage:
        stored = self._known_chat(params).messages.get(int(params.get("message_id", 0)))
        if stored is None or stored.deleted or not stored.from_bot:
            raise ApiError(400, "Bad Request: message to edit not found")
        return stored

    def _deletable(self, chat: Chat, message_id: int) -> ChatMessage:
        """The message, or an ApiError saying why Telegram would not delete it."""
        stored = chat.messages.get(message_id)
        if stored is None or stored.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        if time.time() - stored.date >= DELETE_WINDOW:
            raise ApiError(400, "Bad Request: message can't be deleted for everyone")
        if chat.info["type"] != "private" and not stored.from_bot:
            # in groups a bot needs admin rights to delete others' messages
            raise ApiError(400, "Bad Request: message can't be deleted")
        return stored

    def _api_deletemessage(self, params: dict[str, Any]) -> bool:
        with self.world.lock:
            chat = self._known_chat(params)
            self._deletable(chat, int(params.get("message_id", 0))).deleted = True
        return True

    def _api_deletemessages(self, params: dict[str, Any]) -> bool:
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= MAX_DELETE:
            raise ApiError(400, "Bad Request: message_ids must hold 1-100 identifiers")
        with self.world.lock:
            chat = self._known_chat(params)
            for message_id in ids:  # ids that cannot be found or deleted are skipped
                with contextlib.suppress(ApiError):
                    self._deletable(chat, int(message_id)).deleted = True
        return True

    # -- answered and forgotten; the bot's profile -------------------------------------------

    def _api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        return True

    def _api_sendchataction(self, params: dict[str, Any]) -> bool:
        return True

    def _api_setmycommands(self, params: dict[str, Any]) -> bool:
        with self.world.lock:
            self.world.commands = list(params.get("commands") or [])
        return True

    def _api_getmycommands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        with self.world.lock:
            return list(self.world.commands)

    def _api_deletemycommands(self, params: dict[str, Any]) -> bool:
        return True

    def _api_setmydescription(self, params: dict[str, Any]) -> bool:
        if len(str(params.get("description", ""))) > 512:
            raise ApiError(400, "Bad Request: description is too long")
        return True

    def _api_setmyshortdescription(self, params: dict[str, Any]) -> bool:
        if len(str(params.get("short_description", ""))) > 120:
            raise ApiError(400, "Bad Request: short description is too long")
        return True
