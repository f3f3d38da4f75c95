"""Excel downloads: rows in, an .xlsx HTTP response out; every cell written by `write_row`.

Text is always written as a text cell, exactly as it was typed: openpyxl would make
`=HYPERLINK(…)` a live formula and `#N/A` an error, and a spreadsheet program may turn
text that starts with `+ - @`, a tab or CR into a formula when someone edits the cell,
so those cells are also marked as quoted text (Excel's leading apostrophe, which is not
part of the value). Numbers, dates and times stay numbers, dates and times. (A carriage
return comes back as a line break: XML reads it so.)
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["XLSX_TYPE", "Workbook", "add_sheet", "new_book", "write_row", "xlsx_response"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a spreadsheet program may read as the start of a formula (ASCII and full-width).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_KEPT_TYPES = (int, float, Decimal, dt.datetime, dt.date, dt.time, dt.timedelta)
REPLACEMENT = "\ufffd"


def _as_text(value) -> str:
    """The value as text; a character XML cannot hold (a control character) is shown as �."""
    return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, str(value))


def text_cell(sheet: Worksheet, value) -> Cell:
    """A cell holding `value` as text: never a formula, an error code or a number."""
    cell = Cell(sheet)
    text = _as_text(value)
    cell.value = text  # openpyxl guesses a formula or an error code from the text…
    cell.data_type = "s"  # …and is told it is text
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def _cell(sheet: Worksheet, value):
    if value is None or isinstance(value, bool) or isinstance(value, _KEPT_TYPES):
        return value
    return text_cell(sheet, value)


def write_row(sheet: Worksheet, values: Iterable) -> None:
    """Append one row: text as text cells, numbers and dates as they are."""
    sheet.append([_cell(sheet, value) for value in values])


def add_sheet(book: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    sheet = book.create_sheet(title=str(title)[:31])
    write_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        write_row(sheet, row)
    for index, _h in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    sheet.freeze_panes = "A2"


def new_book() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    return book


def xlsx_response(book: Workbook, filename: str) -> HttpResponse:
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
