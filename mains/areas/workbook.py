"""The areas workbook: three sheets the way utilities keep them, and reading its cells.

One .xlsx with the sheets 小区 (communities), 网格 (grids) and 分配 (assignments). Headers
read "中文 (english)"; the reader also accepts the Chinese or the English part alone, in any
column order. Every column of a sheet must be present; extra columns are ignored.
"""

import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from mains.lib.text import clean_identifier, clean_line, clean_prose
from mains.org.models import Utility


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    kind: str = "line"  # how its text is cleaned: line, prose or code (mains.lib.text)

    @property
    def label(self) -> str:
        return f"{self.zh} ({self.en})"


@dataclass(frozen=True)
class SheetFormat:
    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]

    @property
    def title(self) -> str:
        return f"{self.zh} ({self.en})"


COMMUNITIES = SheetFormat(
    "communities",
    "小区",
    "communities",
    (
        Column("name", "小区名称", "name"),
        Column("address", "地址", "address"),
        Column("latitude", "纬度", "latitude"),
        Column("longitude", "经度", "longitude"),
        Column("households", "户数", "households"),
        Column("utility", "行业", "utility"),
        Column("grid", "网格编码", "grid code", "code"),
    ),
)
GRIDS = SheetFormat(
    "grids",
    "网格",
    "grids",
    (
        Column("code", "网格编码", "code", "code"),
        Column("name", "网格名称", "name"),
        Column("unit", "责任单位", "unit"),
        Column("specialist_name", "专员姓名", "specialist name"),
        Column("specialist_phone", "专员电话", "specialist phone"),
        Column("specialist_login", "专员登录名", "specialist user name", "code"),
        Column("deputy_login", "副专员登录名", "deputy user name", "code"),
        Column("duties", "工作职责", "duties", "prose"),
        Column("service_content", "服务内容", "service content", "prose"),
    ),
)
ASSIGNMENTS = SheetFormat(
    "assignments",
    "分配",
    "assignments",
    (
        Column("grid", "网格编码", "grid code", "code"),
        Column("specialist_login", "专员登录名", "specialist user name", "code"),
        Column("deputy_login", "副专员登录名", "deputy user name", "code"),
        Column("started_at", "开始时间", "from"),
        Column("ended_at", "结束时间", "until"),
    ),
)
SHEETS = (COMMUNITIES, GRIDS, ASSIGNMENTS)

UTILITY_WORDS = {
    "供水": Utility.WATER,
    "水": Utility.WATER,
    "water": Utility.WATER,
    "供热": Utility.HEAT,
    "热": Utility.HEAT,
    "heat": Utility.HEAT,
}
UTILITY_LABELS = {Utility.WATER: "供水", Utility.HEAT: "供热"}


class CellError(ValueError):
    """A cell that cannot be read; the message says why."""


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None  # the spreadsheet's own row number; None for the whole sheet or file
    message: str


@dataclass
class Row:
    number: int
    cells: dict[str, Any]


@dataclass
class ReadBook:
    rows: dict[str, list[Row]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    def count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def _normal(text: Any) -> str:
    if text is None:
        return ""
    return str(text).replace("（", "(").replace("）", ")").replace(" ", "").strip().lower()


_CLEAN = {"line": clean_line, "prose": clean_prose, "code": clean_identifier}


def _cleaned(value: Any, kind: str) -> Any:
    """A text cell as people's text is cleaned everywhere; numbers and dates as they are."""
    return _CLEAN[kind](value) if isinstance(value, str) else value


def _names(zh: str, en: str) -> set[str]:
    return {_normal(f"{zh} ({en})"), _normal(zh), _normal(en)}


def _find_sheet(book, form: SheetFormat):
    wanted = _names(form.zh, form.en)
    for sheet in book.worksheets:
        if _normal(sheet.title) in wanted:
            return sheet
    return None


def _is_blank(values: tuple) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _read_sheet(sheet, form: SheetFormat, book: ReadBook) -> None:
    lines = sheet.iter_rows(values_only=True)
    header = next(lines, None) or ()
    positions: dict[str, int] = {}
    for index, text in enumerate(header):
        for column in form.columns:
            if column.key not in positions and _normal(text) in _names(column.zh, column.en):
                positions[column.key] = index
    missing = [c.label for c in form.columns if c.key not in positions]
    if missing:
        message = _("The header row lacks the columns: %(columns)s.") % {
            "columns": ", ".join(missing)
        }
        book.errors.append(RowError(form.title, 1, message))
        return
    rows = book.rows.setdefault(form.key, [])
    for number, values in enumerate(lines, start=2):
        if values is None or _is_blank(values):
            continue
        kinds = {column.key: column.kind for column in form.columns}
        cells = {
            key: _cleaned(values[index], kinds[key]) if index < len(values) else None
            for key, index in positions.items()
        }
        rows.append(Row(number, cells))


def read_book(source: IO[bytes] | str) -> ReadBook:
    """Every data row of the three sheets, or the errors that stop reading the file."""
    book = ReadBook()
    not_xlsx = RowError("", None, _("This is not an Excel workbook (.xlsx); save it as .xlsx."))
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        book.errors.append(not_xlsx)
        return book
    try:
        for form in SHEETS:
            sheet = _find_sheet(workbook, form)
            if sheet is None:
                message = _("The sheet “%(sheet)s” is missing.") % {"sheet": form.title}
                book.errors.append(RowError(form.title, None, message))
                continue
            _read_sheet(sheet, form, book)
    except Exception:  # a damaged archive can fail anywhere while reading rows
        return ReadBook(errors=[not_xlsx])
    finally:
        workbook.close()
    return book


# Cells -----------------------------------------------------------------------------------


def text(value: Any) -> str:
    """A cell as text; whole numbers lose their '.0' (phones and codes typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def whole_number(value: Any) -> int | None:
    if value is None or text(value) == "":
        return None
    try:
        number = Decimal(text(value))
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value}) from None
    if number != number.to_integral_value():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    return int(number)


def coordinate(value: Any) -> Decimal | None:
    if value is None or text(value) == "":
        return None
    try:
        number = Decimal(text(value).replace("°", ""))
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not a number.") % {"value": value}) from None
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    return number.quantize(Decimal("0.000001"))


def utility(value: Any) -> str:
    word = text(value).lower()
    if word in UTILITY_WORDS:
        return UTILITY_WORDS[word]
    raise CellError(
        _("“%(value)s” is not a utility; write 供水 (water) or 供热 (heat).") % {"value": value}
    )


def moment(value: Any) -> dt.datetime | None:
    """A date or date-time cell as an aware datetime in the site's time zone, to the second."""
    if value is None or text(value) == "":
        return None
    if isinstance(value, dt.datetime):
        naive = value
    elif isinstance(value, dt.date):
        naive = dt.datetime.combine(value, dt.time())
    else:
        try:
            naive = dt.datetime.fromisoformat(text(value).replace("/", "-"))
        except ValueError:
            raise CellError(
                _("“%(value)s” is not a date; write 2024-05-01 or 2024-05-01 08:30.")
                % {"value": value}
            ) from None
    if naive.tzinfo is not None:
        naive = timezone.make_naive(naive)
    naive = (naive + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
    return timezone.make_aware(naive)


def excel_moment(value: dt.datetime | None) -> dt.datetime | None:
    """An aware datetime as the naive local time Excel keeps, to the second."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def iter_errors_sorted(errors: list[RowError]) -> Iterator[RowError]:
    order = {form.title: index for index, form in enumerate(SHEETS)}
    yield from sorted(errors, key=lambda e: (order.get(e.sheet, -1), e.row or 0))
