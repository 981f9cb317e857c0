"""The real Application over HTTP against the fake Bot API: what people send, what they get."""

from __future__ import annotations

import time

import pytest
from fakebotapi import FakeBotAPI
from telegram_harness import (
    api_fixture,  # noqa: F401 - a fixture
    bot_fixture,  # noqa: F401 - a fixture
    button_data,
    button_labels,
    running_bot,
    shown,
)

from bot.core import buttons
from bot.core.conversation import Conversation
from bot.core.render import Renderer
from bot.domain.models import ChartKind, ChartRequest, Context, Reply
from bot.session import commands
from bot.session.commands import COMMANDS

EALING = "E09000009"
MENU = ["danger", "help", "rank", "about"]


def test_start_says_what_the_bot_does_the_safety_line_and_how_to_leave(bot: FakeBotAPI) -> None:
    bot.send_text("/start")
    [call] = bot.wait_for("sendMessage")
    text = shown(call)
    assert "domestic abuse in London" in text
    assert "call 999" in text and "press 55" in text
    assert "/exit" in text
    assert call.params["parse_mode"] == "HTML"
    assert call.params["link_preview_options"] == {"is_disabled": True}
    assert button_data(call)[:4] == MENU


def test_a_borough_question_gets_the_figure_source_and_help_line(bot: FakeBotAPI) -> None:
    bot.send_text("croydon")
    [call] = bot.wait_for("sendMessage")
    text = shown(call)
    assert "Croydon: 4,787" in text
    assert "London Datastore" in text and "0808 2000 247" in text
    assert f"local:{'E09000008'}" in button_data(call)


def test_a_follow_up_is_answered_about_the_borough_just_asked_about(bot: FakeBotAPI) -> None:
    bot.send_text("how many in croydon")
    bot.wait_for("sendMessage")
    bot.send_text("and the year before?")
    first, then = bot.wait_for("sendMessage", 2)
    assert "Croydon: 4,787" in shown(first)
    assert "Croydon: 4,848" in shown(then) and "April 2023 to March 2024" in shown(then)
    assert "0808 2000 247" in shown(then)


def test_a_danger_message_is_answered_with_999_first(bot: FakeBotAPI) -> None:
    bot.send_text("he is outside the door and I'm scared")
    [call] = bot.wait_for("sendMessage")
    assert "999" in shown(call).splitlines()[0]


def test_danger_said_indirectly_gets_the_danger_reply_with_the_childs_line(
    bot: FakeBotAPI,
) -> None:
    bot.send_text("im 13 and hes pouring petrol in the hallway")
    [call] = bot.wait_for("sendMessage")
    text = shown(call)
    assert "999" in text.splitlines()[0]
    assert "press 55" in text and "I'm a bot" in text
    assert "Childline" in text and "0800 1111" in text


def test_someone_who_cannot_risk_a_call_gets_no_voice_line(bot: FakeBotAPI) -> None:
    bot.send_text("i cant risk a call")
    [call] = bot.wait_for("sendMessage")
    text = shown(call)
    assert "Text SHOUT to 85258" in text and "live chat" in text.lower()
    assert "0808 2000 247" not in text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("danger", "If you are in danger now, call 999"),
        ("help", "National Domestic Abuse Helpline"),
        ("rank", "Domestic abuse offences by borough"),
        ("about", "About the data"),
    ],
)
def test_each_menu_button_answers_the_query_first_then_replies(
    bot: FakeBotAPI, data: str, expected: str
) -> None:
    bot.send_text("menu")
    bot.wait_for("sendMessage")
    bot.press_button(data)
    [reply] = bot.wait_for("sendMessage", 2)[1:]
    assert expected in shown(reply)
    [answered] = bot.wait_for("answerCallbackQuery")
    assert answered.at < reply.at  # the spinner stops before the reply is sent


