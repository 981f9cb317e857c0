"""The helpline-bot command: a thin click layer over the library."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import click

from bot.core.conversation import Conversation
from bot.data import dataset
from bot.data.safe_input import printable
from bot.data.store import load_store
from bot.domain.paths import data_dir, default_store_path
from bot.fronts.plaintext import to_plain

_DATA = click.option(
    "--data",
    "data_path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of CSV files (default: the project's data/).",
)
_STORE = click.option(
    "--store",
    "store_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite file to build and answer from (default: a user cache file).",
)


def _conversation(
    data_path: Path | None, store_path: Path | None, build_in_child: bool = False
) -> Conversation:
    folder = data_path or data_dir()
    if not folder.is_dir() or not os.access(folder, os.R_OK | os.X_OK):
        # One line naming the folder, rather than one line per CSV file it lacks.
        raise click.ClickException(f"cannot read the data folder {folder}")
    try:
        store = load_store(folder, store_path or default_store_path(), build_in_child)
        return Conversation(store)
    except dataset.DataError as error:
        raise click.ClickException(
            f"the data has problems, so there is no store yet:\n{error}"
        ) from None
    except OSError as error:
        raise click.ClickException(f"cannot open the store: {error}") from None


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """--version: the program's version, then the data's newest month and refresh date."""
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import version

    from bot.data.data_status import describe

    click.echo(f"helpline-bot {version('helpline-bot')}")
    click.echo(describe(data_dir()))
    ctx.exit()


@click.group(invoke_without_command=True)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and the data's newest month and refresh date, then exit.",
)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Domestic abuse help and borough figures for London, on Telegram or in a terminal.

    With no command: runs the Telegram bot if TELEGRAM_BOT_TOKEN is set,
    otherwise starts a chat in this terminal.
    """
    if ctx.invoked_subcommand is not None:
        return
    if os.environ.get("TELEGRAM_BOT_TOKEN") and "run" in cli.commands:
        ctx.invoke(cli.commands["run"])
    else:
        ctx.invoke(chat)


@cli.command()
@_DATA
@_STORE
def chat(data_path: Path | None, store_path: Path | None) -> None:
    """Chat with the bot in this terminal."""
    from bot.fronts.console import run_chat

    conversation = _conversation(data_path, store_path)
    intro = click.style(
        "Terminal chat. Type a message, a number to press a button, or 'quit' to leave.\n"
        "To run on Telegram: set TELEGRAM_BOT_TOKEN (from @BotFather) and run helpline-bot run.\n",
        dim=True,
    )
    run_chat(
        conversation, lambda: click.prompt("you", prompt_suffix="> ", show_default=False), intro
    )


@cli.command()
@click.argument("text")
@click.option(
    "--html", "as_html", is_flag=True, help="Print the Telegram HTML instead of plain text."
)
@_DATA
@_STORE
def ask(text: str, as_html: bool, data_path: Path | None, store_path: Path | None) -> None:
    """Print the bot's reply to TEXT and exit; /commands answer as on Telegram."""
    from bot.fronts.console import leave_quickly, reply_to

    reply = reply_to(_conversation(data_path, store_path), text)
    if reply is None:  # leaving: as in the chat, clear the screen and say nothing
        leave_quickly()
        return
    click.echo(reply.text if as_html else to_plain(reply.text))
    if reply.image:
        click.echo(f"(picture saved: {reply.image})")


@cli.group()
def data() -> None:
    """Check and build the data store from data/*.csv."""


@data.command("check")
@_DATA
def data_check(data_path: Path | None) -> None:
    """Check data/ without writing anything."""
    folder = data_path or data_dir()
    try:
        rows = dataset.check(folder)
    except dataset.DataError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    counts = ", ".join(f"{len(v)} {k}" for k, v in rows.tables.items())
    click.echo(f"{folder}: OK ({counts})")


@data.command("status")
@_DATA
def data_status(data_path: Path | None) -> None:
    """Say how new the Met's figures in data/ are, and warn when it is time to import."""
    from datetime import date

    from bot.data.data_status import STALE_AFTER_MONTHS, newest_data
    from bot.data.mps_import import DATASET_URL

    folder = data_path or data_dir()
    status = newest_data(folder)
    if status is None:
        click.echo(f"{folder}: no Met monthly figures imported (only figures entered by hand).")
        click.echo(
            f"Import the Met's file from {DATASET_URL} with: helpline-bot data import-mps FILE"
        )
        return
    today = date.today()
    click.echo(f"Newest month: {status.last_month} ({status.months_old(today)} months ago)")
    click.echo(f"Refreshed by the Met: {status.refresh_date or 'no Refresh Date in the file'}")
    source = f"{status.publisher}, {status.source}"
    click.echo(f"Source: {source}" + (f", {status.licence}" if status.licence else ""))
    click.echo(f"File: {status.file_name}, imported {status.imported_at}")
    if status.stale(today):
        click.echo(
            f"Warning: the newest month is more than {STALE_AFTER_MONTHS} months old. Download "
            f'the latest "Other Crime Data" file from {status.url or DATASET_URL} and run:\n'
            "  helpline-bot data import-mps FILE.csv --licence LICENCE --obtained HOW",
            err=True,
        )


@data.command("build")
@_DATA
@_STORE
def data_build(data_path: Path | None, store_path: Path | None) -> None:
    """Build the SQLite store from data/ and swap it in if every check passes."""
    target = store_path or default_store_path()
    try:
        result = dataset.build(data_path or data_dir(), target)
    except (dataset.DataError, dataset.NotAStore) as error:
        click.echo(str(error), err=True)
        click.echo(f"Nothing was changed: {target} still holds the last good build.", err=True)
        sys.exit(1)
    counts = ", ".join(f"{n} {t}" for t, n in result.counts.items() if not t.startswith("meta"))
    click.echo(f"Built {result.path} ({counts})")


