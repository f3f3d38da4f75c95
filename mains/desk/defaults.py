"""Default SLA calendars, holidays and categories, from Chinese water and heating practice.

Installed by a data migration; an administrator edits them afterwards in the admin.
Minutes are working minutes of the category's calendar.
"""

from datetime import date, time

ROUND_THE_CLOCK = "全天候"
WORKING_HOURS = "工作时间"
WORKING_WINDOWS = [(time(8, 30), time(12, 0)), (time(13, 30), time(17, 30))]  # lunch break
WORKING_DAY_MINUTES = 450

# (code, utility, name, priority, calendar, accept, arrive, resolve, callback, needs_visit)
CATEGORIES = [
    ("W-BURST", "water", "爆管/主管道漏水", 1, ROUND_THE_CLOCK, 5, 30, 240, 1440, True),
    ("W-NOWATER", "water", "停水/无水", 1, ROUND_THE_CLOCK, 5, 30, 240, 1440, True),
    ("W-DAMAGE", "water", "施工损坏供水设施", 1, ROUND_THE_CLOCK, 5, 30, 480, 1440, True),
    ("W-LEAK", "water", "水表或立管漏水", 2, ROUND_THE_CLOCK, 10, 60, 480, 1440, True),
    ("W-PRESSURE", "water", "水压低/水流小", 2, ROUND_THE_CLOCK, 10, 60, 1440, 1440, True),
    ("W-METER", "water", "表务报修", 3, WORKING_HOURS, 30, 450, 900, 450, True),
    ("W-RENOVATION", "water", "改造报修", 3, WORKING_HOURS, 30, 900, 2250, 450, True),
    ("W-QUALITY", "water", "水质咨询", 3, ROUND_THE_CLOCK, 30, None, 1440, 1440, False),
    ("W-BILL", "water", "水费与缴费咨询", 4, WORKING_HOURS, 60, None, 450, 450, False),
    (
        "W-COMPLAINT",
        "water",
        "服务投诉",
        3,
        WORKING_HOURS,
        60,
        None,
        3 * WORKING_DAY_MINUTES,
        WORKING_DAY_MINUTES,
        False,
    ),
    ("H-COLD", "heat", "室温不达标", 2, ROUND_THE_CLOCK, 60, 360, 1440, 1440, True),
    ("H-LEAK", "heat", "暖气漏水", 1, ROUND_THE_CLOCK, 10, 60, 480, 1440, True),
    (
        "H-STARTSTOP",
        "heat",
        "供热报停/开栓",
        3,
        WORKING_HOURS,
        60,
        3 * WORKING_DAY_MINUTES,
        3 * WORKING_DAY_MINUTES,
        WORKING_DAY_MINUTES,
        True,
    ),
    ("H-BILL", "heat", "热费咨询", 4, WORKING_HOURS, 60, None, 450, 450, False),
    (
        "H-COMPLAINT",
        "heat",
        "供热服务投诉",
        3,
        WORKING_HOURS,
        60,
        None,
        3 * WORKING_DAY_MINUTES,
        WORKING_DAY_MINUTES,
        False,
    ),
]

# The State Council's holiday arrangement for 2026 (check it against each year's notice).
# (date, is_working_day, name)
SPECIAL_DAYS_2026 = [
    *[(date(2026, 1, d), False, "元旦") for d in (1, 2, 3)],
    (date(2026, 1, 4), True, "元旦调休上班"),
    *[(date(2026, 2, d), False, "春节") for d in range(15, 24)],
    (date(2026, 2, 14), True, "春节调休上班"),
    (date(2026, 2, 28), True, "春节调休上班"),
    *[(date(2026, 4, d), False, "清明节") for d in (4, 5, 6)],
    *[(date(2026, 5, d), False, "劳动节") for d in range(1, 6)],
    (date(2026, 5, 9), True, "劳动节调休上班"),
    *[(date(2026, 6, d), False, "端午节") for d in (19, 20, 21)],
    *[(date(2026, 9, d), False, "中秋节") for d in (25, 26, 27)],
    (date(2026, 9, 20), True, "国庆节调休上班"),
    *[(date(2026, 10, d), False, "国庆节") for d in range(1, 8)],
    (date(2026, 10, 10), True, "国庆节调休上班"),
]


def install(apps) -> None:
    """Create the defaults with the models of `apps` (a migration's or the live registry)."""
    Calendar = apps.get_model("desk", "Calendar")
    WorkingWindow = apps.get_model("desk", "WorkingWindow")
    SpecialDay = apps.get_model("desk", "SpecialDay")
    Category = apps.get_model("desk", "Category")

    always, _ = Calendar.objects.get_or_create(
        name=ROUND_THE_CLOCK, defaults={"round_the_clock": True}
    )
    office, created = Calendar.objects.get_or_create(name=WORKING_HOURS)
    if created:
        for start, end in WORKING_WINDOWS:
            WorkingWindow.objects.create(calendar=office, start=start, end=end)
    for day, working, name in SPECIAL_DAYS_2026:
        SpecialDay.objects.get_or_create(
            date=day, defaults={"is_working_day": working, "name": name}
        )
    calendars = {ROUND_THE_CLOCK: always, WORKING_HOURS: office}
    for code, utility, name, prio, cal, accept, arrive, resolve, callback, visit in CATEGORIES:
        Category.objects.get_or_create(
            code=code,
            defaults=dict(
                utility=utility,
                name=name,
                priority=prio,
                calendar=calendars[cal],
                accept_minutes=accept,
                arrive_minutes=arrive,
                resolve_minutes=resolve,
                callback_minutes=callback,
                needs_visit=visit,
            ),
        )
