"""The KPI page's time tables: a row per day, or per week when the period is long.

Six months of days is 183 rows of eight figures, more than anyone reads and most of the
page's weight; beyond two months the tables give a row per calendar week (Monday to
Sunday, cut at the period's ends), while the charts keep every day.
"""

from datetime import timedelta

from mains.desk import kpi_counts
from mains.desk import kpis as kpi
from mains.desk.views.kpi_export import per_category_rows

DAILY_ROWS_MAX = 62  # days; a longer period is tabled by week


def by_week(period: kpi_counts.Period) -> bool:
    return (period.end - period.start).days + 1 > DAILY_ROWS_MAX


def weeks(period: kpi_counts.Period) -> list[kpi_counts.Period]:
    """The calendar weeks of the period, the first and last cut at its ends."""
    found = []
    start = period.start
    while start <= period.end:
        sunday = start + timedelta(days=6 - start.weekday())
        found.append(kpi_counts.Period(start, min(sunday, period.end)))
        start = sunday + timedelta(days=1)
    return found


def week_label(week: kpi_counts.Period) -> str:
    """2026-06-01 – 06-07 (the year again only when the week crosses one)."""
    end = f"{week.end:%m-%d}" if week.end.year == week.start.year else f"{week.end:%Y-%m-%d}"
    return f"{week.start:%Y-%m-%d} – {end}"


def weekly(daily: list[dict], period: kpi_counts.Period) -> list[tuple[kpi_counts.Period, dict]]:
    """Each week with its row: the days' counts summed and the rates of those sums."""
    by_day = {row["day"]: row for row in daily}
    rows = []
    for week in weeks(period):
        days = [by_day[day] for day in week.days() if day in by_day]
        rows.append((week, {**kpi.summed(days), "label": week_label(week)}))
    return rows


def per_category_table(
    per_category: list[dict], period: kpi_counts.Period
) -> list[tuple[str, list]]:
    """(day or week, [orders of each category]) for the page's table."""
    if not by_week(period):
        return [
            (f"{day:%Y-%m-%d}", counts) for day, counts in per_category_rows(per_category, period)
        ]
    index = {day: n for n, day in enumerate(period.days())}
    table = []
    for week in weeks(period):
        positions = [index[day] for day in week.days()]
        counts = [sum(series["counts"][n] for n in positions) for series in per_category]
        table.append((week_label(week), counts))
    return table
