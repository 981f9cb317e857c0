"""Fixtures for the core's tests."""

from __future__ import annotations

import pytest

from bot.core.conversation import Conversation
from bot.core.understand import Understander


@pytest.fixture(scope="module")
def understander(conversation: Conversation) -> Understander:
    """The Understander the core answers with, over the shipped data."""
    return conversation.understander
