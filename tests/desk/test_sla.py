"""SLA calendars and the SLA clock, with frozen time."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mains.desk import actions
from mains.desk.calendars import spec_for
from mains.desk.clock import TickResult, run_sla_clock
from mains.desk.models import Category, Heartbeat, OrderEvent, SpecialDay, WorkOrder
from mains.desk.sla import CalendarSpec, add_working_minutes, working_minutes_between
from mains.desk.states import Action, State

TZ = ZoneInfo("Asia/Shanghai")
ALWAYS = CalendarSpec(round_the_clock=True)
WINDOWS = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))
OFFICE = CalendarSpec(round_the_clock=False, windows=WINDOWS)
# November 2026: the 16th is a Monday, the 20th a Friday, the 21st a Saturday.


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ)


def fresh(order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.get(pk=order.pk)


def test_round_the_clock_deadlines_run_through_the_night():
    assert add_working_minutes(ALWAYS, at(16, 23, 50), 30) == at(17, 0, 20)
    assert working_minutes_between(ALWAYS, at(20, 22, 0), at(21, 2, 0)) == 240


def test_a_call_at_11_50_with_30_working_minutes_is_due_at_13_50():
    assert add_working_minutes(OFFICE, at(16, 11, 50), 30) == at(16, 13, 50)


def test_a_deadline_may_fall_on_the_end_of_a_window():
    assert add_working_minutes(OFFICE, at(16, 11, 50), 10) == at(16, 12, 0)


def test_time_outside_the_windows_does_not_count():
    assert add_working_minutes(OFFICE, at(16, 12, 30), 30) == at(16, 14, 0)
    assert add_working_minutes(OFFICE, at(16, 17, 20), 30) == at(17, 8, 50)
    assert add_working_minutes(OFFICE, at(16, 19, 0), 30) == at(17, 9, 0)
    assert working_minutes_between(OFFICE, at(16, 11, 0), at(16, 14, 0)) == 90


def test_weekends_are_skipped():
    assert add_working_minutes(OFFICE, at(20, 17, 20), 30) == at(23, 8, 50)
    assert add_working_minutes(OFFICE, at(21, 10, 0), 30) == at(23, 9, 0)
    assert working_minutes_between(OFFICE, at(20, 17, 0), at(23, 9, 0)) == 60


def test_a_holiday_is_skipped_and_a_make_up_saturday_counts():
    holiday_monday = CalendarSpec(False, WINDOWS, {date(2026, 11, 23): False})
    assert add_working_minutes(holiday_monday, at(20, 17, 20), 30) == at(24, 8, 50)
    make_up_saturday = CalendarSpec(False, WINDOWS, {date(2026, 11, 21): True})
    assert add_working_minutes(make_up_saturday, at(20, 17, 20), 30) == at(21, 8, 50)
    assert working_minutes_between(make_up_saturday, at(21, 8, 0), at(21, 18, 0)) == 450


def test_no_working_time_is_counted_backwards():
    assert working_minutes_between(OFFICE, at(17, 10, 0), at(16, 10, 0)) == 0


def test_adding_no_time_keeps_the_moment():
    assert add_working_minutes(OFFICE, at(16, 17, 30), 0) == at(16, 17, 30)
    assert add_working_minutes(OFFICE, at(16, 12, 0), 0) == at(16, 12, 0)


def order_at(moment: datetime, new_order, code: str, **fields) -> WorkOrder:
    with time_machine.travel(moment, tick=False):
        return new_order(category=Category.objects.get(code=code), **fields)


def test_an_urgent_order_gets_round_the_clock_deadlines(city, new_order):
    order = order_at(at(21, 3, 0), new_order, "W-BURST")
    assert (order.accept_due, order.arrive_due, order.resolve_due) == (
        at(21, 3, 5),
        at(21, 3, 30),
        at(21, 7, 0),
    )
    assert (order.current_due, order.warn_at, order.sla_level) == (
        at(21, 3, 5),
        at(21, 3, 4),
        "green",
    )


def test_office_hour_deadlines_follow_the_holidays_kept_in_the_database(city, new_order):
    SpecialDay.objects.create(date=date(2026, 11, 23), is_working_day=False, name="调休")
    SpecialDay.objects.create(date=date(2026, 11, 28), is_working_day=True, name="调休上班")
    complaint = order_at(at(20, 17, 0), new_order, "W-COMPLAINT")
    assert complaint.accept_due == at(24, 9, 0)
    assert complaint.resolve_due == at(26, 17, 0)
    bill = order_at(at(27, 17, 0), new_order, "W-BILL")
    assert bill.resolve_due == at(28, 17, 0)
    office = Category.objects.get(code="W-BILL").calendar
    assert spec_for(office).is_working_day(date(2026, 11, 28))


def suspend_and_resume(order, city, suspend_at, resume_at):
    with time_machine.travel(suspend_at, tick=False):
        actions.do_suspend(order, city.sam, "住户出差")
    with time_machine.travel(resume_at, tick=False):
        return actions.do_resume(fresh(order), city.sam)


def test_a_suspension_stops_the_clock_and_moves_open_deadlines_by_the_working_time_paused(
    city, new_order
):
    order = order_at(at(16, 9, 0), new_order, "W-METER")
    assert (order.arrive_due, order.resolve_due) == (at(17, 9, 0), at(18, 9, 0))
    with time_machine.travel(at(16, 9, 10), tick=False):
        actions.do_accept(order, city.sam)
    with time_machine.travel(at(16, 11, 30), tick=False):
        actions.do_suspend(order, city.sam, "住户出差")
    assert run_sla_clock(at(17, 10, 0)) == TickResult()
    assert fresh(order).sla_level == "green"
    with time_machine.travel(at(17, 10, 0), tick=False):
        event = actions.do_resume(fresh(order), city.sam)
    assert event.data == {"paused_minutes": 360}  # 30 + 240 on Monday, 90 on Tuesday
    order = fresh(order)
    assert (order.state, order.arrive_due, order.resolve_due) == (
        State.ACCEPTED,
        at(17, 16, 30),
        at(18, 16, 30),
    )
    assert (order.current_due, order.paused_at, order.sla_level) == (at(17, 16, 30), None, "green")


def test_a_resume_leaves_deadlines_already_met(city, new_order):
    order = order_at(at(16, 9, 0), new_order, "W-METER")
    with time_machine.travel(at(16, 9, 10), tick=False):
        actions.do_accept(order, city.sam)
        actions.do_arrive(order, city.sam)
    suspend_and_resume(order, city, at(16, 10, 0), at(16, 11, 0))
    order = fresh(order)
    assert (order.arrive_due, order.resolve_due) == (at(17, 9, 0), at(18, 10, 0))
    assert order.current_due == order.resolve_due


def test_a_suspension_outside_working_hours_moves_no_deadline(city, new_order):
    order = order_at(at(16, 20, 0), new_order, "W-COMPLAINT")
    assert order.resolve_due == at(19, 17, 30)
    with time_machine.travel(at(17, 9, 0), tick=False):
        actions.do_accept(order, city.sam)
    event = suspend_and_resume(order, city, at(17, 18, 0), at(17, 19, 0))
    assert event.data == {"paused_minutes": 0}
    assert fresh(order).resolve_due == at(19, 17, 30)


def events_of(order, action) -> list[OrderEvent]:
    return list(OrderEvent.objects.filter(order=order, action=action))


def test_the_clock_warns_then_marks_overdue_then_escalates_each_once(city, new_order, settings):
    settings.SLA_WARNING_RATIO = 0.8
    order = order_at(at(16, 10, 0), new_order, "W-LEAK")  # accept within 10 minutes
    assert order.warn_at == at(16, 10, 8)
    assert run_sla_clock(at(16, 10, 7)) == TickResult()
    assert fresh(order).sla_level == "green"

    for _twice in range(2):
        run_sla_clock(at(16, 10, 8))
    warnings = events_of(order, Action.SLA_WARNING)
    assert fresh(order).sla_level == "yellow"
    assert [(e.actor, e.from_state, e.to_state) for e in warnings] == [
        (None, State.DISPATCHED, State.DISPATCHED)
    ]

    assert run_sla_clock(at(16, 10, 10)) == TickResult(overdue=1)
    assert run_sla_clock(at(16, 10, 11)) == TickResult()
    assert fresh(order).sla_level == "red"
    assert len(events_of(order, Action.SLA_OVERDUE)) == 1

    assert run_sla_clock(at(16, 11, 9)) == TickResult()
    assert run_sla_clock(at(16, 11, 10)) == TickResult(escalated=1)
    assert run_sla_clock(at(16, 11, 30)) == TickResult()
    assert fresh(order).escalated is True
    assert len(events_of(order, Action.ESCALATE)) == 1


def test_an_expired_supervision_escalates_once(city, new_order):
    order = order_at(at(16, 10, 0), new_order, "W-QUALITY")
    with time_machine.travel(at(16, 10, 1), tick=False):
        actions.do_accept(order, city.sam)
        actions.do_supervise(order, city.manager, at(16, 12, 0), "两小时内答复")
    assert run_sla_clock(at(16, 11, 59)) == TickResult()
    assert run_sla_clock(at(16, 12, 0)) == TickResult(escalated=1)
    assert run_sla_clock(at(16, 12, 5)) == TickResult()
    [event] = events_of(order, Action.ESCALATE)
    assert (event.actor, event.to_state) == (None, State.ACCEPTED)


def test_the_clock_leaves_finished_orders_alone(city, new_order):
    cancelled = order_at(at(16, 10, 0), new_order, "W-LEAK")
    with time_machine.travel(at(16, 10, 1), tick=False):
        actions.do_cancel(cancelled, city.dispatcher, "重复来电")
    assert run_sla_clock(at(18, 10, 0)) == TickResult()
    assert fresh(cancelled).sla_level == "green"
    assert events_of(cancelled, Action.SLA_OVERDUE) == []


@pytest.mark.django_db
def test_the_huey_job_runs_the_clock_and_leaves_a_heartbeat():
    from mains.desk.tasks import sla_clock_tick

    assert sla_clock_tick.call_local() == {"warned": 0, "overdue": 0, "escalated": 0}
    assert Heartbeat.objects.filter(name="sla_clock").exists()