@pytest.mark.parametrize("data", ["fig:E09999999", "nonsense", "need:../../etc", "x" * 200, ""])
def test_an_unknown_or_tampered_button_gets_the_menu(bot: FakeBotAPI, data: str) -> None:
    bot.send_text("hello")
    bot.wait_for("sendMessage")
    bot.press_button(data)
    reply = bot.wait_for("sendMessage", 2)[1]
    assert "Here's what I can do" in shown(reply)
    assert button_data(reply)[:4] == MENU
    assert not bot.calls_to("sendMessage")[1].params.get("text", "").startswith("Sorry")


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("sticker", "can't see pictures or stickers"),
        ("photo", "can't see pictures"),
        ("animation", "can't see pictures"),
        ("voice", "can't listen"),
        ("audio", "can't listen"),
        ("video_note", "can't listen to or watch"),
        ("document", "can't open files"),
        ("location", "Write your borough or postcode"),
        ("venue", "Write your borough or postcode"),
        ("contact", "don't keep them"),
    ],
)
def test_things_that_are_not_text_get_a_kind_note_with_the_help_line(
    bot: FakeBotAPI, kind: str, expected: str
) -> None:
    bot.send_media(kind)
    [call] = bot.wait_for("sendMessage")
    text = shown(call)
    assert expected in text
    assert "0808 2000 247" in text and "999" in text
    assert button_data(call)[:4] == MENU


def test_a_photo_caption_is_read_like_a_message(bot: FakeBotAPI) -> None:
    bot.send_media("photo", caption="he hit me and he is still here")
    [call] = bot.wait_for("sendMessage")
    assert "999" in shown(call).splitlines()[0]


def test_an_edited_message_is_answered_again_as_a_reply_to_the_edit(bot: FakeBotAPI) -> None:
    sent = bot.send_text("croyden hmm no")
    bot.wait_for("sendMessage")
    bot.edit_text(sent["message"]["message_id"], "ealing")
    second = bot.wait_for("sendMessage", 2)[1]
    assert "Ealing: 3,493" in shown(second)
    assert second.params["reply_parameters"]["message_id"] == sent["message"]["message_id"]


def test_in_a_group_the_bot_only_points_to_a_private_chat(bot: FakeBotAPI) -> None:
    group = -100123
    bot.send_text("my partner hits me, croydon", chat_id=group, user_id=7, chat_type="supergroup")
    bot.send_text("/figures croydon", chat_id=group, user_id=7, chat_type="supergroup")
    bot.send_text("/start@some_other_bot", chat_id=group, user_id=7, chat_type="group")
    bot.send_text("hey @helpline_test_bot", chat_id=group, user_id=7, chat_type="supergroup")
    bot.send_text("/help", chat_id=group, user_id=7, chat_type="supergroup")
    # One chat's updates are handled in order: once the last is answered, all were read.
    bot.wait_for("sendMessage", 3, where=lambda c: c.params["chat_id"] == group)
    replies = bot.sent(group)
    assert len(replies) == 3  # the two commands and the mention; not the chatter or other bot's
    for reply in replies:
        text = shown(reply)
        assert "Message me privately" in text and "@helpline_test_bot" in text
        assert "4,787" not in text and "Croydon" not in text
        assert button_data(reply) == ["https://t.me/helpline_test_bot"]


def test_a_reply_to_the_bot_in_a_group_is_answered(bot: FakeBotAPI) -> None:
    group = -42
    bot.send_text("/help", chat_id=group, user_id=7, chat_type="group")
    [note] = bot.wait_for("sendMessage")
    bot.send_text(
        "thanks", chat_id=group, user_id=7, chat_type="group", reply_to=note.result["message_id"]
    )
    bot.wait_for("sendMessage", 2)


def test_every_registered_command_is_answered_and_help_lists_them_all(bot: FakeBotAPI) -> None:
    for command in COMMANDS:
        if command.name != "exit":
            bot.send_text(f"/{command.name}")
    calls = bot.wait_for("sendMessage", len(COMMANDS) - 1)
    assert not any(shown(c).startswith("Sorry") for c in calls)
    help_text = shown(calls[[c.name for c in COMMANDS if c.name != "exit"].index("help")])
    for command in COMMANDS:
        assert f"/{command.name}" in help_text


