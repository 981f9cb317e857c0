"""What every reply is built with: the store, the renderer and the buttons under it."""

from __future__ import annotations

from typing import Any

from bot.core import signpost
from bot.core.buttons import Action, encode
from bot.core.render import Renderer
from bot.data.store import Store
from bot.domain.models import Button, IntentKind, Reply, Service


class Replier:
    """Renders templates into Replies for one store: shared by every topic's replies."""

    def __init__(self, store: Store, renderer: Renderer):
        self.store = store
        self.services = store.services
        self.renderer = renderer

    def reply(
        self,
        template: str,
        intent: IntentKind,
        rows: list[list[Button]] | None = None,
        **context: Any,
    ) -> Reply:
        return Reply(self.renderer.render(template, **context), rows or [], intent=intent)

    def page(self, template: str, intent: IntentKind) -> Reply:
        """A reply with nothing to fill in, and the main menu under it."""
        return self.reply(template, intent, self.menu_rows())

    def button(self, label: str, action: Action, argument: str = "") -> Button:
        return Button(self.renderer.label(label), encode(action, argument))

    def menu_rows(self) -> list[list[Button]]:
        return [
            [self.button("help_now", Action.DANGER), self.button("find_support", Action.HELP)],
            [self.button("figures", Action.RANKING), self.button("about", Action.ABOUT)],
            [self.button("language", Action.LANGUAGES)],
        ]

    def borough_rows(self, code: str) -> list[list[Button]]:
        """Under one borough's figures: support there, or every borough."""
        return [
            [
                self.button("support_in", Action.LOCAL, code),
                self.button("all_boroughs", Action.RANKING),
            ]
        ]

    def figures_rows(self) -> list[list[Button]]:
        """Under figures of several boroughs: every borough, or support."""
        return [
            [self.button("all_boroughs", Action.RANKING), self.button("find_support", Action.HELP)]
        ]

    def local_help(self, code: str) -> list[Service]:
        return signpost.local(self.services.values(), code)
