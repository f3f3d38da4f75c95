"""Load SLA calendars from the database into `CalendarSpec`s."""

from mains.desk.models import Calendar, SpecialDay
from mains.desk.sla import CalendarSpec


def special_days() -> dict:
    return dict(SpecialDay.objects.values_list("date", "is_working_day"))


def spec_for(calendar: Calendar, days: dict | None = None) -> CalendarSpec:
    if calendar.round_the_clock:
        return CalendarSpec(round_the_clock=True)
    windows = tuple((w.start, w.end) for w in calendar.windows.all())
    return CalendarSpec(
        round_the_clock=False,
        windows=windows,
        special_days=days if days is not None else special_days(),
    )
