"""Run the bot or the tests from a virtual environment in the checkout, made if missing.

    python3 scripts/dev.py bot [ARGS]    # installs '.', then: python -m bot ARGS
    python3 scripts/dev.py test [ARGS]   # installs '.[test]', then: python -m pytest ARGS

Standard library only, so it runs on a bare system Python. It creates .venv/ beside
this folder, or reuses it, and installs the project into it (never into the system
Python, which Debian and Ubuntu refuse: PEP 668). Stock Debian and Ubuntu also lack
ensurepip (the python3-venv package), so when the new environment has no pip this
script downloads pip's wheel from PyPI, checks it against PyPI's SHA-256, and lets the
wheel install itself, as get-pip.py does. It installs again only when pyproject.toml,
the checkout's place or the Python changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".helpline-installed"
PIP_RELEASE = "https://pypi.org/pypi/pip/json"  # PyPI's JSON API: the latest pip release
TASKS = {"bot": ("", ["-m", "bot"]), "test": ("test", ["-m", "pytest"])}
MINIMUM = (3, 11)


def say(line: str) -> None:
    print(f"dev.py: {line}", file=sys.stderr, flush=True)


def venv_python(folder: Path = VENV) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def works(*command: str | Path) -> bool:
    done = subprocess.run([str(c) for c in command], capture_output=True, check=False)
    return done.returncode == 0


def make_venv() -> Path:
    """.venv/ as it is if its Python runs, otherwise a new one (without pip: see ensure_pip)."""
    python = venv_python()
    if python.exists() and works(python, "-c", "pass"):
        return python
    say(f"creating a virtual environment in {VENV}")
    venv.EnvBuilder(clear=True, with_pip=False).create(VENV)
    return python


def pip_wheel(release: dict) -> tuple[str, str]:
    """The URL and SHA-256 of the pure-Python wheel in PyPI's JSON for a pip release."""
    for file in release["urls"]:
        if file["packagetype"] == "bdist_wheel" and file["filename"].endswith("-none-any.whl"):
            # PyPI gives full URLs; a mirror in between may give them relative to the page.
            return urllib.parse.urljoin(PIP_RELEASE, file["url"]), file["digests"]["sha256"]
    raise RuntimeError(f"no wheel in pip {release['info']['version']} on PyPI")


def ensure_pip(python: Path) -> None:
    if works(python, "-m", "pip", "--version"):
        return
    if works(python, "-m", "ensurepip", "--default-pip"):
        return
    say("this Python has no ensurepip (Debian's python3-venv): fetching pip from PyPI")
    with urllib.request.urlopen(PIP_RELEASE, timeout=60) as answer:
        url, sha256 = pip_wheel(json.load(answer))
    with tempfile.TemporaryDirectory() as folder:
        wheel = Path(folder) / url.rsplit("/", 1)[-1]
        with urllib.request.urlopen(url, timeout=120) as answer:
            wheel.write_bytes(answer.read())
        if hashlib.sha256(wheel.read_bytes()).hexdigest() != sha256:
            raise RuntimeError(f"{wheel.name} does not match PyPI's SHA-256: not installed")
        # A pip wheel can run itself: python pip.whl/pip install pip.whl
        subprocess.run(
            [str(python), str(wheel / "pip"), "install", "-q", "--no-index", str(wheel)],
            check=True,
        )


def stamp(extra: str) -> str:
    """What the installed environment depends on: the project's metadata, place and Python."""
    python = subprocess.run(
        [str(venv_python()), "-c", "import sys; print(sys.version)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    metadata = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return json.dumps({"pyproject": metadata, "root": str(ROOT), "python": python, "extra": extra})


def installed(extra: str) -> bool:
    """Whether the environment already holds the project with `extra` (test includes none)."""
    try:
        done = json.loads(STAMP.read_text())
        wanted = json.loads(stamp(done["extra"]))
    except (OSError, ValueError, KeyError, subprocess.CalledProcessError):
        return False  # no stamp yet, or one this script cannot read: install again
    return done == wanted and extra in {"", done["extra"]}


def install(extra: str) -> Path:
    python = make_venv()
    if installed(extra):
        return python
    ensure_pip(python)
    target = f".[{extra}]" if extra else "."
    say(f"installing {target} into .venv (the first time takes a minute or two)")
    STAMP.unlink(missing_ok=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "-e", target], cwd=ROOT, check=True)
    STAMP.write_text(stamp(extra))
    return python


def main(argv: list[str]) -> int:
    if sys.version_info < MINIMUM:
        version = sys.version.split()[0]
        say(f"needs Python {'.'.join(map(str, MINIMUM))} or newer; this is {version}")
        return 1
    if not argv or argv[0] not in TASKS:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: python3 scripts/dev.py bot|test [ARGS]", file=sys.stderr)
        return 2
    extra, module = TASKS[argv[0]]
    try:
        python = install(extra)
    except (OSError, ValueError, RuntimeError, subprocess.CalledProcessError) as error:
        say(f"could not set up .venv: {error}")
        return 1
    command = [str(python), *module, *argv[1:]]
    if os.name == "nt":
        return subprocess.run(command, check=False).returncode
    os.execv(command[0], command)  # the bot gets Ctrl-C and the terminal as if run directly


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
