"""Each behaviour of the core defined once: every kind answered, every need read, and nothing
given to the core changed by it."""

from __future__ import annotations

import pytest

from bot.core import buttons
from bot.core.conversation import Conversation
from bot.core.place_mentions import Places
from bot.core.places import Gazetteer
from bot.core.render import Renderer
from bot.core.signpost import NEEDS, Need
from bot.core.understand import Intent, Understander
from bot.core.understand.needs import NEED_ORDER, NEED_RULES
from bot.data.store import Store
from bot.domain.models import IntentKind

CROYDON, EALING = "E09000008", "E09000009"


@pytest.mark.parametrize("kind", list(IntentKind))
def test_every_kind_of_intent_has_its_own_reply(
    conversation: Conversation, kind: IntentKind
) -> None:
    intent = Intent(
        kind,
        (CROYDON, EALING),
        service_id="national-helpline",
        sub_region="West",
        order="all",
        choices=(CROYDON, EALING),
        place="Somewhere",
    )
    reply = conversation._reply_to(intent)
    assert reply.intent == kind and reply.text
    assert isinstance(reply.intent, IntentKind) and reply.intent == str(kind)  # "== 'danger'"


def test_every_need_is_read_from_words_in_one_order() -> None:
    assert set(NEED_RULES) == set(Need) == set(NEEDS)
    assert len(NEED_ORDER) == len(set(NEED_ORDER)) == len(Need)


def test_every_button_action_round_trips() -> None:
    for action in buttons.Action:
        argument = CROYDON if action in buttons.TAKES_ARGUMENT else ""
        press = buttons.decode(buttons.encode(action, argument))
        assert press == buttons.Press(action, argument) and press.action == str(action)
    assert buttons.encode("exit") == "exit"  # fronts may still name an action as a string


def test_a_conversation_leaves_the_renderer_it_was_given_as_it_was(store: Store) -> None:
    given = Renderer()
    before = dict(given.env.globals)
    conversation = Conversation(store, given)
    assert given.env.globals == before and given.globals == {}
    assert "999" in conversation.answer("he has a knife").text  # its own renderer knows services
    assert conversation.renderer is not given and conversation.renderer.env is given.env


def test_the_understander_leaves_the_gazetteer_it_was_given_as_it_was(store: Store) -> None:
    gazetteer = Gazetteer(store.boroughs.values(), store.places)
    before = gazetteer.find("Southall Black Sisters")
    assert before != Places()  # Southall is a place
    understander = Understander(gazetteer, store.services.values())
    assert gazetteer.not_places == frozenset()
    assert gazetteer.find("Southall Black Sisters") == before
    assert understander.gazetteer.find("Southall Black Sisters") == Places()  # a service
