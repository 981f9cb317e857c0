"""The transport (python-telegram-bot's HTTPXRequest): what the bot sends arrives as sent,
and each failure says whether the request may have reached Telegram."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import pytest
from fakebotapi import FakeBotAPI
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest
from telegram_harness import api_fixture  # noqa: F401 - a fixture

from bot.fronts.telegram.transport import bot_request, may_have_arrived

CHAT = 1001


def _bot(api: FakeBotAPI, request: HTTPXRequest, base_url: str | None = None) -> Bot:
    return Bot(
        api.token,
        base_url=base_url or api.base_url,
        base_file_url=api.base_file_url,
        request=request,
        get_updates_request=HTTPXRequest(connection_pool_size=1),
    )


@pytest.fixture(name="bot")
async def bot_fixture(api: FakeBotAPI) -> AsyncIterator[Bot]:
    api.send_text("hello", chat_id=CHAT)  # the chat exists once the person has written
    async with _bot(api, HTTPXRequest(connection_pool_size=8, read_timeout=0.5)) as bot:
        yield bot


async def test_a_message_with_html_and_a_keyboard_arrives_as_sent(
    api: FakeBotAPI, bot: Bot
) -> None:
    text = "<b>Croydon</b> &amp; Sutton: 2,531 — see “source” ✓"
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ealing", callback_data="f:E09")]])
    message = await bot.send_message(CHAT, text, parse_mode="HTML", reply_markup=keyboard)
    [call] = api.wait_for("sendMessage", where=lambda c: c.status == 200)
    assert call.params["text"] == text
    assert call.params["parse_mode"] == "HTML"
    assert call.params["reply_markup"] == keyboard.to_dict()
    assert message.message_id == call.result["message_id"]  # the answer parsed back


async def test_an_upload_arrives_whole_with_its_caption(api: FakeBotAPI, bot: Bot) -> None:
    picture = bytes(range(256)) * 40  # every byte value, so nothing is re-encoded
    message = await bot.send_photo(CHAT, picture, caption="<i>chart</i>", parse_mode="HTML")
    [call] = api.calls_to("sendPhoto")
    assert list(call.files.values()) == [picture]
    assert call.params["caption"] == "<i>chart</i>"
    assert message.photo[-1].file_id.startswith("photo-")


async def test_a_long_poll_may_take_longer_than_the_read_timeout(api: FakeBotAPI, bot: Bot) -> None:
    # PTB adds the poll's own timeout to the request's read timeout (here 0.5 s).
    started = time.monotonic()
    updates = await bot.get_updates(offset=10_000, timeout=1)
    assert updates == ()
    assert time.monotonic() - started >= 0.9  # it waited out the poll instead of timing out


async def test_an_answer_slower_than_the_read_timeout_may_have_arrived(
    api: FakeBotAPI, bot: Bot
) -> None:
    api.slow("sendMessage", 2.0)
    started = time.monotonic()
    with pytest.raises(TimedOut) as raised:
        await bot.send_message(CHAT, "croydon")
    assert time.monotonic() - started < 1.8  # gave up after the read timeout, not the answer
    assert may_have_arrived(raised.value)  # the server had it: sending again could repeat it
    assert len(api.calls_to("sendMessage")) == 1


async def test_no_free_connection_in_time_was_not_sent(api: FakeBotAPI) -> None:
    api.send_text("hello", chat_id=CHAT)
    api.slow("sendMessage", 1.0)
    request = HTTPXRequest(connection_pool_size=1, pool_timeout=0.2, connect_timeout=0.2)
    async with _bot(api, request) as bot:
        first = asyncio.create_task(bot.send_message(CHAT, "first"))
        await asyncio.sleep(0.2)  # the only connection is busy with the slow answer
        with pytest.raises(TimedOut) as raised:
            await bot.send_message(CHAT, "second")
        await first
    assert not may_have_arrived(raised.value)
    assert [c.params["text"] for c in api.calls_to("sendMessage")] == ["first"]


async def test_a_dropped_connection_is_a_network_error_and_not_sent_again(
    api: FakeBotAPI, bot: Bot
) -> None:
    api.drop("sendMessage")
    with pytest.raises(NetworkError) as raised:
        await bot.send_message(CHAT, "croydon")
    assert not isinstance(raised.value, TimedOut)
    assert len(api.calls_to("sendMessage")) == 1  # httpx did not resend the POST itself
    sent = await bot.send_message(CHAT, "ealing")  # the next request gets a fresh connection
    assert sent.text == "ealing"


async def test_a_refused_connection_is_a_network_error_that_was_not_sent(
    api: FakeBotAPI,
) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    request = bot_request()
    await request.initialize()
    bot = _bot(api, request, base_url=f"http://127.0.0.1:{port}/bot")
    try:
        with pytest.raises(NetworkError) as raised:
            await bot.get_me()
    finally:
        await request.shutdown()
    assert not may_have_arrived(raised.value)
    assert "ConnectError" in str(raised.value)


class _Recorder:
    """A server on 127.0.0.1 that notes each request line and answers with `status`."""

    def __init__(self, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.lines: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                recorder.lines.append(self.requestline)
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = b'{"ok": true, "result": true}'
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value.format(port=recorder.port))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_CONNECT = do_POST

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


async def test_a_redirect_is_not_followed_so_a_message_is_never_sent_twice() -> None:
    server = _Recorder(status=307, headers={"Location": "http://127.0.0.1:{port}/elsewhere"})
    try:
        async with bot_request() as request:
            with pytest.raises(NetworkError):
                await request.post(f"http://127.0.0.1:{server.port}/bot1:x/sendMessage")
    finally:
        server.close()
    assert server.lines == ["POST /bot1:x/sendMessage HTTP/1.1"]


@pytest.mark.parametrize(
    ("cause", "arrived"),
    [
        (httpx.ReadTimeout("answer too slow"), True),  # sent: Telegram may have acted on it
        (httpx.WriteTimeout("request not written"), False),
        (httpx.ConnectTimeout("no connection"), False),
        (httpx.PoolTimeout("all connections busy"), False),
    ],
)
def test_only_a_timeout_waiting_for_the_answer_may_have_arrived(
    cause: httpx.TimeoutException, arrived: bool
) -> None:
    try:
        try:
            raise cause
        except httpx.TimeoutException as error:
            raise TimedOut from error  # as HTTPXRequest raises it
    except TimedOut as error:
        assert may_have_arrived(error) is arrived
    assert not may_have_arrived(NetworkError("httpx.RemoteProtocolError: closed"))
