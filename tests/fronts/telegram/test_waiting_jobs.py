"""Jobs waiting their turn: what each holds in memory, and that it is whole when its turn comes.

With a burst read at once (so that danger can go first), thousands of replies wait at 30 a
second. On disk (SQLite) a waiting job holds only what its order needs and its reply is
read back at its turn; in memory it holds the reply packed.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.domain.models import Button, IntentKind, Reply
from bot.fronts.telegram.dispatch import Dispatcher
from bot.fronts.telegram.jobs import Job, Kind, erase_job, send_job
from bot.fronts.telegram.outbox import MemoryOutbox, Outbox, SqliteOutbox
from bot.session.events import Link, Send


def _send(text: str, intent: str = "figures") -> Send:
    reply = Reply(f"<b>{text}</b> 💜", [[Button("Leave quickly", "exit")]], intent=intent)
    return Send(reply, silent=True, link=Link("Open", "https://t.me/x"))


async def _ran_until(ran: list[Job], count: int) -> None:
    async with asyncio.timeout(5):
        while len(ran) < count:
            await asyncio.sleep(0.01)


@pytest.mark.parametrize("where", ["memory", "sqlite"])
async def test_waiting_replies_come_back_whole_urgent_first_and_an_exit_drops_its_chats(
    tmp_path: Path, where: str
) -> None:
    outbox: Outbox = MemoryOutbox() if where == "memory" else SqliteOutbox(tmp_path / "o.db")
    await outbox.open()
    dispatcher = Dispatcher(outbox, limit=1)
    ran: list[Job] = []

    async def run(job: Job) -> None:
        ran.append(job)

    dispatcher.run = run
    ordinary = [send_job(7, _send(f"croydon {n}")) for n in range(3)]
    danger = send_job(7, _send("999", IntentKind.DANGER.value))
    dropped = [send_job(9, _send(f"ealing {n}")) for n in range(2)]
    erase = erase_job(9)
    replies = {id(job): job.send for job in [*ordinary, danger, *dropped]}
    await dispatcher.put(ordinary[:2], 1)
    await dispatcher.put([danger], 2)
    await dispatcher.put([ordinary[2]], 3)
    await dispatcher.put(dropped, 4)

    waiting = [*ordinary, danger, *dropped]
    assert all(job.send is None for job in waiting)  # no reply held as objects
    if where == "sqlite":  # nor as bytes: the outbox has it
        assert all(job.packed is None for job in waiting)
    else:
        assert all(job.packed for job in waiting)
    assert danger.urgent and not any(job.urgent for job in ordinary)

    await dispatcher.put([erase], 5)  # the exit drops chat 9's replies not yet sent
    dispatcher.start()
    await _ran_until(ran, 5)
    await asyncio.sleep(0.05)
    await dispatcher.stop()
    assert ran[0] in (danger, erase) and ran[1] in (danger, erase)  # urgent ones first
    assert [job for job in ran if job.chat_id == 7] == [danger, *ordinary]
    assert [job for job in ran if job.chat_id == 9] == [erase]
    for job in ran:
        if job.kind is Kind.SEND:
            assert job.send == replies[id(job)]  # the reply as it was put
    await outbox.close()
    if where == "sqlite":  # every job done or dropped is gone from the disk
        again = await SqliteOutbox(tmp_path / "o.db").open()
        assert (await again.waiting()).jobs == []
        await again.close()


async def test_a_job_restored_after_a_restart_waits_without_its_reply(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    first = await SqliteOutbox(path).open()
    await first.put([send_job(7, _send("croydon")), send_job(8, _send("999", "danger"))], 1)
    await first.close()

    outbox = await SqliteOutbox(path).open()
    jobs = (await outbox.waiting()).jobs
    dispatcher = Dispatcher(outbox, limit=1)
    ran: list[Job] = []

    async def run(job: Job) -> None:
        ran.append(job)

    dispatcher.run = run
    dispatcher.restore(jobs)
    assert all(job.send is None and job.packed is None for job in jobs)
    dispatcher.start()
    await _ran_until(ran, 2)
    await dispatcher.stop()
    assert [job.chat_id for job in ran] == [8, 7]  # danger first, as before the restart
    assert ran[1].send == _send("croydon")
    await outbox.close()


async def test_an_exit_that_stops_a_reply_before_it_has_begun_still_erases() -> None:
    # The reply's task is made but has not run yet when the exit cancels it: its chat and
    # its slot must still be let go, or the erase waits for good (seen as a rare CI timeout).
    outbox = MemoryOutbox()
    await outbox.open()
    dispatcher = Dispatcher(outbox, limit=1)
    ran: list[Job] = []

    async def run(job: Job) -> None:
        ran.append(job)

    dispatcher.run = run
    dispatcher.start()
    await dispatcher.put([send_job(7, _send("croydon"))], 1)
    async with asyncio.timeout(5):
        while (line := dispatcher._lines.get(7)) is None or line.task is None:
            await asyncio.sleep(0)
    assert ran == []  # made, not begun
    erase = erase_job(7)
    await dispatcher.put([erase], 2)
    await _ran_until(ran, 1)
    assert ran == [erase]
    await dispatcher.stop()
