"""Build the demo city (or keep the one there is): organisation, grids, history, SLA clock."""

import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from mains.areas.models import Community, Grid, GridAssignment, Specialist
from mains.boards.models import Board, BoardBatch
from mains.care.models import Resident, Visit
from mains.demo.boards import BoardStats, build_boards
from mains.demo.care import CareStats, build_care
from mains.demo.grids import build_areas
from mains.demo.history import HistoryStats, build_history
from mains.demo.organisation import (
    DEMO_USERNAMES,
    assign_category_units,
    build_staff,
    build_units,
)
from mains.demo.outages import OutageStats, build_outages
from mains.demo.supervision import SupervisionStats, build_observations, build_supervisors
from mains.demo.targets import build_kpi_targets
from mains.demo.telemetry import TelemetryStats, build_telemetry, wipe_telemetry
from mains.desk.clock import TickResult, run_sla_clock
from mains.desk.models import (
    Attachment,
    Callback,
    Category,
    KpiDay,
    KpiRollup,
    OrderCounter,
    OrderEvent,
    WorkOrder,
)
from mains.desk.rollup import refresh as refresh_kpi_rollup
from mains.notify.service import muted
from mains.org.models import AccessLog, Unit, User
from mains.org.roles import Role
from mains.outages.models import Outage, OutageCaller, OutageEvent
from mains.supervision.models import Observation

COMMUNITIES = 460
DEFAULT_ORDERS = 100_000
DEFAULT_MONTHS = 6
DEFAULT_SEED = 2026


@dataclass
class BuildReport:
    built: bool
    seconds: float = 0.0
    phases: list[tuple[str, float]] = field(default_factory=list)
    history: HistoryStats | None = None
    clock: TickResult | None = None
    communities: int = 0
    grids: int = 0
    units: int = 0
    orders: int = 0
    boards: BoardStats | None = None
    outages: OutageStats | None = None
    care: CareStats | None = None
    supervision: SupervisionStats | None = None
    telemetry: TelemetryStats | None = None


def city_exists() -> bool:
    return Community.objects.exists() or WorkOrder.objects.exists()


def _clear(model, *emptied) -> None:
    """Delete all rows of `model`: in one statement when only the `emptied` models (or the
    model itself) refer to it, else through the ORM so other apps' on_delete rules apply."""
    others = [
        rel for rel in model._meta.related_objects if rel.related_model not in (*emptied, model)
    ]
    if others:
        model.objects.all().delete()
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def wipe_city() -> None:
    """Remove work orders, communities, grids, specialists, units and the demo log-ins,
    with the boards, outages, special-group residents and observations that refer to them."""
    wipe_telemetry()  # meters PROTECT their communities
    # Visits, residents and observations PROTECT the users and communities below.
    _clear(Visit)
    _clear(Resident, Visit)
    _clear(Observation)
    _clear(OutageCaller)
    _clear(OutageEvent)
    Outage.objects.all().delete()  # and its communities (many-to-many)
    _clear(Board)
    _clear(BoardBatch, Board)
    _clear(Attachment)
    _clear(Callback)
    _clear(KpiRollup)
    _clear(KpiDay)
    _clear(OrderEvent, Attachment)
    _clear(WorkOrder, Attachment, Callback, OrderEvent)
    OrderCounter.objects.all().delete()
    GridAssignment.objects.all().delete()
    Community.objects.all().delete()
    Grid.objects.all().delete()
    Specialist.objects.all().delete()
    logged = AccessLog.objects.values("user_id")
    User.objects.filter(username__in=DEMO_USERNAMES).exclude(pk__in=logged).delete()
    Category.objects.exclude(unit=None).update(unit=None)
    User.objects.exclude(unit=None).update(unit=None)
    Unit.objects.exclude(parent=None).update(parent=None)
    Unit.objects.all().delete()


class _Phases:
    """Times each phase of the build and shows where it is on a progress bar."""

    def __init__(self, report: BuildReport, total: int, progress: bool):
        self.report = report
        self.bar = tqdm(total=total, desc="Demo city", unit=" phase", disable=not progress)

    @contextmanager
    def __call__(self, name: str):
        self.bar.set_postfix_str(name)
        started = time.perf_counter()
        yield
        self.report.phases.append((name, time.perf_counter() - started))
        self.bar.update(1)

    def close(self) -> None:
        self.bar.set_postfix_str("")
        self.bar.close()


def _build_residents_side(rng, now, start, areas, staff, report: BuildReport) -> None:
    """Notice boards, outages, special-group residents, supervisors and their observations."""
    admin = staff.by_role.get(Role.ADMIN.value)
    report.boards = build_boards(rng, now, start, areas, admin)
    dispatcher = staff.by_role.get(Role.DISPATCHER.value)
    outage_day: date | None = getattr(report.history, "outage_day", None)
    report.outages = build_outages(rng, now, start, areas, dispatcher, outage_day)
    report.care = build_care(rng, now, start, areas)
    supervisors = build_supervisors(rng)
    manager = staff.by_role.get(Role.MANAGER.value)
    report.supervision = build_observations(rng, now, start, areas, supervisors, manager)


def build_city(
    *,
    orders: int = DEFAULT_ORDERS,
    months: float = DEFAULT_MONTHS,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    now: datetime | None = None,
    progress: bool = False,
    telemetry: bool = True,
) -> BuildReport:
    """Build the city unless one exists (then report `built=False`); `force` rebuilds it."""
    if city_exists() and not force:
        return BuildReport(
            built=False, communities=Community.objects.count(), orders=WorkOrder.objects.count()
        )
    began = time.perf_counter()
    rng = random.Random(seed)
    now = now or timezone.now()
    start = now - timedelta(days=round(months * 30.44))
    report = BuildReport(built=True)
    phase = _Phases(report, total=(6 if force else 5) + telemetry, progress=progress)
    with transaction.atomic():
        if force:
            with phase("wipe"):
                wipe_city()
        with phase("organisation"):
            units = build_units(rng)
            staff = build_staff(rng, units)
            admin = staff.by_role.get(Role.ADMIN.value)
            areas = build_areas(rng, units, COMMUNITIES, start, admin)
            assign_category_units(units)
            build_kpi_targets(admin)
        with phase("history"):
            report.history = build_history(rng, now, areas, staff, orders, months, progress)
        with phase("residents' side"):
            _build_residents_side(rng, now, start, areas, staff, report)
        with phase("SLA clock"), muted():  # the demo's late orders page nobody
            report.clock = run_sla_clock(now)
        with phase("KPI rollup"):
            refresh_kpi_rollup(everything=True)
        if telemetry:
            with phase("telemetry"):
                report.telemetry = build_telemetry(random.Random(seed), now, areas)
    phase.close()
    report.seconds = time.perf_counter() - began
    report.communities = len(areas.communities)
    report.grids = len(areas.grids)
    report.units = len(units)
    report.orders = report.history.orders
    return report
