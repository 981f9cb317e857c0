"""How the bot reaches the Bot API: python-telegram-bot's own HTTPXRequest, and what its
errors mean for sending again.

The bot sends at most 30 messages a second (Telegram's limit), so PTB's default transport
is fast enough (bench/e2e.py); what it adds here is one question only the transport can
answer: whether a request that failed may still have reached Telegram.
"""

from __future__ import annotations

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest

POOL_SIZE = 256  # python-telegram-bot's default for the bot's own requests


def bot_request(connection_pool_size: int = POOL_SIZE) -> HTTPXRequest:
    """The transport for sending; named here so `may_have_arrived` reads its errors."""
    return HTTPXRequest(connection_pool_size=connection_pool_size)


def may_have_arrived(error: NetworkError) -> bool:
    """The request timed out after it was sent: Telegram may have acted on it.

    Sending it again could then say the same thing twice. HTTPXRequest raises TimedOut
    from httpx's timeout: waiting for a connection (PoolTimeout), opening one
    (ConnectTimeout) or writing the request (WriteTimeout: Telegram acts on a whole request
    only) means it was not sent; waiting for the answer (ReadTimeout) means it was. A
    connection that failed (refused, or closed by the server, as idle kept-alive
    connections are) is taken as not sent: nearly always true, and a reply lost is worse
    than a rare reply twice.
    """
    cause = error.__cause__
    return isinstance(error, TimedOut) and isinstance(cause, httpx.ReadTimeout)
