"""Exporting communities, grids and assignments as the workbook the importer reads back."""

from mains.areas import workbook as wb
from mains.areas.models import Community, Grid, GridAssignment
from mains.lib.xlsx import Workbook, add_sheet, new_book


def _login(specialist) -> str:
    return specialist.user.username if specialist else ""


def _community_rows():
    found = Community.objects.select_related("grid").order_by("name")
    for c in found.iterator(chunk_size=2000):
        yield [
            c.name,
            c.address,
            float(c.latitude) if c.latitude is not None else None,
            float(c.longitude) if c.longitude is not None else None,
            c.households,
            wb.UTILITY_LABELS.get(c.utility, c.utility),
            c.grid.code if c.grid else "",
        ]


def _grid_rows():
    found = Grid.objects.select_related("unit", "specialist__user", "deputy__user")
    for g in found.order_by("code"):
        spec = g.specialist
        yield [
            g.code,
            g.name,
            g.unit.name,
            spec.name if spec else "",
            spec.phone if spec else "",
            _login(spec),
            _login(g.deputy),
            spec.duties if spec else "",
            spec.service_content if spec else "",
        ]


def _assignment_rows():
    found = GridAssignment.objects.select_related("grid", "specialist__user", "deputy__user")
    for a in found.order_by("grid__code", "started_at"):
        yield [
            a.grid.code,
            _login(a.specialist),
            _login(a.deputy),
            wb.excel_moment(a.started_at),
            wb.excel_moment(a.ended_at),
        ]


def export_book() -> Workbook:
    book = new_book()
    rows = {
        wb.COMMUNITIES.key: _community_rows(),
        wb.GRIDS.key: _grid_rows(),
        wb.ASSIGNMENTS.key: _assignment_rows(),
    }
    for form in wb.SHEETS:
        add_sheet(book, form.title, [c.label for c in form.columns], rows[form.key])
    for column in ("D", "E"):
        for cell in book[wb.ASSIGNMENTS.title][column][1:]:
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
    return book
