"""The terminal answers slash commands as the bot does on Telegram, through the same registry."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakebotapi import FakeBotAPI
from telegram_harness import (
    api_fixture,  # noqa: F401 - a fixture
    bot_fixture,  # noqa: F401 - a fixture
    button_data,
)

from bot.core import buttons
from bot.core.conversation import Conversation
from bot.fronts.cli import cli
from bot.fronts.console import reply_to

# The three, then the rest of what the registry and the core answer.
SAME_ON_BOTH = [
    "/about",
    "/help",
    "/figures camden",
    "/start",
    "/emergency",
    "/figures",
    "/figures@helpline_test_bot k&c",
    "/compare Ealing Hounslow",
    "/services men",
    "/privacy",
    "/whatever",
]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("store") / "helpline.db"


def ask(store_path: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["ask", *args, "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("text", SAME_ON_BOTH)
def test_the_terminal_answers_a_command_as_telegram_does(
    bot: FakeBotAPI, conversation: Conversation, store_path: Path, text: str
) -> None:
    bot.send_text(text)
    [call] = bot.wait_for("sendMessage")
    terminal = reply_to(conversation, text)
    assert terminal is not None
    assert terminal.text.strip() == call.params["text"].strip()
    # Telegram adds "Leave quickly" to every private reply; the rest are the same buttons.
    pressed = [b.data for row in terminal.buttons for b in row]
    assert button_data(call) == [*pressed, buttons.encode("exit")]
    assert ask(store_path, "--html", text).strip() == call.params["text"].strip()


def test_ask_about_help_and_figures_are_not_free_text(store_path: Path) -> None:
    about = ask(store_path, "/about")
    assert about.startswith("About the data") and "didn't quite understand" not in about
    help_ = ask(store_path, "/help")
    assert help_.startswith("What you can ask me") and "/figures borough" in help_
    camden = ask(store_path, "/figures camden")
    assert "Camden: 1,775 domestic abuse offences" in camden and "999" not in camden.splitlines()[0]


def test_a_slash_not_followed_by_a_name_is_free_text(conversation: Conversation) -> None:
    reply = reply_to(conversation, "/ croydon")
    assert reply is not None and "Croydon: 4,787" in reply.text


def test_ask_exit_clears_the_screen_and_says_nothing(store_path: Path) -> None:
    assert ask(store_path, "/exit") == "\033[3J\033[H\033[2J"


@pytest.mark.parametrize("words", ["leave", "get me out", "quit", "/exit"])
def test_every_way_of_saying_leave_clears_the_terminal_as_it_erases_telegram(
    store_path: Path, words: str
) -> None:
    assert ask(store_path, words) == "\033[3J\033[H\033[2J"


def test_the_chat_forgets_itself_on_leave(store_path: Path) -> None:
    typed = "croydon\nget me out\ncamden\n"
    result = CliRunner().invoke(cli, ["chat", "--store", str(store_path)], input=typed)
    assert result.exit_code == 0, result.output
    assert "Croydon" in result.output and "Camden" not in result.output
    assert result.output.endswith("\033[3J\033[H\033[2J")


def test_the_chat_follows_a_conversation(store_path: Path) -> None:
    typed = "how many in croydon\nand the year before?\n"
    result = CliRunner().invoke(cli, ["chat", "--store", str(store_path)], input=typed)
    assert result.exit_code == 0, result.output
    assert "Croydon: 4,787" in result.output and "Croydon: 4,848" in result.output


def test_discreet_mode_says_it_is_for_telegram(store_path: Path) -> None:
    output = ask(store_path, "/discreet on")
    assert "Discreet mode is for Telegram" in output


def test_chat_takes_the_same_commands(store_path: Path) -> None:
    typed = "/about\n/help\n/figures camden\n/discreet on\n/exit\n"
    result = CliRunner().invoke(cli, ["chat", "--store", str(store_path)], input=typed)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("About the data") < out.index("What you can ask me")
    assert out.index("What you can ask me") < out.index("Camden: 1,775 domestic abuse offences")
    assert "Discreet mode is for Telegram" in out
    assert "didn't quite understand" not in out
    assert out.endswith("\033[3J\033[H\033[2J")


def test_the_terminal_never_loads_telegram(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from bot.fronts.cli import cli\n"
        f"store = {str(tmp_path / 's.db')!r}\n"
        "for text in ('/help', '/about', 'croydon'):\n"
        "    result = CliRunner().invoke(cli, ['ask', text, '--store', store])\n"
        "    assert result.exit_code == 0, result.output\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'telegram')\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
