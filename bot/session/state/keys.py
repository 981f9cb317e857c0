"""Where the state lives and the secret its chat keys are made with."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

import platformdirs

STATE_DIR_ENV = "HELPLINE_STATE_DIR"  # the folder of the SQLite file and the key file
SECRET_ENV = "HELPLINE_STATE_SECRET"  # the secret for the chat keys (required for Redis)
MIN_SECRET = 16  # characters
KEY_FILE = "state.key"
STATE_FILE = "chat-state.sqlite3"


class SecretError(Exception):
    """The secret is missing or unusable; the message says what to do."""


def state_dir() -> Path:
    """$HELPLINE_STATE_DIR, else the user's state folder (e.g. ~/.local/state/helpline-bot)."""
    return Path(os.environ.get(STATE_DIR_ENV) or platformdirs.user_state_dir("helpline-bot"))


def private_folder(folder: Path) -> None:
    """Make the folder and its missing parents for this user only (0700); leave the rest."""
    missing = []
    for parent in (folder, *folder.parents):
        if parent.exists():
            break
        missing.append(parent)
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)
        path.chmod(0o700)


def private_file(path: Path) -> None:
    """Create the file for this user only (0600), or narrow an existing one to that."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) & 0o077:
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def secret_from_env() -> bytes | None:
    """$HELPLINE_STATE_SECRET as bytes, None if unset; too short a secret is refused."""
    value = os.environ.get(SECRET_ENV, "")
    if not value:
        return None
    if len(value) < MIN_SECRET:
        raise SecretError(f"{SECRET_ENV} must be at least {MIN_SECRET} characters long")
    return value.encode()


def key_file_secret(folder: Path) -> bytes:
    """The secret in folder/state.key, made (0600, 32 random bytes as hex) the first time."""
    private_folder(folder)
    path = folder / KEY_FILE
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        private_file(path)
        value = path.read_text().strip()
        if len(value) < MIN_SECRET:
            raise SecretError(
                f"the key file {path} is damaged: delete it (the chat state is then unreadable "
                "and starts again)"
            ) from None
        return value.encode()
    with os.fdopen(fd, "w") as file:
        file.write(secrets.token_hex(32) + "\n")
    return path.read_text().strip().encode()