@data.command("import-mps")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--licence",
    default="",
    help='The licence the file was published under, e.g. "Open Government Licence v2.0".',
)
@click.option(
    "--obtained",
    default="",
    help="How you got the file (where you downloaded it from, or whose copy it is).",
)
@_DATA
@_STORE
def data_import_mps(
    file: Path, licence: str, obtained: str, data_path: Path | None, store_path: Path | None
) -> None:
    """Import the Met's "Other Crime Data" CSV (MPS Monthly Crime Dashboard Data).

    Checks the whole file first; a bad file is refused with its line and reason and
    nothing is written. Then merges its domestic abuse offences and positive outcomes
    into data/ (with a provenance row: file name, SHA-256, Refresh Date, licence, how it
    was obtained) and rebuilds the store.
    """
    from bot.data import mps_import

    folder, target = data_path or data_dir(), store_path or default_store_path()
    started = time.perf_counter()
    try:
        result = mps_import.import_file(
            file,
            folder,
            target,
            licence=licence,
            obtained=obtained,
            waiting=_waiting_for_import,
        )
    except (mps_import.MetFileError, dataset.DataError, dataset.NotAStore) as error:
        click.echo(printable(str(error)), err=True)
        click.echo(f"Nothing was changed: {folder} and {target} are as they were.", err=True)
        sys.exit(1)
    seconds = time.perf_counter() - started
    for line in mps_import.summary(result, seconds):
        click.echo(printable(line))


def _waiting_for_import() -> None:
    click.echo("Another import into this data folder is running: waiting for it.", err=True)


@cli.command()
@click.option(
    "--token",
    envvar="TELEGRAM_BOT_TOKEN",
    metavar="TOKEN",
    help="The bot's token from @BotFather (default: $TELEGRAM_BOT_TOKEN).",
)
@click.option(
    "--api-url",
    envvar="TELEGRAM_API_URL",
    help="Another Bot API server, e.g. http://127.0.0.1:8081/bot (default: $TELEGRAM_API_URL, "
    "else Telegram's).",
)
@click.option(
    "--webhook-url",
    envvar="TELEGRAM_WEBHOOK_URL",
    help="Public HTTPS address Telegram should POST updates to; without it the bot long-polls.",
)
@click.option(
    "--listen", default="127.0.0.1", show_default=True, help="Address the webhook server binds."
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8443,
    show_default=True,
    help="Port the webhook server binds.",
)
@click.option(
    "--secret-token",
    envvar="TELEGRAM_WEBHOOK_SECRET",
    help="Secret Telegram sends with every webhook request (default: a new random one).",
)
@click.option(
    "--log-level",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
    default="INFO",
    show_default=True,
    help="How much to log (never message text or the token).",
)
@click.option(
    "--state",
    envvar="HELPLINE_STATE",
    metavar="URL",
    help="Where the per-chat state is kept: sqlite:///PATH or redis://HOST:PORT/N "
    "(default: $HELPLINE_STATE, else a SQLite file in the user's state folder). "
    "Redis needs $HELPLINE_STATE_SECRET.",
)
@_DATA
@_STORE
def run(
    token: str | None,
    api_url: str | None,
    webhook_url: str | None,
    listen: str,
    port: int,
    secret_token: str | None,
    log_level: str,
    state: str | None,
    data_path: Path | None,
    store_path: Path | None,
) -> None:
    """Run the Telegram bot: long polling, or a webhook with --webhook-url."""
    from bot.fronts.telegram import app as telegram_app

    _warn_of_secrets_in_arguments(click.get_current_context())

    # Read here too: plain `helpline-bot` invokes this command without parsing the environment.
    env = os.environ.get
    settings = telegram_app.Settings(
        token=token or env("TELEGRAM_BOT_TOKEN") or "",
        api_url=api_url or env("TELEGRAM_API_URL") or None,
        webhook_url=webhook_url or env("TELEGRAM_WEBHOOK_URL") or None,
        listen=listen,
        port=port,
        secret_token=secret_token or env("TELEGRAM_WEBHOOK_SECRET") or None,
        log_level=log_level.upper(),
        state=state or env("HELPLINE_STATE") or None,
    )
    try:
        telegram_app.check(settings)
        # Built apart from the long-running process, which then never loads sqlite-utils.
        conversation = _conversation(data_path, store_path, build_in_child=True)
        telegram_app.run(settings, conversation)
    except telegram_app.StartError as error:
        raise click.ClickException(str(error)) from None


# Options that hold a secret, and the environment variable to pass it in instead.
_SECRET_OPTIONS = {"token": "TELEGRAM_BOT_TOKEN", "secret_token": "TELEGRAM_WEBHOOK_SECRET"}


def _warn_of_secrets_in_arguments(ctx: click.Context) -> None:
    """A secret typed on the command line is visible to every local user (ps): say so.

    It still works; the warning names the option, never the value.
    """
    secrets = dict(_SECRET_OPTIONS)
    if urlsplit(str(ctx.params.get("state") or "")).password:
        secrets["state"] = "HELPLINE_STATE"  # a Redis URL with its password
    for name, variable in secrets.items():
        if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE:
            option = "--" + name.replace("_", "-")
            click.echo(
                f"Warning: {option} on the command line can be read by anyone on this machine "
                f"(in the process list). Set {variable} in the environment instead.",
                err=True,
            )


def main() -> None:
    cli(prog_name="helpline-bot")
