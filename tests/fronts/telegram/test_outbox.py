"""The outbox on disk: private to its owner, kept across a restart, emptied as jobs are done."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot.domain.models import Button, ChartKind, ChartRequest, Reply
from bot.fronts.telegram.jobs import Kind, erase_job, send_job
from bot.fronts.telegram.outbox import SqliteOutbox, default_outbox_path
from bot.session.events import Link, Send


def _reply() -> Send:
    reply = Reply(
        "<b>Croydon</b>: 4,787",
        [[Button("Leave quickly", "exit")]],
        intent="figures",
        chart=ChartRequest(ChartKind.TREND, "E09000008"),
    )
    return Send(reply, silent=True, link=Link("Open", "https://t.me/x"))


async def test_jobs_and_update_ids_outlive_the_process_and_done_ones_are_gone(
    tmp_path: Path,
) -> None:
    path = tmp_path / "state" / "outbox.db"
    outbox = await SqliteOutbox(path).open()
    sent, waiting, erase = (
        send_job(7, _reply(), reply_to=41),
        send_job(8, _reply()),
        erase_job(9, True),
    )
    await outbox.put([sent, waiting], update_id=500)
    await outbox.put([erase], update_id=501)
    await outbox.sending(sent.id)  # its request left, then the process died
    outbox.done([])
    await outbox.close()

    again = await SqliteOutbox(path).open()
    assert await again.seen(500) and await again.seen(501) and not await again.seen(502)
    found = await again.waiting()
    assert [(j.chat_id, j.kind) for j in found.jobs] == [(8, Kind.SEND), (9, Kind.ERASE)]
    assert found.jobs[1].unknown_exit
    [maybe] = found.maybe_sent
    assert maybe.chat_id == 7 and maybe.reply_to == 41
    assert maybe.send == _reply()  # the reply as it was put, chart request and link included
    again.done(j.id for j in [*found.jobs, maybe])
    await again.close()

    last = await SqliteOutbox(path).open()
    assert (await last.waiting()).jobs == [] and (await last.waiting()).maybe_sent == []
    await last.close()


async def test_the_file_and_its_folder_are_for_the_owner_alone(tmp_path: Path) -> None:
    path = tmp_path / "state" / "helpline-bot" / "outbox.db"
    outbox = await SqliteOutbox(path).open()
    await outbox.put([send_job(7, _reply())], update_id=1)
    files = [p for p in path.parent.iterdir() if p.is_file()]
    assert path in files
    for file in files:  # the database and its write-ahead log
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    await outbox.close()


def test_the_default_file_is_in_the_state_folder_one_per_bot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HELPLINE_STATE_DIR", str(tmp_path))
    assert default_outbox_path("123") == tmp_path / "outbox-123.db"
    monkeypatch.setenv("HELPLINE_OUTBOX", str(tmp_path / "o.db"))
    assert default_outbox_path("123") == tmp_path / "o.db"
