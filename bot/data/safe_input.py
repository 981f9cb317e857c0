"""Checks on files handed to the importer, and text made safe to print or write.

An operator may be handed a wrong file (a zip named .csv, a UTF-16 export, a link to
somewhere else) or a hostile one (a name that is a spreadsheet formula, escape codes in
a cell). Each is refused in one line naming the file, before it is read as CSV and without
quoting what it holds; whatever the importer prints or writes passes `printable` or `cell`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import errno
import fcntl
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TypeVar

T = TypeVar("T")

ENCODINGS = ("utf-8-sig", "cp1252")  # tried in turn; Windows-1252 decodes nearly any bytes
SNIFF = 64 * 1024  # bytes read to tell what a file is
MAX_LINE = 64 * 1024  # characters in one line; the Met's lines are under 300
MAX_COLUMNS = 64  # the Met's files have 10 to 12 columns

# How files that are not text begin (the first bytes), and what they are.
_MAGIC = (
    (b"PK\x03\x04", "a zip archive (or an Excel .xlsx workbook)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\x1f\x8b", "gzip-compressed"),
    (b"BZh", "bzip2-compressed"),
    (b"\xfd7zXZ\x00", "xz-compressed"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook"),
    (b"%PDF", "a PDF"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_SAVE_AS = "save it from the spreadsheet as 'CSV UTF-8' and import that"
# Control characters (C0 and C1, escape codes included) and the invisible marks that
# reorder text on screen.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
# A cell starting with one of these is run as a formula by spreadsheets.
_FORMULA_START = tuple("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


class Refused(Exception):
    """The file is not one the importer will read; the message is one line, no content."""


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def check_file(path: Path) -> None:
    """Refuse anything but a regular text file with a CSV header of sensible width.

    Opened without following a symbolic link and without waiting (a named pipe would
    otherwise block for ever); only its first SNIFF bytes are read.
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise Refused("is a symbolic link: give the file itself") from None
        raise Refused(f"cannot be read ({error.strerror})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise Refused(f"is {_kind(mode)}, not a CSV file")
        head = os.read(fd, SNIFF)
    except OSError as error:
        raise Refused(f"cannot be read ({error.strerror})") from None
    finally:
        os.close(fd)
    _check_head(head)


def _check_head(head: bytes) -> None:
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise Refused(f"is {what}, not a CSV file: {_SAVE_AS}")
    for bom, name in _BOMS:
        if head.startswith(bom):
            raise Refused(f"is {name} text, which the importer does not read: {_SAVE_AS}")
    if b"\x00" in head:
        guess = " (UTF-16 text without its mark?)" if head.count(b"\x00") * 3 > len(head) else ""
        raise Refused(f"holds binary data{guess}, not CSV text: {_SAVE_AS}")
    end = head.find(b"\n")
    if end < 0 and len(head) == SNIFF:
        raise Refused(f"its first line is longer than {SNIFF // 1024} KB: not a Met file")
    first = head[: end if end >= 0 else len(head)].decode("utf-8", "replace")
    with contextlib.suppress(csv.Error, StopIteration):
        width = len(next(csv.reader([first])))
        if width > MAX_COLUMNS:
            raise Refused(
                f"its header has {width:,} columns; the Met's files have about 12: not a Met file"
            )


def capped_lines(handle: IO[str], limit: int = MAX_LINE) -> Iterator[str]:
    """The handle's lines, refusing one longer than `limit` without reading all of it."""
    number = 0
    while line := handle.readline(limit + 1):
        number += 1
        if len(line) > limit:
            raise Refused(f"line {number} is longer than {limit // 1024} K characters")
        yield line


def read_text(path: Path, read: Callable[[Iterator[str]], T]) -> T:
    """`read(lines)` of the file as UTF-8, else as Windows-1252 (some spreadsheet exports).

    Lines are capped at MAX_LINE characters; bytes neither encoding reads are refused.
    """
    for encoding in ENCODINGS:
        try:
            with path.open(newline="", encoding=encoding) as handle:
                return read(capped_lines(handle))
        except UnicodeDecodeError:
            continue
    raise Refused(f"is neither UTF-8 nor Windows-1252 text: {_SAVE_AS}")


def printable(text: str) -> str:
    """Text without control characters or escape codes (each becomes '?'); newlines kept."""
    return _UNPRINTABLE.sub("?", text).replace("\t", " ")


def cell(text: str) -> str:
    """Text safe to write into a CSV cell: printable on one line, never a formula."""
    text = printable(text).replace("\n", " ")
    return "'" + text if text.lstrip().startswith(_FORMULA_START) else text


@contextlib.contextmanager
def import_lock(folder: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the data folder while importing into it: a second import waits for the first.

    An advisory lock on the folder itself (flock), so nothing is added to data/, and the
    lock goes with the process if it dies.
    """
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # no such folder: nothing to import into, as the checks that follow say
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock
