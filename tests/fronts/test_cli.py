"""The helpline-bot command, through click's CliRunner and as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bot.fronts.cli import cli


@pytest.fixture
def run(tmp_path: Path):
    """Invoke the CLI with a store in a temp dir."""
    store = tmp_path / "store.db"

    def invoke(*args: str, input: str | None = None, data: Path | None = None):
        extra = ["--store", str(store)] if args and args[0] in {"ask", "chat"} else []
        if data is not None:
            extra += ["--data", str(data)]
        return CliRunner().invoke(cli, [*args, *extra], input=input, catch_exceptions=False)

    invoke.store = store  # type: ignore[attr-defined]
    return invoke


def test_ask_croydon_gives_the_figure_period_source_and_help(run) -> None:
    # A fresh clone answers from the Met's file shipped in data/ (FACTS.md 1b).
    result = run("ask", "croydon")
    assert result.exit_code == 0
    assert "Croydon: 4,787 domestic abuse offences" in result.output
    assert "Period: April 2024 to March 2025." in result.output
    assert "Metropolitan Police Service, via the London Datastore" in result.output
    assert "refreshed 2 August 2025" in result.output and "Open Government Licence" in result.output
    assert "0808 2000 247" in result.output
    assert "<b>" not in result.output  # plain text by default


def test_ask_for_the_articles_year_gives_it_as_history(run) -> None:
    result = run("ask", "croydon in 2008")
    assert "Croydon: 2,531 domestic violence offences" in result.output
    assert "Period: one year, most likely 2008." in result.output
    assert "getwestlondon" in result.output and "Not comparable with today's" in result.output


def test_ask_html_prints_telegram_html(run) -> None:
    result = run("ask", "--html", "croydon")
    assert "<b>Croydon: 4,787</b>" in result.output
    assert "&#34;" in result.output or "&quot;" in result.output  # quotes escaped


def test_ask_a_danger_message_leads_with_999(run) -> None:
    result = run("ask", "he is outside my door and I am scared")
    assert "999" in result.output.splitlines()[0]


def test_ask_solace_gives_contact_and_status(run) -> None:
    result = run("ask", "solace")
    assert "0808 802 5565" in result.output
    assert "Please check this number" in result.output


def test_data_check_passes_on_the_project_data(run) -> None:
    result = run("data", "check")
    assert result.exit_code == 0
    assert "OK (4 sources, 33 boroughs, 66 populations, 646 offences" in result.output
    assert "1 imports, 3071 months" in result.output


def test_data_check_reports_file_and_line(run, data_copy: Path) -> None:
    offences = data_copy / "offences.csv"
    offences.write_text(offences.read_text().replace(",offences,2531,", ",offences,-1,"))
    result = run("data", "check", data=data_copy)
    assert result.exit_code == 1
    assert "data/offences.csv, line 3: count is negative (-1)" in result.output


def test_a_broken_build_keeps_the_previous_store_answering(run, data_copy: Path) -> None:
    built = run("data", "build", "--store", str(run.store), data=data_copy)
    assert built.exit_code == 0 and "Built" in built.output
    offences = data_copy / "offences.csv"
    offences.write_text(offences.read_text().replace(",offences,2531,", ",offences,2 531,"))
    broken = run("data", "build", "--store", str(run.store), data=data_copy)
    assert broken.exit_code == 1
    assert "data/offences.csv, line 3: count is not a whole number" in broken.output
    assert "still holds the last good build" in broken.output
    assert "Croydon: 2,531" in run("ask", "croydon in 2008", data=data_copy).output


def test_chat_reads_messages_and_numbered_buttons(run) -> None:
    result = run("chat", input="croydon\n1\nquit\n")
    assert result.exit_code == 0
    assert "Croydon: 4,787" in result.output
    assert "[1] Support near here" in result.output
    assert "In Croydon" in result.output or "National Domestic Abuse Helpline" in result.output


def test_chat_ends_cleanly_at_end_of_input(run) -> None:
    result = run("chat", input="hello\n")
    assert result.exit_code == 0
    assert "Terminal chat" in result.output


def test_chat_handles_commands(run) -> None:
    result = run("chat", input="/compare ealing hounslow\nquit\n")
    assert "Ealing recorded 115 more than Hounslow" in result.output  # 3,493 and 3,378


def test_no_command_and_no_token_starts_the_terminal_chat(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["HELPLINE_STORE"] = str(tmp_path / "s.db")
    done = subprocess.run(
        [sys.executable, "-m", "bot"], input="croydon\n", env=env,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "TELEGRAM_BOT_TOKEN" in done.stdout  # says how to connect to Telegram
    assert "Croydon: 4,787" in done.stdout


def _commands(group: click.Group, prefix: str = ""):
    for name, command in group.commands.items():
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix}{name} ")


@pytest.mark.parametrize("name", [name for name, _ in _commands(cli)])
def test_every_command_has_help_text(name: str) -> None:
    command = dict(_commands(cli))[name]
    assert command.help and len(command.help.strip()) > 10
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_readme_documents_every_command(repo_data: Path) -> None:
    readme = (repo_data.parent / "README.md").read_text()
    for name, _ in _commands(cli):
        assert f"helpline-bot {name}" in readme, f"README does not mention 'helpline-bot {name}'"


def test_chat_exit_clears_the_screen_and_leaves(run) -> None:
    result = run("chat", input="he hits me\n/exit\ncroydon\n")
    assert result.exit_code == 0
    assert result.output.endswith("\033[3J\033[H\033[2J")  # nothing after: croydon was never read
