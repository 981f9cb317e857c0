"""Write the README's transcript from the real program: python3 scripts/readme_transcript.py

Each message goes through the terminal chat's own code (bot.fronts.console: the reply the bot
gives on Telegram, printed as `helpline-bot chat` prints it), answered from a store built
from data/ in a temporary folder. With --check it writes nothing and exits 1 when the
README's block differs from what the program prints now (tests/fronts/test_readme.py runs that).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# Chosen to show safety first and what the chat can do, without borough figures.
MESSAGES = ("where can I get help in camden", "/help")
BEGIN = "<!-- transcript: made by scripts/readme_transcript.py from the real program -->"
END = "<!-- /transcript -->"
BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)


def transcript(messages: tuple[str, ...] = MESSAGES) -> str:
    """The conversation as `helpline-bot chat` shows it: 'you> ' lines, replies, buttons."""
    from bot.core.conversation import Conversation
    from bot.data.store import load_store
    from bot.domain.paths import data_dir
    from bot.fronts.console import reply_to, show

    lines: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        conversation = Conversation(load_store(data_dir(), Path(folder) / "helpline.db"))
        for message in messages:
            reply = reply_to(conversation, message)
            assert reply is not None, f"{message!r} leaves the chat"
            lines += [f"you> {message}", ""]
            show(reply, lines.append)
            lines.append("")
    text = "\n".join(lines).strip("\n")
    return f"{BEGIN}\n```text\n{text}\n```\n{END}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether it is up to date")
    args = parser.parse_args(argv)
    readme = README.read_text(encoding="utf-8")
    if not BLOCK.search(readme):
        print(f"{README}: no transcript block ({BEGIN} ... {END})", file=sys.stderr)
        return 1
    block = transcript()
    updated = BLOCK.sub(lambda _: block, readme, count=1)
    if args.check:
        if updated != readme:
            print("README.md's transcript is out of date: python3 scripts/readme_transcript.py")
            return 1
        return 0
    README.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
