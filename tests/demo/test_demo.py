"""The demo city: a small one is built once for this module and rolled back after it."""

import random
import re
from collections import Counter
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F
from django.http import HttpRequest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from mains.areas.models import Community, Grid, GridAssignment
from mains.boards.models import Board, BoardState
from mains.boards.queries import coverage, installable_boards
from mains.care.models import Resident, Visit
from mains.care.queries import residents_of
from mains.demo.build import build_city
from mains.demo.grids import REASSIGNED_GRIDS
from mains.demo.names import REAL_COMMUNITIES
from mains.demo.organisation import DEMO_PASSWORD
from mains.demo.photos import board_photos
from mains.desk.access import orders_for
from mains.desk.actions import do_create_order
from mains.desk.models import Callback, Category, OrderCounter, OrderEvent, WorkOrder
from mains.desk.states import OPEN_STATES, State
from mains.org.models import Unit, User
from mains.org.roles import HOME_URL_NAMES, Role
from mains.outages.models import Outage, OutageCaller
from mains.outages.queries import active_outages_for
from mains.supervision.models import Observation

ORDERS = 2000
FIXED_NOW = datetime(2026, 9, 16, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with media, django_db_blocker.unblock(), transaction.atomic():
        # A fixed moment keeps the statistics below the same whenever the suite runs:
        # a mid-September week, outside the heating season's cold snap.
        report = build_city(orders=ORDERS, months=2, seed=7, now=FIXED_NOW, telemetry=False)
        yield report
        transaction.set_rollback(True)


def test_it_builds_the_city_at_the_scale_of_the_sources(db, demo):
    assert Community.objects.count() == 460
    assert set(REAL_COMMUNITIES) <= set(Community.objects.values_list("name", flat=True))
    assert Grid.objects.count() == 38
    assert not Grid.objects.filter(specialist=None).exists()
    assert not Grid.objects.filter(deputy=None).exists()
    assert 13 <= Unit.objects.count() <= 17
    heat = Community.objects.filter(utility="heat").count()
    assert 30 <= heat <= 60
    assert GridAssignment.objects.exclude(ended_at=None).count() >= 3
    sizes = Grid.objects.annotate(n=Count("communities")).values_list("n", flat=True)
    assert min(sizes) >= 8 and max(sizes) <= 16


def test_every_role_can_log_in_and_lands_on_its_home(db, demo, client):
    # django-axes counts every log-in by the request it came with, so login() is given one.
    for role in Role:
        assert client.login(request=HttpRequest(), username=role.value, password=DEMO_PASSWORD), (
            role
        )
        assert client.get("/").url == reverse(HOME_URL_NAMES[role]), role
        client.logout()


def test_it_numbers_orders_by_day_and_leaves_counters_for_new_ones(db, demo):
    assert WorkOrder.objects.count() == ORDERS
    per_day: Counter = Counter()
    for number, received in WorkOrder.objects.values_list("number", "received_at"):
        assert re.fullmatch(r"\d{13}", number)
        day = timezone.localdate(received)
        assert number[:8] == f"{day:%Y%m%d}"
        per_day[day] += 1
    assert dict(OrderCounter.objects.values_list("day", "last")) == dict(per_day)
    today = timezone.localdate()
    new = do_create_order(
        by=User.objects.get(username="agent"),
        channel="hotline",
        category=Category.objects.get(code="W-LEAK"),
        description="水表漏水",
        community=Community.objects.get(name="星光水晶城"),
    )
    assert new.number == f"{today:%Y%m%d}{per_day[today] + 1:05d}"
    assert new.specialist.user.username == "specialist"


def test_every_order_starts_with_its_creation_and_its_history_runs_forward(db, demo):
    last: dict[int, object] = {}
    for order_id, at, action in OrderEvent.objects.order_by("order_id", "id").values_list(
        "order_id", "at", "action"
    ):
        if order_id not in last:
            assert action == "create", order_id
        else:
            assert at >= last[order_id], order_id
        last[order_id] = at
    assert len(last) == ORDERS


def test_closed_orders_were_called_back(db, demo):
    closed = WorkOrder.objects.filter(state=State.CLOSED)
    assert closed.count() > ORDERS * 0.8
    assert not closed.filter(callback_at=None).exists()
    valid = Callback.objects.filter(result__in=["satisfied", "fairly"]).values("order_id")
    assert not closed.exclude(pk__in=valid).exists()


def test_the_newest_orders_are_open_in_every_state(db, demo):
    states = set(
        WorkOrder.objects.filter(state__in=[*OPEN_STATES, State.RESOLVED]).values_list(
            "state", flat=True
        )
    )
    assert {
        State.RECEIVED,
        State.DISPATCHED,
        State.ACCEPTED,
        State.ON_SITE,
        State.SUSPENDED,
        State.RESOLVED,
        State.RETURNED,
        State.REOPENED,
    } <= states
    waiting = WorkOrder.objects.filter(state=State.RESOLVED)
    assert not waiting.filter(current_due=None).exists()
    assert not WorkOrder.objects.filter(state=State.SUSPENDED, paused_at=None).exists()
    specialist = User.objects.get(username="specialist")
    assert orders_for(specialist).filter(state__in=OPEN_STATES).count() >= 3


def test_its_kpis_are_neither_perfect_nor_hopeless(db, demo):
    accepted = WorkOrder.objects.exclude(accepted_at=None)
    late = accepted.filter(accepted_at__gt=F("accept_due")).count()
    assert 0 < late < accepted.count() * 0.2
    results = Counter(Callback.objects.values_list("result", flat=True))
    assert results["unsatisfied"] > 0 and results["unreachable"] > 0
    assert results["satisfied"] > 5 * (results["unsatisfied"] + results["fairly"])
    assert WorkOrder.objects.filter(redo_count__gt=0).exists()
    assert WorkOrder.objects.filter(state=State.CANCELLED).exclude(duplicate_of=None).exists()
    assert OrderEvent.objects.filter(action__in=["return", "transfer", "suspend"]).count() >= 3


def test_calls_peak_in_the_morning_and_the_evening(db, demo):
    hours = Counter(
        timezone.localtime(at).hour
        for at in WorkOrder.objects.values_list("received_at", flat=True)
    )
    night = hours[2] + hours[3] + hours[4]
    assert hours[8] > 4 * night / 3 and hours[19] > 4 * night / 3
    assert hours[8] > hours[14] and hours[19] > hours[14]


def test_a_second_build_reuses_the_city(db, demo):
    before = (WorkOrder.objects.count(), Community.objects.count())
    again = build_city(orders=10)
    assert not again.built
    out = StringIO()
    call_command("demo", "build", "--orders", "10", stdout=out)
    assert "--force" in out.getvalue()
    assert (WorkOrder.objects.count(), Community.objects.count()) == before


def test_force_rebuilds_the_same_city_from_the_same_seed(db, demo):
    now = timezone.now()

    def fingerprint():
        return list(
            WorkOrder.objects.order_by("number").values_list(
                "number", "category__code", "community__name", "state", "caller_phone"
            )
        )

    assert build_city(orders=300, months=1, seed=3, force=True, now=now, telemetry=False).built
    first = fingerprint()
    assert len(first) == 300 and Community.objects.count() == 460
    assert build_city(orders=300, months=1, seed=3, force=True, now=now, telemetry=False).built
    assert fingerprint() == first
    assert User.objects.filter(username="specialist").count() == 1
    assert User.objects.filter(role=Role.SUPERVISOR).count() == 10
    assert Board.objects.filter(state=BoardState.INSTALLED).count() == 300
    assert Outage.objects.count() == 5
    assert Resident.objects.count() == 60 and Observation.objects.count() == 30


def test_logins_prints_every_role(db, demo):
    out = StringIO()
    call_command("demo", "logins", "--base-url", "http://example.test", stdout=out)
    text = out.getvalue()
    for role in Role:
        assert role.value in text
    assert DEMO_PASSWORD in text and "http://example.test/desk/intake/" in text
    assert "sv02" in text and "sv10" in text


def test_it_refuses_a_bad_order_count():
    with pytest.raises(CommandError):
        call_command("demo", "build", "--orders", "many")


def test_three_hundred_of_the_460_communities_have_an_up_to_date_board(db, demo):
    found = coverage()
    assert (found.installed, found.total) == (300, 460)
    assert demo.boards.installed == 300 and demo.boards.communities == 460
    states = Counter(Board.objects.values_list("state", flat=True))
    assert states[BoardState.PRINTED] > 0 and states[BoardState.GENERATED] > 0
    installed = Board.objects.filter(state=BoardState.INSTALLED)
    assert not installed.filter(installed_on=None).exists()
    assert not installed.filter(installed_by=None).exists()
    assert not installed.filter(install_photo="").exists()
    assert not installed.filter(printed_at__gt=F("installed_at")).exists()
    assert not Board.objects.filter(generated_at__gt=FIXED_NOW).exists()
    assert installable_boards(User.objects.get(username="specialist")).count() >= 2


def test_the_boards_of_a_reassigned_grid_are_outdated_and_show_the_former_specialist(db, demo):
    outdated = Board.objects.filter(state=BoardState.OUTDATED)
    grids = set(outdated.values_list("community__grid__code", flat=True))
    assert grids == set(REASSIGNED_GRIDS)
    for board in outdated.select_related("community__grid__specialist"):
        assert board.specialist_name != board.community.grid.specialist.name
        assert board.outdated_at > board.installed_at
    assert coverage().to_reprint
    current = Board.objects.exclude(state=BoardState.OUTDATED).select_related(
        "community__grid__specialist"
    )
    for board in current:
        assert board.specialist_name == board.community.grid.specialist.name


def test_one_burst_is_active_now_and_one_planned_outage_comes_in_two_days(db, demo):
    active = [o for o in Outage.objects.all() if o.phase_at(FIXED_NOW) == Outage.Status.ACTIVE]
    assert len(active) == 1
    burst = active[0]
    assert burst.kind == Outage.Kind.EMERGENCY and burst.ends_at > FIXED_NOW
    assert 2 <= burst.communities.count() <= 3
    assert burst.communities.values("grid").distinct().count() == 1
    assert active_outages_for(burst.communities.first(), at=FIXED_NOW) == [burst]
    upcoming = Outage.objects.filter(status=Outage.Status.ANNOUNCED, starts_at__gt=FIXED_NOW)
    assert [o.kind for o in upcoming] == [Outage.Kind.PLANNED]
    days = (timezone.localdate(upcoming[0].starts_at) - FIXED_NOW.date()).days
    assert days == 2


def test_the_outage_day_of_the_history_is_an_ended_outage_with_its_callers(db, demo):
    day = demo.history.outage_day
    ended = Outage.objects.filter(status=Outage.Status.ENDED)
    assert ended.count() >= 3
    assert not ended.filter(ended_at=None).exists()
    that_day = [o for o in ended if timezone.localdate(o.starts_at) == day]
    assert len(that_day) == 1
    callers = OutageCaller.objects.filter(outage=that_day[0])
    assert callers.count() >= 3
    for caller in callers.select_related("order"):
        assert caller.order.community in that_day[0].communities.all()
        assert caller.phone == caller.order.caller_phone
        assert caller.notified_at == that_day[0].ended_at


def test_special_group_residents_have_consent_and_some_are_due_for_a_visit(db, demo):
    residents = Resident.objects.all()
    assert 50 <= residents.count() <= 70
    assert not residents.filter(consent_note="").exists()
    assert set(residents.values_list("group", flat=True)) == {
        Resident.Group.ELDERLY_ALONE,
        Resident.Group.DISABLED,
    }
    assert {r.visit_every_days for r in residents} <= set(range(14, 31))
    assert Visit.objects.filter(help=Visit.Help.PAID_BILL).exists()
    assert not Visit.objects.filter(at__gt=FIXED_NOW).exists()
    for resident in residents:
        assert resident.last_visit_at == max(v.at for v in resident.visits.all())
    due = [r for r in residents if r.next_visit_due <= FIXED_NOW]
    assert 0 < len(due) < residents.count() / 2
    mine = residents_of(User.objects.get(username="specialist"))
    assert len(mine) >= 5 and mine[0].next_visit_due <= FIXED_NOW


def test_ten_supervisors_file_observations_the_manager_answers(db, demo, client):
    supervisors = User.objects.filter(role=Role.SUPERVISOR)
    assert supervisors.count() == 10
    assert {"supervisor", "sv02", "sv10"} <= set(supervisors.values_list("username", flat=True))
    assert client.login(request=HttpRequest(), username="sv05", password=DEMO_PASSWORD)
    observations = Observation.objects.all()
    assert 25 <= observations.count() <= 35
    answered = observations.exclude(answered_at=None)
    assert answered.count() >= observations.count() * 0.8
    assert set(answered.values_list("answered_by__username", flat=True)) == {"manager"}
    assert not answered.filter(answered_at__lt=F("filed_at")).exists()
    unanswered = observations.filter(answered_at=None)
    assert 2 <= unanswered.count() <= 5
    assert unanswered.filter(answer_due__lt=FIXED_NOW).count() == 1
    assert observations.filter(supervisor__username="supervisor").count() >= 2


def test_the_summary_counts_the_residents_side(db, demo):
    from mains.demo.summary import residents_side_lines

    with translation.override("en"):
        text = "\n".join(residents_side_lines(demo))
    assert "300 of 460" in text
    assert "1 active now, 1 planned" in text
    assert f"Special-group residents: {Resident.objects.count()}" in text


def test_the_board_pages_show_the_demo_boards(db, demo, client):
    client.login(request=HttpRequest(), username="manager", password=DEMO_PASSWORD)
    page = client.get(reverse("boards:coverage"))
    assert page.status_code == 200
    assert "board-recent" in page.content.decode()
    photos = board_photos(random.Random(1))
    assert all(default_storage.exists(name) for name in photos)
    installed = Board.objects.filter(state=BoardState.INSTALLED)
    assert set(installed.values_list("install_photo", flat=True)) <= set(photos)


def test_the_manager_sees_each_kpi_against_a_target_some_met_and_some_missed(db, demo, client):
    from mains.desk.models import KpiTarget

    assert set(KpiTarget.objects.values_list("kpi", flat=True)) == set(KpiTarget.Key.values)
    client.force_login(User.objects.get(username="manager"))
    start = (FIXED_NOW - timedelta(days=45)).date().isoformat()
    end = FIXED_NOW.date().isoformat()
    page = client.get("/desk/kpis/", {"start": start, "end": end}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "No target set" not in text and "No targets are set yet" not in text
    assert "on target" in text and "below target" in text, (
        "demo targets neither all met nor all missed"
    )
