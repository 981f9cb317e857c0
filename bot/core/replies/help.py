"""Replies that point to help: danger first, then support by need and place, one service."""

from __future__ import annotations

from bot.core import signpost
from bot.core.buttons import Action
from bot.core.replies.base import Replier
from bot.core.understand import Intent
from bot.domain.models import Button, IntentKind, Reply


class HelpReplies:
    def __init__(self, kit: Replier):
        self.kit = kit

    def danger(self, intent: Intent) -> Reply:
        kit = self.kit
        services = kit.services.values()
        # Only services someone can ring now: coordinating charities come later, not here.
        local = [s for code in intent.boroughs for s in signpost.local(services, code) if s.phone]
        # Danger never hides the specialist service ("I'm 14", "I want to die", stalking).
        need = intent.need
        specialist = signpost.for_need(services, need) if need else []
        rows = [[kit.button("find_support", Action.HELP), kit.button("menu", Action.MENU)]]
        return kit.reply(
            "danger.html",
            IntentKind.DANGER,
            rows,
            local=local[:3],
            need=need,
            specialist=specialist,
        )

    def services(self, intent: Intent) -> Reply:
        """Support for a need, in a borough: specialist first, then local, then wider."""
        kit = self.kit
        services = kit.services.values()
        need = intent.need
        code = intent.boroughs[0] if intent.boroughs else None
        specialist = signpost.for_need(services, need) if need else []
        local = kit.local_help(code) if code and need not in signpost.VOICE_FREE else []
        shown = {s.id for s in specialist + local}
        wider = [s for s in signpost.general(services, need) if s.id not in shown]
        rows = self._need_rows() if not need and not code else []
        rows.append([kit.button("help_now", Action.DANGER), kit.button("menu", Action.MENU)])
        return kit.reply(
            "help.html",
            IntentKind.HELP,
            rows,
            need=need,
            borough=kit.store.boroughs[code] if code else None,
            specialist=specialist,
            local=local,
            wider=wider,
        )

    def _need_rows(self) -> list[list[Button]]:
        needs = list(signpost.NEED_BUTTONS)
        return [
            [self.kit.button(f"need_{n}", Action.NEED, n) for n in needs[i : i + 3]]
            for i in range(0, len(needs), 3)
        ]

    def service(self, intent: Intent) -> Reply:
        kit = self.kit
        service = kit.services[intent.service_id or ""]
        rows = [[kit.button("find_support", Action.HELP), kit.button("menu", Action.MENU)]]
        return kit.reply("service.html", IntentKind.SERVICE, rows, service=service)

    def outside_london(self, intent: Intent) -> Reply:
        """Somewhere outside London: say what we cover, with the national services."""
        kit = self.kit
        services = kit.services.values()
        specialist = signpost.for_need(services, intent.need) if intent.need else []
        # Services for anyone, wherever they live: never a London or borough service here.
        national = [
            s for s in services if s.is_national and "general" in s.needs and s not in specialist
        ]
        rows = [[kit.button("help_now", Action.DANGER), kit.button("menu", Action.MENU)]]
        return kit.reply(
            "outside_london.html",
            IntentKind.OUTSIDE_LONDON,
            rows,
            place=intent.place,
            specialist=specialist,
            national=national,
        )
