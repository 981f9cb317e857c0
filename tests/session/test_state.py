"""Per-chat state: ids kept in order for 48 hours at most, the discreet flag, nothing else."""

from __future__ import annotations

import pickle

import pytest

from bot.domain.models import Context, IntentKind
from bot.session.state import DELETE_WINDOW, InMemoryChatState

HOUR = 3600.0


class Clock:
    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def state(clock: Clock) -> InMemoryChatState:
    return InMemoryChatState(clock=clock)


async def test_ids_are_kept_per_chat_in_the_order_they_passed(state: InMemoryChatState) -> None:
    for message_id in (907, 12, 455, 12):  # not consecutive, not sorted, one repeated
        await state.remember(1, message_id)
    await state.remember(2, 5)
    assert await state.recent(1) == [907, 12, 455]
    assert await state.recent(2) == [5]
    assert await state.recent(3) == []


async def test_ids_are_forgotten_after_48_hours(state: InMemoryChatState, clock: Clock) -> None:
    await state.remember(1, 10)
    clock.now += 47 * HOUR
    await state.remember(1, 11)
    assert await state.recent(1) == [10, 11]
    clock.now += 1 * HOUR  # 10 is now 48 hours old: Telegram would refuse to delete it
    assert await state.recent(1) == [11]
    clock.now += 48 * HOUR
    assert await state.recent(1) == []
    assert state.size() == (0, 0)


async def test_a_message_already_too_old_to_delete_is_not_recorded(
    state: InMemoryChatState, clock: Clock
) -> None:
    await state.remember(1, 10, sent_at=clock.now - DELETE_WINDOW - 1)
    await state.remember(1, 11, sent_at=clock.now - 60)
    await state.remember(1, 12, sent_at=clock.now + 999)  # a clock ahead of ours: taken as now
    assert await state.recent(1) == [11, 12]


async def test_idle_chats_are_swept_when_others_are_active(
    state: InMemoryChatState, clock: Clock
) -> None:
    await state.remember(1, 10)
    clock.now += DELETE_WINDOW + 1
    await state.remember(2, 20)  # only chat 2 is touched
    assert state.size() == (1, 1)


async def test_forget_drops_only_the_given_ids(state: InMemoryChatState) -> None:
    for message_id in (1, 2, 3):
        await state.remember(9, message_id)
    await state.forget(9, [1, 3, 404])
    assert await state.recent(9) == [2]
    await state.forget(9, [2])
    assert state.size() == (0, 0)
    await state.forget(77, [1])  # an unknown chat is fine


async def test_a_chat_keeps_at_most_its_newest_ids(clock: Clock) -> None:
    state = InMemoryChatState(clock=clock, max_ids=3)
    for message_id in range(1, 6):
        await state.remember(1, message_id)
    assert await state.recent(1) == [3, 4, 5]


async def test_the_discreet_flag_is_per_chat_and_outlives_the_ids(
    state: InMemoryChatState, clock: Clock
) -> None:
    assert not await state.discreet(1)
    await state.set_discreet(1, True)
    await state.remember(1, 10)
    assert await state.discreet(1) and not await state.discreet(2)
    clock.now += DELETE_WINDOW * 3
    assert await state.discreet(1)  # a preference, not a message: kept until turned off
    assert await state.recent(1) == []
    await state.set_discreet(1, False)
    assert not await state.discreet(1)
    assert state.size() == (0, 0)


async def test_turning_discreet_off_in_an_unknown_chat_keeps_nothing(
    state: InMemoryChatState,
) -> None:
    await state.set_discreet(5, False)
    assert state.size() == (0, 0)


async def test_chats_are_held_under_a_salted_hash_never_their_id(
    state: InMemoryChatState,
) -> None:
    chat_id = 723_456_789_012
    await state.remember(chat_id, 31337)
    await state.set_discreet(chat_id, True)
    dump = pickle.dumps(state._chats)  # everything the state holds
    assert str(chat_id).encode() not in dump
    assert chat_id.to_bytes(8, "little") not in dump and chat_id.to_bytes(8, "big") not in dump
    other = InMemoryChatState()
    await other.remember(chat_id, 31337)
    assert set(other._chats) != set(state._chats)  # a different salt per process


async def test_a_chat_knows_when_ids_aged_out_unerased(
    state: InMemoryChatState, clock: Clock
) -> None:
    await state.remember(1, 10)
    clock.now += 47 * HOUR
    await state.remember(1, 11)
    assert not await state.lost_some(1)
    clock.now += 2 * HOUR  # 10 is too old to delete now; 11 still can be
    assert await state.recent(1) == [11]
    assert await state.lost_some(1)  # so a quick exit cannot promise everything went
    await state.forget(1, [11])
    assert not await state.lost_some(1)  # after an exit, a new conversation starts clean


async def test_a_chat_over_the_cap_knows_it_lost_ids(clock: Clock) -> None:
    state = InMemoryChatState(clock=clock, max_ids=3)
    for message_id in range(5):
        await state.remember(1, message_id)
    assert await state.recent(1) == [2, 3, 4]
    assert await state.lost_some(1)


async def test_the_context_is_kept_per_chat_and_forgotten_after_48_hours(
    state: InMemoryChatState, clock: Clock
) -> None:
    context = Context(IntentKind.FIGURES, ("E09000008",), year=2024, financial_year=True)
    await state.set_context(1, context)
    assert await state.context(1) == context
    assert await state.context(2) is None
    assert state.size() == (1, 0)
    clock.now += 47 * HOUR
    assert await state.context(1) == context
    clock.now += 1 * HOUR
    assert await state.context(1) is None
    assert state.size() == (0, 0)


async def test_forgetting_the_context_leaves_no_chat_behind(state: InMemoryChatState) -> None:
    await state.set_context(1, Context(IntentKind.HELP, need="friend"))
    await state.set_context(1, None)
    assert await state.context(1) is None
    assert state.size() == (0, 0)


async def test_language_is_a_code_kept_48_hours(state: InMemoryChatState, clock: Clock) -> None:
    await state.set_language(1, "pl")
    assert await state.language(1) == "pl"
    assert await state.language(2) is None
    clock.now += DELETE_WINDOW
    assert await state.language(1) is None


async def test_an_update_delivered_again_is_recognised(
    state: InMemoryChatState, clock: Clock
) -> None:
    assert await state.first_delivery(10)
    assert not await state.first_delivery(10)
    clock.now += DELETE_WINDOW
    assert await state.first_delivery(10)
