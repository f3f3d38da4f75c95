"""The KPI page's tables as an Excel workbook: the comparison of each rate with the previous
period and its target, one sheet per grouping, the daily series, orders per day by category
and the top communities (figures from mains.desk.kpis, compared as the page compares them)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from mains.desk import kpi_counts
from mains.desk import kpis as kpi
from mains.desk.kpi_targets import direction_of
from mains.desk.models import KpiTarget, WorkOrder
from mains.desk.views.kpi_figures import (
    COUNT_LABELS,
    GROUP_LABELS,
    PERCENT_FORMAT,
    RATE_LABELS,
    SHEET_TITLES,
    percent,
    previous_period,
)
from mains.lib.xlsx import Workbook, add_sheet, new_book


def per_category_rows(per_category: list[dict], period: kpi_counts.Period) -> list[tuple]:
    """(day, [orders of each category on that day]) for each day of the period."""
    return [
        (day, [series["counts"][n] for series in per_category])
        for n, day in enumerate(period.days())
    ]


def _figures(row: dict) -> list:
    rates = [percent(row[name]) if row[name] is None else row[name] for name in kpi_counts.RATES]
    return [row[name] for name in kpi_counts.COUNTS] + rates


def _format_rates(book: Workbook, title: str, first_column: int) -> None:
    sheet = book[title[:31]]
    for column in sheet.iter_cols(min_col=first_column, min_row=2):
        for cell in column:
            cell.number_format = PERCENT_FORMAT


def _span(period: kpi_counts.Period) -> str:
    return f"{period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}"


def _comparison_row(name: str, now: float | None, before: float | None, target) -> list:
    """KPI, this period, previous period, change in points, target, better when, met."""
    change = "—" if now is None or before is None else round((now - before) * 100, 1)
    if target is None or now is None:
        met = "—"
    else:
        met = _("Not met") if target.missed_by(now) else _("Met")
    directions = dict(KpiTarget.Direction.choices)
    return [
        str(RATE_LABELS[name]),
        "—" if now is None else now,
        "—" if before is None else before,
        change,
        "—" if target is None else float(target.target) / 100,
        str(directions[direction_of(name, target)]),
        met,
    ]


def add_comparison(
    book: Workbook,
    scope: QuerySet[WorkOrder],
    period: kpi_counts.Period,
    total: dict,
    targets: dict,
) -> None:
    """Each rate of the period beside the previous period's and its target, as on the page."""
    previous = previous_period(period)
    before = kpi.summed(kpi.kpis_by(scope, previous, "unit"))
    title = _("Comparison")
    received = [_("Orders received"), total["received"], before["received"]]
    received.append(total["received"] - before["received"])
    add_sheet(
        book,
        title,
        [
            _("KPI"),
            _("This period (%(span)s)") % {"span": _span(period)},
            _("Previous period (%(span)s)") % {"span": _span(previous)},
            _("Change (percentage points)"),
            _("Target"),
            _("Better when"),
            _("Target met"),
        ],
        [
            *(
                _comparison_row(name, total[name], before[name], targets.get(name))
                for name in kpi_counts.RATES
            ),
            received,
        ],
    )
    sheet = book[title[:31]]
    for row in sheet.iter_rows(min_row=2, max_row=1 + len(kpi_counts.RATES)):
        for cell in (row[1], row[2], row[4]):
            cell.number_format = PERCENT_FORMAT
        row[3].number_format = "+0.0;-0.0;0.0"
    sheet.column_dimensions["A"].width = 22
    for column in "BC":
        sheet.column_dimensions[column].width = 30


def kpi_workbook(
    scope: QuerySet[WorkOrder], period: kpi_counts.Period, targets: dict[str, KpiTarget]
) -> Workbook:
    """The comparison, one sheet per grouping, the daily series, orders per day by category,
    top communities."""
    book = new_book()
    figures_header = [str(COUNT_LABELS[name]) for name in kpi_counts.COUNTS] + [
        str(RATE_LABELS[name]) for name in kpi_counts.RATES
    ]
    first_rate_column = 2 + len(kpi_counts.COUNTS)
    for grouping, title in SHEET_TITLES.items():
        rows = kpi.kpis_by(scope, period, grouping)
        add_sheet(
            book,
            str(title),
            [str(GROUP_LABELS[grouping]), *figures_header],
            [
                *([row["label"] or _("Not assigned"), *_figures(row)] for row in rows),
                [_("Total"), *_figures(kpi.summed(rows))],
            ],
        )
        _format_rates(book, str(title), first_rate_column)
    daily = kpi.kpis_by_day(scope, period)
    total = kpi.summed(daily)
    add_comparison(book, scope, period, total, targets)
    book.move_sheet(book[_("Comparison")[:31]], offset=-len(SHEET_TITLES))
    add_sheet(
        book,
        _("Daily"),
        [_("Date"), *figures_header],
        [
            *([row["day"], *_figures(row)] for row in daily),
            [_("Total"), *_figures(total)],
        ],
    )
    _format_rates(book, _("Daily"), first_rate_column)
    per_category = kpi.orders_per_day_by_category(scope, period)
    add_sheet(
        book,
        _("Orders per day by category"),
        [_("Date"), *[s["category"] for s in per_category]],
        [[day, *counts] for day, counts in per_category_rows(per_category, period)],
    )
    received = total["received"]
    add_sheet(
        book,
        _("Top communities"),
        [_("Rank"), _("Community"), _("Orders"), _("Share of orders")],
        [
            [rank, c["community"], c["received"], c["received"] / received if received else "—"]
            for rank, c in enumerate(kpi.top_communities(scope, period), start=1)
        ],
    )
    _format_rates(book, _("Top communities"), 4)
    for name in (_("Daily"), _("Orders per day by category")):
        for cell in book[name[:31]]["A"][1:]:
            cell.number_format = "yyyy-mm-dd"
    return book
