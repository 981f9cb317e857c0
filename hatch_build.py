"""Build hook: compile the translation catalogs (responses/locale/*/LC_MESSAGES/*.po) to .mo.

Runs on every install and build of the project (`pip install -e .`, a wheel), with Babel,
so the running bot reads compiled catalogs with the standard library's gettext and never
imports Babel (about 4 MB). A .po newer than its .mo is compiled at load instead
(bot/core/languages.py), so an edited translation is never silently ignored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def compile_catalogs(locale: Path) -> list[Path]:
    written = []
    for po in sorted(locale.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo)
    return written


class CompileCatalogs(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        # Compiled in place: an editable install reads the checkout's responses/, and a
        # wheel bundles responses/ whole (pyproject.toml, force-include), .mo files with it.
        compile_catalogs(Path(self.root) / "responses" / "locale")
