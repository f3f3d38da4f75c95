"""Workbooks for the import tests, written the way a utility would fill them in."""

from io import BytesIO

from openpyxl import Workbook, load_workbook

from mains.areas import workbook as wb
from mains.areas.exports import export_book


def make_book(communities=(), grids=(), assignments=(), leave_out=()) -> BytesIO:
    """Rows are dicts keyed by column key; missing keys are blank cells."""
    book = Workbook()
    book.remove(book.active)
    rows = {"communities": communities, "grids": grids, "assignments": assignments}
    for form in wb.SHEETS:
        if form.key in leave_out:
            continue
        sheet = book.create_sheet(form.title)
        sheet.append([c.label for c in form.columns])
        for row in rows[form.key]:
            sheet.append([row.get(c.key) for c in form.columns])
    return saved(book)


def saved(book: Workbook) -> BytesIO:
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "areas.xlsx"
    return buffer


def exported() -> Workbook:
    """The current data as exported, opened for editing."""
    return load_workbook(saved(export_book()))


def community(name, grid="E01", **cells):
    return {
        "name": name,
        "address": f"{name}路1号",
        "households": 300,
        "utility": "供水",
        "grid": grid,
        **cells,
    }


def grid(code, unit, login="", name="", phone="", deputy="", **cells):
    return {
        "code": code,
        "name": f"{code}网格",
        "unit": unit,
        "specialist_login": login,
        "specialist_name": name,
        "specialist_phone": phone,
        "deputy_login": deputy,
        **cells,
    }
