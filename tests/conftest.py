"""Fixtures shared by the test files: a store built from the project's data/ in a temp dir."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from met_layout import article_data
from redis_server import redis_server

from bot.core.conversation import Conversation
from bot.data.store import Store, load_store
from bot.domain.paths import data_dir


@pytest.fixture(autouse=True)
def _no_user_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing a test runs may write into the user's real cache or state folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("HELPLINE_OUTBOX", raising=False)
    monkeypatch.delenv("HELPLINE_STORE", raising=False)
    monkeypatch.delenv("HELPLINE_DATA_DIR", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    # Nor into the user's state folder (a child process's environment may drop HELPLINE_*),
    # and no state chosen outside the test.
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("HELPLINE_STATE_DIR", str(state))
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    monkeypatch.delenv("HELPLINE_STATE", raising=False)
    monkeypatch.delenv("HELPLINE_STATE_SECRET", raising=False)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server for this test session (skipped without one, failed under CI).

    Tests share it: each should use its own key prefix or database, or flush it.
    """
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(scope="session")
def repo_data() -> Path:
    """The project's own data/ folder (read only: copy it before editing)."""
    return data_dir()


@pytest.fixture
def data_copy(tmp_path: Path, repo_data: Path) -> Path:
    """A copy of data/ that a test may edit."""
    return Path(shutil.copytree(repo_data, tmp_path / "data"))


@pytest.fixture
def article_copy(tmp_path: Path) -> Path:
    """A copy of data/ with the article's figures only, that a test may edit."""
    return article_data(tmp_path / "data")


@pytest.fixture(scope="session")
def article_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store of the article's figures only: the path a store takes before any import."""
    folder = tmp_path_factory.mktemp("article")
    return load_store(article_data(folder / "data"), folder / "helpline.db")


@pytest.fixture(scope="session")
def article_conversation(article_store: Store) -> Conversation:
    return Conversation(article_store)


@pytest.fixture(scope="session")
def store(repo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    return load_store(repo_data, tmp_path_factory.mktemp("store") / "helpline.db")


@pytest.fixture(scope="session")
def conversation(store: Store) -> Conversation:
    return Conversation(store)
