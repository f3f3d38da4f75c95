"""Checking every row of an areas workbook before anything is written.

The checks turn rows into plans (plain values, units resolved) and name every bad row with
its sheet, row number and reason. Nothing here writes to the database.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from mains.areas import workbook as wb
from mains.areas.import_plans import CommunityPlan, GridPlan, HistoryPlan, Plan, SpecialistPlan
from mains.areas.models import Grid, Specialist
from mains.lib.phones import is_valid_phone, normalise_phone
from mains.org.models import Unit, User
from mains.org.roles import Role

MAX_HOUSEHOLDS = 2_147_483_647


class RowCheck:
    """Reads the cells of one row, noting each problem against the row."""

    def __init__(self, plan: Plan, form: wb.SheetFormat, row: wb.Row) -> None:
        self.plan, self.form, self.row = plan, form, row
        self.ok = True

    def fail(self, key: str | None, message: str) -> None:
        self.ok = False
        if key is not None:
            label = next(c.label for c in self.form.columns if c.key == key)
            message = f"{label}: {message}"
        self.plan.errors.append(wb.RowError(self.form.title, self.row.number, message))

    def text(self, key: str, max_length: int, required: bool = False) -> str:
        value = wb.text(self.row.cells[key])
        if required and not value:
            self.fail(key, _("this cell is required."))
        elif len(value) > max_length:
            self.fail(key, _("longer than %(n)d characters.") % {"n": max_length})
        return value

    def parse(self, key: str, reader: Callable[[Any], Any]) -> Any:
        try:
            return reader(self.row.cells[key])
        except wb.CellError as error:
            self.fail(key, str(error))
            return None


def check_book(book: wb.ReadBook) -> Plan:
    plan = Plan(errors=list(book.errors))
    grid_rows = book.rows.get(wb.GRIDS.key, [])
    people = grid_rows + book.rows.get(wb.ASSIGNMENTS.key, [])
    logins = {wb.text(r.cells[k]) for r in people for k in ("specialist_login", "deputy_login")}
    known = Known(
        units={u.name: u for u in Unit.objects.all()},
        grid_codes=set(Grid.objects.values_list("code", flat=True)),
        specialist_logins=set(
            Specialist.objects.filter(user__username__in=logins).values_list(
                "user__username", flat=True
            )
        ),
        user_roles=dict(User.objects.filter(username__in=logins).values_list("username", "role")),
    )
    codes: dict[str, int] = {}
    for row in grid_rows:
        _check_grid(plan, row, known, codes)
    # Codes and log-ins of bad grid rows count as known, so one mistake is reported once.
    known.grid_codes |= {wb.text(r.cells["code"]) for r in grid_rows}
    known.specialist_logins |= {wb.text(r.cells["specialist_login"]) for r in grid_rows}
    for grid in plan.grids:
        if grid.deputy_login and grid.deputy_login not in known.specialist_logins:
            message = _("no grid specialist has the user name “%(login)s”.")
            row = wb.Row(grid.row, {})
            RowCheck(plan, wb.GRIDS, row).fail(
                "deputy_login", message % {"login": grid.deputy_login}
            )
    names: dict[str, int] = {}
    for row in book.rows.get(wb.COMMUNITIES.key, []):
        _check_community(plan, row, known, names)
    open_rows: dict[str, int] = {}
    seen: dict[tuple, int] = {}
    for row in book.rows.get(wb.ASSIGNMENTS.key, []):
        _check_assignment(plan, row, known, open_rows, seen)
    return plan


@dataclass
class Known:
    units: dict[str, Unit]
    grid_codes: set[str]
    specialist_logins: set[str]
    user_roles: dict[str, str]


def _check_login(check: RowCheck, key: str) -> str:
    login = check.text(key, 150)
    if login:
        try:
            UnicodeUsernameValidator()(login)
        except ValidationError:
            check.fail(key, _("“%(login)s” is not a valid user name.") % {"login": login})
    return login


def _check_grid(plan: Plan, row: wb.Row, known: Known, codes: dict[str, int]) -> None:
    check = RowCheck(plan, wb.GRIDS, row)
    code = check.text("code", 30, required=True)
    if code in codes:
        message = _("the grid %(code)s is already on row %(row)d.")
        check.fail("code", message % {"code": code, "row": codes[code]})
    elif code:
        codes[code] = row.number
    name = check.text("name", 100, required=True)
    unit_name = check.text("unit", 100, required=True)
    unit = known.units.get(unit_name)
    if unit_name and unit is None:
        check.fail("unit", _("no unit is named “%(unit)s”.") % {"unit": unit_name})
    login = _check_login(check, "specialist_login")
    deputy = _check_login(check, "deputy_login")
    spec_name = check.text("specialist_name", 50)
    raw_phone = check.text("specialist_phone", 30)
    duties = wb.text(row.cells["duties"])
    service = wb.text(row.cells["service_content"])
    phone = normalise_phone(raw_phone)
    if login or spec_name or raw_phone:
        for key, value in (
            ("specialist_login", login),
            ("specialist_name", spec_name),
            ("specialist_phone", raw_phone),
        ):
            if not value:
                check.fail(key, _("this cell is required with a specialist."))
        if raw_phone and not is_valid_phone(phone):
            check.fail(
                "specialist_phone",
                _("“%(phone)s” is not a phone number (1xxxxxxxxxx or 0xxx-xxxxxxx).")
                % {"phone": raw_phone},
            )
    if deputy and not login:
        check.fail("deputy_login", _("a deputy needs a specialist."))
    if deputy and deputy == login:
        check.fail("deputy_login", _("the deputy cannot be the specialist."))
    role = known.user_roles.get(login)
    if login and role is not None and role != Role.SPECIALIST:
        message = _("the user “%(login)s” exists and is not a grid specialist (%(role)s).")
        check.fail("specialist_login", message % {"login": login, "role": Role(role).label})
    if login and check.ok and unit is not None:
        spec = SpecialistPlan(row.number, login, spec_name, phone, duties, service, unit)
        earlier = plan.specialists.get(login)
        if earlier is None:
            plan.specialists[login] = spec
        elif earlier.details() != spec.details():
            message = _("the specialist “%(login)s” has other details on row %(row)d.")
            check.fail("specialist_login", message % {"login": login, "row": earlier.row})
    if check.ok and unit is not None:
        plan.grids.append(GridPlan(row.number, code, name, unit, login, deputy))


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _check_coordinates(check: RowCheck) -> tuple[Decimal | None, Decimal | None]:
    errors_before = len(check.plan.errors)
    latitude = check.parse("latitude", wb.coordinate)
    longitude = check.parse("longitude", wb.coordinate)
    if len(check.plan.errors) > errors_before:
        return None, None
    if (latitude is None) != (longitude is None):
        key = "latitude" if latitude is None else "longitude"
        check.fail(key, _("give both latitude and longitude, or neither."))
    elif latitude is not None and longitude is not None:
        if abs(latitude) > 90 and abs(longitude) <= 90:
            check.fail(
                "latitude",
                _("%(value)s is out of range; latitude and longitude look swapped.")
                % {"value": _plain(latitude)},
            )
        elif abs(latitude) > 90:
            check.fail(
                "latitude", _("%(value)s is not between -90 and 90.") % {"value": _plain(latitude)}
            )
        elif abs(longitude) > 180:
            check.fail(
                "longitude",
                _("%(value)s is not between -180 and 180.") % {"value": _plain(longitude)},
            )
    return latitude, longitude


def _check_community(plan: Plan, row: wb.Row, known: Known, names: dict[str, int]) -> None:
    check = RowCheck(plan, wb.COMMUNITIES, row)
    name = check.text("name", 100, required=True)
    if name in names:
        check.fail(
            "name", _("“%(name)s” is already on row %(row)d.") % {"name": name, "row": names[name]}
        )
    elif name:
        names[name] = row.number
    address = check.text("address", 200, required=True)
    latitude, longitude = _check_coordinates(check)
    households = check.parse("households", wb.whole_number)
    if households is not None and households < 0:
        check.fail("households", _("%(value)d is negative.") % {"value": households})
    elif households is not None and households > MAX_HOUSEHOLDS:
        check.fail("households", _("%(value)d is too large.") % {"value": households})
    utility = None
    if not wb.text(row.cells["utility"]):
        check.fail("utility", _("this cell is required."))
    else:
        utility = check.parse("utility", wb.utility)
    grid_code = check.text("grid", 30)
    if grid_code and grid_code not in known.grid_codes:
        check.fail("grid", _("no grid has the code “%(code)s”.") % {"code": grid_code})
    if check.ok and utility is not None:
        plan.communities.append(
            CommunityPlan(
                row.number, name, address, latitude, longitude, households or 0, utility, grid_code
            )
        )


def _check_assignment(
    plan: Plan, row: wb.Row, known: Known, open_rows: dict[str, int], seen: dict[tuple, int]
) -> None:
    check = RowCheck(plan, wb.ASSIGNMENTS, row)
    code = check.text("grid", 30, required=True)
    if code and code not in known.grid_codes:
        check.fail("grid", _("no grid has the code “%(code)s”.") % {"code": code})
    unknown = _("no grid specialist has the user name “%(login)s”.")
    login = check.text("specialist_login", 150, required=True)
    if login and login not in known.specialist_logins:
        check.fail("specialist_login", unknown % {"login": login})
    deputy = check.text("deputy_login", 150)
    if deputy and deputy not in known.specialist_logins:
        check.fail("deputy_login", unknown % {"login": deputy})
    started = check.parse("started_at", wb.moment)
    ended = check.parse("ended_at", wb.moment)
    now = timezone.now() + dt.timedelta(minutes=1)  # leeway for clocks a little apart
    if started is None and wb.text(row.cells["started_at"]) == "":
        check.fail("started_at", _("this cell is required."))
    for key, moment in (("started_at", started), ("ended_at", ended)):
        if moment is not None and moment > now:
            check.fail(key, _("this date is in the future."))
    if started and ended and ended <= started:
        check.fail("ended_at", _("the period ends before it starts."))
    if ended is None and code and check.ok:
        if code in open_rows:
            message = _("the grid %(code)s already has an open period on row %(row)d.")
            check.fail("ended_at", message % {"code": code, "row": open_rows[code]})
        open_rows[code] = row.number
    period = (code, login, started)
    if check.ok and period in seen:
        message = _("the same period is already on row %(row)d.")
        check.fail(None, message % {"row": seen[period]})
    if check.ok and started is not None:
        seen[period] = row.number
        plan.history.append(HistoryPlan(row.number, code, login, deputy, started, ended))
