"""The README's first five minutes stay true: its transcript and its two commands."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_SPEC = importlib.util.spec_from_file_location("dev", ROOT / "scripts" / "dev.py")
assert _SPEC is not None and _SPEC.loader is not None
dev = importlib.util.module_from_spec(_SPEC)  # scripts/dev.py: standard library only
_SPEC.loader.exec_module(dev)


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def command_after(heading: str) -> str:
    """The indented command line after a bold heading such as **Run the tests**."""
    match = re.search(rf"\*\*{heading}\*\*.*?\n\n    (.+)\n", readme())
    assert match, f"no command after **{heading}**"
    return match.group(1)


def test_the_transcript_is_what_the_program_prints_now() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "readme_transcript.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_transcript_opens_the_readme_before_the_set_up() -> None:
    text = readme()
    assert text.index("you> ") < text.index("## Set up") < text.index("## Using it")


def test_the_two_commands_make_their_own_venv_and_ci_runs_the_test_one() -> None:
    run, test = command_after("Run the bot"), command_after("Run the tests")
    assert (run, test) == ("python3 scripts/dev.py bot", "python3 scripts/dev.py test")
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test in ci  # exactly, as a line of its own
    assert ci.index(test) < min(i for i, line in enumerate(ci) if "ruff" in line)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://files.pythonhosted.org/packages/aa/pip-25.3-py3-none-any.whl",
         "https://files.pythonhosted.org/packages/aa/pip-25.3-py3-none-any.whl"),
        ("../../packages/aa/pip-25.3-py3-none-any.whl",  # a mirror's relative link
         "https://pypi.org/packages/aa/pip-25.3-py3-none-any.whl"),
    ],
)  # fmt: skip
def test_pip_is_taken_as_the_wheel_with_pypis_hash(url: str, expected: str) -> None:
    release = {
        "info": {"version": "25.3"},
        "urls": [
            {"packagetype": "sdist", "filename": "pip-25.3.tar.gz", "url": "x",
             "digests": {"sha256": "0" * 64}},
            {"packagetype": "bdist_wheel", "filename": "pip-25.3-py3-none-any.whl", "url": url,
             "digests": {"sha256": "a" * 64}},
        ],
    }  # fmt: skip
    assert dev.pip_wheel(release) == (expected, "a" * 64)


def test_dev_refuses_an_unknown_task_and_says_how() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "dev.py"), "tests"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "usage: python3 scripts/dev.py bot|test" in done.stderr
