"""The Met's spellings of boroughs -> our GSS codes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.data.met.names import NOT_BOROUGHS
from bot.data.met.parsing import plain
from bot.domain.cells import split_list
from bot.domain.kinds import MET_POLICE

# What BoroughNames.code gives for a row that is not a Met borough, besides a GSS code.
NON_BOROUGH = ""  # one of the Met's own units (aviation security, "Other / NK")
CITY = "-city"  # the City of London, policed by the City of London Police


class BoroughNames:
    """The Met's spellings of boroughs -> our GSS codes ('&' read as 'and')."""

    def __init__(self, boroughs: Iterable[dict[str, Any]]):
        self.by_name: dict[str, str] = {}
        self.codes: dict[str, str] = {}
        self.names: dict[str, str] = {}
        for row in boroughs:
            code = row["code"] if row["police_force"] == MET_POLICE else CITY
            self.codes[row["code"]] = code
            self.names[row["code"]] = row["name"]
            for name in (row["name"], *split_list(row.get("aliases", ""))):
                self.by_name.setdefault(plain(name), code)

    def code(self, name: str, area_code: str = "") -> str | tuple[str]:
        """A borough code, NON_BOROUGH or CITY; or (why not,) when the row is not usable.

        The name decides: an Area code only confirms it, so a typo is refused, not guessed.
        """
        plain_name, area_code = plain(name), area_code.strip()
        by_code = self.codes.get(area_code)
        if plain_name in self.by_name:
            code = self.by_name[plain_name]
            if by_code is not None and by_code != code and code != CITY:
                return (
                    f"Borough_SNT {name!r} but Area code {area_code} is {self.names[area_code]}",
                )
            return code
        if NOT_BOROUGHS.match(plain_name):
            return NON_BOROUGH
        hint = f" (its Area code {area_code} is {self.names[area_code]})" if by_code else ""
        return (f"unknown borough {name!r}{hint}",)
