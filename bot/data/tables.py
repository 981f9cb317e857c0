"""Write checked rows into a new SQLite store's tables (sqlite-utils; only while building)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.data.checks import Rows
from bot.data.files import MPS_IMPORT_COLUMNS
from bot.data.store_file import SCHEMA_VERSION
from bot.domain.cells import split_list

if TYPE_CHECKING:
    import sqlite_utils


def write_tables(db: sqlite_utils.Database, rows: Rows, fingerprint: str) -> None:
    t = rows.tables
    db.table("sources").insert_all(t["sources"], pk="id")
    db.table("boroughs").insert_all(
        ({k: v for k, v in row.items() if k != "aliases"} for row in t["boroughs"]), pk="code"
    )
    db.table("borough_aliases").insert_all(
        (
            {"alias": alias, "borough_code": row["code"]}
            for row in t["boroughs"]
            for alias in split_list(row["aliases"])
        ),
        pk=("alias", "borough_code"),
        foreign_keys=[("borough_code", "boroughs", "code")],
    )
    db.table("populations").insert_all(
        t["populations"],
        pk=("borough_code", "year"),
        foreign_keys=[("borough_code", "boroughs", "code")],
    )
    offences = db.table("offences")
    offences.insert_all(
        t["offences"],
        pk=("borough_code", "period", "measure"),
        foreign_keys=[("borough_code", "boroughs", "code"), ("source_id", "sources", "id")],
    )
    offences.create_index(["measure", "period"])
    offences.create_index(["borough_code", "measure", "period_end"])
    months = db.table("months")
    months.create(
        {"borough_code": str, "month": str, "measure": str, "count": int, "import_id": str},
        pk=("borough_code", "measure", "month"),
    )
    months.insert_all(t["months"])
    imports = db.table("imports")
    imports.insert_all(t["imports"], pk="id", foreign_keys=[("id", "sources", "id")])
    if not t["imports"]:  # an empty table still exists, so readers need not ask
        imports.create({c: str for c in MPS_IMPORT_COLUMNS}, pk="id")
    _write_places(db, rows)
    findings = db.table("findings")
    findings.insert_all(t["findings"], pk="id", foreign_keys=[("source_id", "sources", "id")])
    findings.create_index(["area"])
    _write_services(db, rows)
    db.table("meta").insert_all(
        [
            {"key": "fingerprint", "value": fingerprint},
            {"key": "schema_version", "value": SCHEMA_VERSION},
            {"key": "built_at", "value": datetime.now(UTC).isoformat(timespec="seconds")},
        ],
        pk="key",
    )


def _write_places(db: sqlite_utils.Database, rows: Rows) -> None:
    places = rows.tables["places"]
    db.table("places").create(
        {"kind": str, "name": str, "outside_london": str, "ordinary_word": bool, "note": str,
         "source": str},
        pk=("kind", "name"),
    )  # fmt: skip
    db.table("places").insert_all({k: v for k, v in p.items() if k != "boroughs"} for p in places)
    place_boroughs = db.table("place_boroughs")
    place_boroughs.create(
        {"kind": str, "name": str, "borough_code": str, "position": int},
        pk=("kind", "name", "borough_code"),
        foreign_keys=[("borough_code", "boroughs", "code")],
    )
    place_boroughs.insert_all(
        {"kind": p["kind"], "name": p["name"], "borough_code": code, "position": i}
        for p in places
        for i, code in enumerate(p["boroughs"])
    )


def _write_services(db: sqlite_utils.Database, rows: Rows) -> None:
    services = rows.tables["services"]
    db.table("services").insert_all(
        (
            {k: v for k, v in row.items() if k not in {"areas", "needs", "aliases"}}
            for row in services
        ),
        pk="id",
    )
    for link, column, value_name in (
        ("service_areas", "areas", "area"),
        ("service_needs", "needs", "need"),
        ("service_aliases", "aliases", "alias"),
    ):
        table = db.table(link)
        table.insert_all(
            (
                {"service_id": row["id"], value_name: value}
                for row in services
                for value in split_list(row[column])
            ),
            pk=("service_id", value_name),
            foreign_keys=[("service_id", "services", "id")],
        )
        table.create_index([value_name])
