"""The layout stays the one the README draws: small modules, layers calling downwards only.

Like sqlite-utils' test that every command is documented, these fail when the code and
its map drift apart: a module added without a line in the README's Layout section, a
module grown past 400 lines, an import from a lower layer up to a higher one, or the
pure core pulling in Telegram or an HTTP client.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOT = ROOT / "bot"
LAYERS = ("domain", "data", "core", "session", "fronts")  # lowest first
MAX_TOP_LEVEL_MODULES = 12
MAX_LINES = 400
# Telegram and every HTTP client the project has installed: none may enter the core.
NOT_IN_CORE = ("telegram", "httpx", "httpcore", "aiohttp", "tornado", "requests", "urllib3")


def modules() -> list[Path]:
    """Every module under bot/, __init__.py included."""
    return sorted(p for p in BOT.rglob("*.py") if "__pycache__" not in p.parts)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


# -- (a) the README's Layout section is the map ---------------------------------------


def layout_lines() -> list[str]:
    """The indented block of the README's "## Layout" section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Layout\n(.*?)(?=^## |\Z)", readme, re.MULTILINE | re.DOTALL)
    assert section, 'the README has no "## Layout" section'
    return [line for line in section.group(1).splitlines() if line.startswith("    ")]


def listed_under_bot() -> dict[str, str]:
    """Path -> description for every entry of the tree under `bot/`, read by indentation."""
    listed: dict[str, str] = {}
    stack: list[tuple[int, str]] = []  # (indent, folder path) of the open folders
    for line in layout_lines():
        match = re.match(r"( *)(\S+)(.*)", line)
        assert match, line
        indent, name, description = len(match.group(1)), match.group(2), match.group(3).strip()
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = (stack[-1][1] if stack else "") + name
        if name.endswith("/"):
            stack.append((indent, path))
        if path.startswith("bot/") and path != "bot/":
            listed[path] = description
    return listed


def actual_under_bot() -> set[str]:
    found = set()
    for path in modules():
        relative = path.relative_to(ROOT).as_posix()
        if path.name == "__init__.py":
            if path.parent != BOT:
                found.add(relative.removesuffix("__init__.py"))
        else:
            found.add(relative)
    return found


def test_the_readme_layout_lists_every_module_and_package_under_bot() -> None:
    listed = listed_under_bot()
    missing = sorted(actual_under_bot() - set(listed))
    assert not missing, f"add to the README's Layout section: {missing}"


def test_the_readme_layout_lists_nothing_that_is_not_there() -> None:
    stale = sorted(set(listed_under_bot()) - actual_under_bot())
    assert not stale, f"in the README's Layout section but not in bot/: {stale}"


def test_every_entry_of_the_layout_says_what_lives_there() -> None:
    silent = sorted(path for path, description in listed_under_bot().items() if not description)
    assert not silent, f"say what lives in: {silent}"


# -- (b) small modules ------------------------------------------------------------------


def test_at_most_twelve_modules_sit_directly_in_bot() -> None:
    top = [p.name for p in BOT.glob("*.py")]
    assert len(top) <= MAX_TOP_LEVEL_MODULES, sorted(top)


@pytest.mark.parametrize("path", modules(), ids=ids(modules()))
def test_no_module_is_over_400_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines: split it by job"


# -- (c) layers call downwards only -------------------------------------------------------


def layer_of(name: str) -> int | None:
    """The rank of the layer a `bot.` module belongs to (None outside the layers)."""
    parts = name.split(".")
    if parts[0] != "bot" or len(parts) < 2 or parts[1] not in LAYERS:
        return None
    return LAYERS.index(parts[1])


def imported_names(source: str, package: str) -> list[tuple[int, str]]:
    """(line, module) for every import in `source`, inside functions too.

    `package` is the package the code sits in, for relative imports. For `from X import
    y` both X.y is given (y may be a module: `from bot.fronts import cli`); a name that
    is not a module still names its module's layer.
    """
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: up level - 1 packages from the module's own
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def package_of(path: Path) -> str:
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def upward_imports(path: Path) -> list[str]:
    own = layer_of(module_name(path))
    if own is None:
        return []  # bot/__init__.py and bot/__main__.py sit above the layers
    wrong = []
    for line, name in imported_names(path.read_text(encoding="utf-8"), package_of(path)):
        target = layer_of(name)
        if target is not None and target > own:
            wrong.append(f"{path.relative_to(ROOT)}:{line} imports {name} ({LAYERS[target]})")
    return wrong


@pytest.mark.parametrize("path", modules(), ids=ids(modules()))
def test_no_module_imports_from_a_higher_layer(path: Path) -> None:
    assert upward_imports(path) == []


def test_the_import_check_finds_imports_inside_functions_and_relative_ones() -> None:
    source = (
        "import json\n"
        "def later():\n"
        "    from bot.fronts import cli\n"
        "    from ..core import places\n"
        "    import bot.session.state\n"
    )
    names = [name for _, name in imported_names(source, "bot.data")]
    assert names == ["json", "bot.fronts.cli", "bot.core.places", "bot.session.state"]
    assert [layer_of(name) for name in names] == [None, 4, 2, 3]


# -- (d) the core is pure ---------------------------------------------------------------


def test_importing_the_core_loads_no_telegram_and_no_http_client() -> None:
    script = (
        "import importlib, json, pkgutil, sys\n"
        "import bot.core\n"
        "for info in pkgutil.walk_packages(bot.core.__path__, 'bot.core.'):\n"
        "    importlib.import_module(info.name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {NOT_IN_CORE!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
