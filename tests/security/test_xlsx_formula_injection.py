"""Issue 10 item 9: every Excel export writes what people typed as text, never as a formula."""

import datetime as dt
import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from mains.areas.models import Community
from mains.lib.xlsx import add_sheet, new_book

EVIL = '=HYPERLINK("http://evil","x")'
STARTS = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"]
VALUES = [f"{start}1+1" for start in STARTS] + [
    EVIL,
    "=cmd|' /C calc'!A0",
    "@SUM(A1:A2)",
    "-2+3",
    "+86 138 1234 1234",
    "#N/A",
    "=",
    "\t=1+1",
]


def saved(book) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def formulas_in(content: bytes) -> list[str]:
    """The <f> elements of every sheet of an .xlsx file."""
    with zipfile.ZipFile(BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        return [f for n in sheets for f in re.findall(r"<f[ >].*?</f>", archive.read(n).decode())]


def text_cells(content: bytes) -> dict[str, tuple[str, bool]]:
    """Every text value of the file, with whether it is marked as quoted text."""
    book = load_workbook(BytesIO(content))
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None and cell.data_type == "s":
                    found[cell.value] = (cell.data_type, cell.quotePrefix)
    return found


@pytest.mark.parametrize("value", VALUES)
def test_text_that_looks_like_a_formula_is_saved_as_text_exactly_as_typed(value):
    book = new_book()
    add_sheet(book, "t", ["header"], [[value]])
    content = saved(book)
    cell = load_workbook(BytesIO(content))["t"]["A2"]
    # XML reads a carriage return as a line break: the one change any .xlsx makes.
    assert (cell.value, cell.data_type) == (value.replace("\r", "\n"), "s")
    assert formulas_in(content) == []


@pytest.mark.parametrize("value", [v for v in VALUES if v.startswith(tuple(STARTS))])
def test_text_that_a_spreadsheet_may_read_as_a_formula_is_marked_as_quoted(value):
    book = new_book()
    add_sheet(book, "t", ["header"], [[value]])
    assert load_workbook(BytesIO(saved(book)))["t"]["A2"].quotePrefix is True


def test_a_header_that_looks_like_a_formula_is_text_too():
    book = new_book()
    add_sheet(book, "t", [EVIL], [])
    content = saved(book)
    assert load_workbook(BytesIO(content))["t"]["A1"].data_type == "s"
    assert formulas_in(content) == []


def test_numbers_and_dates_stay_numbers_and_dates():
    book = new_book()
    moment = dt.datetime(2026, 11, 21, 18, 30)
    add_sheet(book, "t", ["n"], [[12, -3.5, moment, dt.date(2026, 11, 21), None, "12", "-3"]])
    row = next(load_workbook(BytesIO(saved(book)))["t"].iter_rows(min_row=2))
    assert [c.data_type for c in row[:4]] == ["n", "n", "d", "d"]
    assert [c.value for c in row[:4]] == [12, -3.5, moment, dt.datetime(2026, 11, 21)]
    assert row[4].value is None
    assert [(c.value, c.data_type) for c in row[5:]] == [("12", "s"), ("-3", "s")]


def test_a_control_character_excel_cannot_hold_does_not_break_the_export():
    book = new_book()
    add_sheet(book, "t", ["h"], [["=1\x1b+1"]])
    cell = load_workbook(BytesIO(saved(book)))["t"]["A2"]
    assert (cell.value, cell.data_type) == ("=1\ufffd+1", "s")


def test_the_access_log_export_writes_a_typed_reason_as_text(client, city, new_order):
    order = new_order()
    client.force_login(city.dispatcher)
    client.post("/desk/reveal/", {"subject": f"order:{order.pk}", "reason": EVIL, "next": "/"})
    client.force_login(city.admin)
    response = client.get("/org/access-log/export.xlsx")
    assert response.status_code == 200
    assert formulas_in(response.content) == []
    assert text_cells(response.content)[EVIL] == ("s", True)


def test_the_areas_export_writes_names_and_duties_as_text(client, city):
    Community.objects.filter(pk=city.xingguang.pk).update(name="=1+2", address="@SUM(1,2)")
    city.grid_east.name = "-1+1"
    city.grid_east.save(update_fields=["name"])
    spec = city.sam.specialist
    spec.duties = "+cmd|' /C calc'!A0"
    spec.save(update_fields=["duties"])
    client.force_login(city.admin)
    content = client.get("/areas/export.xlsx").content
    assert formulas_in(content) == []
    cells = text_cells(content)
    for typed in ("=1+2", "@SUM(1,2)", "-1+1", "+cmd|' /C calc'!A0"):
        assert cells[typed] == ("s", True), typed


def test_the_missing_boards_export_writes_names_as_text(client, city):
    Community.objects.filter(pk=city.jinxiu.pk).update(name=EVIL)
    client.force_login(city.dispatcher)
    content = client.get("/boards/missing.xlsx").content
    assert formulas_in(content) == []
    assert text_cells(content)[EVIL] == ("s", True)


def test_the_kpi_export_writes_community_names_as_text(client, city, new_order):
    Community.objects.filter(pk=city.xingguang.pk).update(name=EVIL)
    new_order()
    today = timezone.localdate().isoformat()
    client.force_login(city.manager)
    content = client.get("/desk/kpis/export.xlsx", {"start": today, "end": today}).content
    assert formulas_in(content) == []
    assert text_cells(content)[EVIL] == ("s", True)


def test_no_module_but_the_helper_writes_excel_files():
    """A new export must go through mains.lib.xlsx (the importer only reads)."""
    root = Path(__file__).resolve().parents[2] / "mains"
    allowed = {root / "lib" / "xlsx.py", root / "areas" / "workbook.py"}
    writers = [
        path
        for path in root.rglob("*.py")
        if path not in allowed and re.search(r"^\s*(from|import) openpyxl", path.read_text(), re.M)
    ]
    assert writers == []