def test_the_command_menu_is_set_from_the_registry(bot: FakeBotAPI) -> None:
    [call] = bot.wait_for("setMyCommands")
    names = [c["command"] for c in call.params["commands"]]
    assert names == [c.name for c in COMMANDS]
    assert all(0 < len(c["description"]) <= 256 for c in call.params["commands"])


def test_the_registry_has_words_for_every_command() -> None:
    described = commands.describe(Renderer())
    assert [d.name for d in described] == [c.name for c in COMMANDS]
    assert all(d.description for d in described)
    assert len({c.name for c in COMMANDS}) == len(COMMANDS)


def test_unknown_commands_get_the_menu(bot: FakeBotAPI) -> None:
    bot.send_text("/whatever")
    [call] = bot.wait_for("sendMessage")
    assert "Here's what I can do" in shown(call)


def test_a_command_with_an_argument_is_passed_to_the_core(bot: FakeBotAPI) -> None:
    bot.send_text("/compare Ealing Hounslow")
    bot.send_text("/figures@helpline_test_bot k&c")
    first, second = bot.wait_for("sendMessage", 2)
    assert "115 more" in shown(first)
    assert "Kensington and Chelsea: 1,329" in shown(second)


def test_buttons_carry_valid_callback_data(bot: FakeBotAPI) -> None:
    bot.send_text("where can I get help")
    [call] = bot.wait_for("sendMessage")
    assert button_labels(call)
    for data in button_data(call):
        assert buttons.decode(data) is not None, data


def test_replies_in_one_chat_keep_their_order_while_other_chats_go_on(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    api.slow("sendMessage", 1.0)  # the first reply is slow to send
    api.send_text("croydon", chat_id=1)
    api.send_text("ealing", chat_id=1)
    api.send_text("hounslow", chat_id=2)
    with running_bot(api, conversation):
        calls = api.wait_for("sendMessage", 3)
    order = [(c.params["chat_id"], shown(c).split(":")[0]) for c in calls]
    chat_one = [name for chat, name in order if chat == 1]
    assert chat_one == ["Croydon", "Ealing"]
    # Chat 2 did not wait behind chat 1's slow reply.
    assert order.index((2, "Hounslow")) < order.index((1, "Ealing"))


class _SlowToDraw(Conversation):
    """The real core, but one answer comes with a picture that takes 1.5 s to draw."""

    def answer(
        self,
        text: str | None,
        *,
        draw: bool = True,
        context: Context | None = None,
        language: str = "en",
    ) -> Reply:
        reply = super().answer(text, draw=draw, context=context, language=language)
        if text == "ealing":
            reply.chart = ChartRequest(ChartKind.TREND, EALING)
        return reply

    def draw(self, reply: Reply) -> Reply:
        if reply.chart == ChartRequest(ChartKind.TREND, EALING):
            reply.chart = None
            time.sleep(1.5)
            return reply
        return super().draw(reply)


def test_a_picture_slow_to_draw_in_one_chat_does_not_hold_up_another(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    slow = _SlowToDraw(conversation.store, conversation.renderer)
    with running_bot(api, slow):
        api.send_text("ealing", chat_id=2001)
        time.sleep(0.2)  # the slow drawing is under way
        api.send_text("croydon", chat_id=2002)
        calls = api.wait_for("sendMessage", 2, timeout=10)
    assert [c.params["chat_id"] for c in calls] == [2002, 2001]


def test_an_update_waiting_for_a_drawing_gives_its_slot_to_other_chats(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    slow = _SlowToDraw(conversation.store, conversation.renderer)
    with running_bot(api, slow, concurrent_updates=1):  # one update worked on at a time
        api.send_text("ealing", chat_id=2011)
        time.sleep(0.2)  # the drawing is under way, its update waiting
        api.send_text("croydon", chat_id=2012)
        calls = api.wait_for("sendMessage", 2, timeout=10)
    assert [c.params["chat_id"] for c in calls] == [2012, 2011]
