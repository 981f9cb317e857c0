"""The bot as Telegram lists it: the command menu and the plain description, in English and
in every language with a catalog (for apps set to it)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import BotCommand
from telegram.error import TelegramError
from telegram.ext import Application

from bot.core.conversation import Conversation
from bot.core.languages import ENGLISH, using
from bot.core.render import Renderer
from bot.session import commands

log = logging.getLogger(__name__)
# bot_data key: the task setting the other languages' menus, cancelled if still at it at a stop
OTHER_MENUS = "menus in other languages"


def menus_and_descriptions(
    conversation: Conversation,
) -> Callable[[Application], Coroutine[Any, Any, None]]:
    """Set the command menu (from the registry) and the bot's plain description."""

    async def post_init(app: Application) -> None:
        renderer = conversation.renderer
        menu, description, short = _listing(renderer)
        steps: list[tuple[str, Callable[[], Awaitable[bool]]]] = [
            ("command menu", lambda: app.bot.set_my_commands(menu)),
        ]
        if description:
            steps.append(("description", lambda: app.bot.set_my_description(description)))
        if short:
            steps.append(("short description", lambda: app.bot.set_my_short_description(short)))
        for what, step in steps:
            try:
                await step()
            except TelegramError as error:  # the bot still answers without them
                log.warning("could not set the %s (%s)", what, type(error).__name__)
        # Each language's menu and description, for apps set to it: after the start, so
        # loading the catalogs never delays the first answer. Not Application.create_task:
        # this runs before Application.start, and a stop should not wait for it.
        app.bot_data[OTHER_MENUS] = asyncio.create_task(
            _in_other_languages(app, renderer), name=OTHER_MENUS
        )
        log.info("bot @%s ready", app.bot.username)

    return post_init


async def _in_other_languages(app: Application, renderer: Renderer) -> None:
    for code in renderer.catalogs.available():
        if code == ENGLISH:
            continue
        with using(code):
            menu, description, short = _listing(renderer)
        try:
            await app.bot.set_my_commands(menu, language_code=code)
            if description:
                await app.bot.set_my_description(description, language_code=code)
            if short:
                await app.bot.set_my_short_description(short, language_code=code)
        except TelegramError as error:  # English is there for everyone
            log.warning("could not set the %s menu (%s)", code, type(error).__name__)


def _listing(renderer: Renderer) -> tuple[list[BotCommand], str, str]:
    """The command menu, description and short description, in the language in use."""
    about = renderer.module("bot_description.html")
    description = str(getattr(about, "description", ""))
    short = str(getattr(about, "short_description", ""))
    return _menu(renderer), description, short


def _menu(renderer: Renderer) -> list[BotCommand]:
    """The menu Telegram shows when someone types '/', from the command registry."""
    return [BotCommand(d.name, d.description) for d in commands.describe(renderer)]
