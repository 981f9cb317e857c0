"""What an import did, in lines for the operator (CLI output, not a bot reply)."""

from __future__ import annotations

from bot.data.met.apply import ImportResult
from bot.domain.kinds import Measure
from bot.domain.periods import financial_year_of, month_range_label


def summary(result: ImportResult, seconds: float) -> list[str]:
    """What the import did, for the operator (CLI output, not a bot reply)."""
    plan, met = result.plan, result.plan.met
    rate = met.rows_read / seconds if seconds else 0
    lines = [
        f"Imported {met.name}: {met.rows_read:,} rows in {seconds:.1f} s ({rate:,.0f} rows/s, "
        "store rebuild included)"
        + (f", refreshed {met.refresh_date}." if met.refresh_date else ", no Refresh Date.")
    ]
    if plan.already:
        lines.append(f"This file was already imported at {plan.already}: nothing changed.")
    else:
        months = met.months
        offences = met.kept(Measure.OFFENCES)
        outcomes = met.kept(Measure.POSITIVE_OUTCOMES)
        lines.append(
            f"Kept {offences:,} monthly domestic abuse offence counts"
            + (f" and {outcomes:,} positive outcome counts" if outcomes else "")
            + f" for {len(met.boroughs)} boroughs, "
            f"{month_range_label(months[0], months[-1])}."
        )
        if met.dropped:
            left = "; ".join(f"{n:,} {reason}" for reason, n in sorted(met.dropped.items()))
            lines.append(f"Left out: {left}.")
        if met.non_boroughs:
            lines.append(f"Not boroughs: {', '.join(sorted(met.non_boroughs))}.")
        whole, partial = financial_years(months)
        if whole:
            lines.append(f"Whole financial years: {whole[0]} to {whole[-1]}.")
        if partial:
            lines.append(f"Part years (marked partial): {', '.join(partial)}.")
        expected = len(months) * len(met.boroughs)
        if offences < expected:
            lines.append(
                f"{expected - offences:,} borough-months of offences are "
                "missing from the file; "
                "the years they fall in are marked partial for those boroughs."
            )
        lines.append(
            f"Months: {plan.added:,} added, {plan.corrected:,} corrected, "
            f"{plan.unchanged:,} unchanged, {plan.kept_newer:,} kept from a newer file."
        )
    if result.build is None:
        lines.append("The store was already up to date.")
    else:
        lines.append(f"Built {result.build.path}.")
    return lines


def financial_years(months: list[str]) -> tuple[list[str], list[str]]:
    """Whole and partial financial years among a file's months: (["2023-24"], ["2024-25"])."""
    by_year: dict[str, int] = {}
    for month in months:
        fy = financial_year_of(month)
        by_year[fy] = by_year.get(fy, 0) + 1
    whole = [fy[2:] for fy, n in sorted(by_year.items()) if n == 12]
    partial = [fy[2:] for fy, n in sorted(by_year.items()) if n < 12]
    return whole, partial
