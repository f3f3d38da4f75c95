"""One order's story from the call to the archive, with the slips of real work.

Most stages finish inside their SLA; some are late (more so for a few weaker
specialists, during the cold snap and on the outage day). A few orders are returned,
transferred, suspended, extended, cancelled as duplicates, or re-done after an
unsatisfied callback.
"""

import random
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _

from mains.demo import texts
from mains.demo.aftercare import Aftercare
from mains.demo.calls import Call
from mains.demo.grids import Areas
from mains.demo.names import caller_name, mobile
from mains.demo.recorder import Recorder
from mains.demo.timing import Cast, Kind, minutes
from mains.desk import transitions
from mains.desk.models import Channel
from mains.desk.states import Action, State


class Lifecycle(Aftercare):
    def __init__(
        self,
        rng: random.Random,
        now: datetime,
        kinds: dict[str, Kind],
        areas: Areas,
        cast: Cast,
        restored: datetime | None,
        auto_dispatch: bool,
        redo_limit: int,
    ):
        self.rng, self.now, self.kinds, self.areas, self.cast = rng, now, kinds, areas, cast
        self.restored, self.auto_dispatch, self.redo_limit = restored, auto_dispatch, redo_limit
        self.quality = {
            spec: (min(3.0, rng.lognormvariate(0, 0.45)), min(3.0, rng.lognormvariate(0, 0.4)))
            for spec in cast.user_of
        }
        for weak in rng.sample(sorted(cast.user_of), k=min(3, len(cast.user_of))):
            self.quality[weak] = (2.5, 2.0)
        # (community, category) → (order id, number, received, first resolved) for duplicates
        self.recent: dict[tuple, tuple] = {}
        self.outage_mains: dict[int, tuple[int, str]] = {}
        self.notes = {
            "routed": _("Routed by community and category."),
            "overdue": _("Deadline missed."),
            "escalated": _("Overdue: escalated automatically."),
        }

    # -- the story ------------------------------------------------------------------------
    def run(self, call: Call, order_id: int, number: str) -> Recorder:
        rng, cast = self.rng, self.cast
        self.call, self.kind = call, self.kinds[call.code]
        self.late_any = False
        category = self.kind.category
        t0 = call.at
        grid_id = call.community.grid_id if call.community else None
        plan = self.areas.by_id.get(grid_id) if grid_id else None
        specialist = plan.specialist_at(t0).pk if plan else None
        taken = transitions.received(category, self.kind.spec, t0)
        self.dues = transitions.dues_in(taken.fields)
        creator: int | None = rng.choice(cast.agents)
        if call.channel == Channel.SUPERVISOR:
            creator = cast.supervisor
        elif call.channel in (Channel.WEB, Channel.API, Channel.ALARM):
            creator = None
        fields = dict(
            id=order_id,
            number=number,
            channel=call.channel,
            category_id=category.pk,
            priority=category.priority,
            community_id=call.community.pk if call.community else None,
            caller_name=call.caller_name,
            caller_phone=call.caller_phone,
            address=call.address,
            description=call.description,
            state=State.RECEIVED,
            state_before_suspend="",
            unit_id=category.unit_id or (plan.unit_id if plan else None),
            grid_id=plan.grid.pk if plan else None,
            specialist_id=specialist,
            created_by_id=creator,
            duplicate_of_id=None,
            received_at=t0,
            dispatched_at=None,
            accepted_at=None,
            arrived_at=None,
            resolved_at=None,
            callback_at=None,
            closed_at=None,
            **taken.fields,
            paused_at=None,
            extension_requested_until=None,
            redo_count=0,
            reminder_count=0,
            call_count=1,
            supervised_until=None,
            escalated=False,
            satisfaction="",
            resolution="",
            version=1,
        )
        self.rec = rec = Recorder(self.now, fields, stop_state=call.stop)
        rec.step(
            t0,
            Action.CREATE,
            creator,
            State.RECEIVED,
            data={"channel": call.channel},
            current_due=fields["current_due"],
        )
        self.extra_calls(order_id, number)
        self.dispatch(t0)
        first_resolved = None
        if not rec.frozen and not self.cancelled():
            first_resolved = self.work(rec.last_at or t0, first=True)
            if first_resolved is not None:
                self.aftercare(first_resolved)
        rec.finish()
        if call.community is not None and rec.state != State.CANCELLED:
            self.recent[(call.community.pk, call.code)] = (order_id, number, t0, first_resolved)
        return rec

    def extra_calls(self, order_id: int, number: str) -> None:
        """Neighbours who phone again about the same problem (outage mains above all)."""
        call, rng, rec = self.call, self.rng, self.rec
        count, spread = 0, 240.0
        if call.fate == "outage" and call.community and call.community.pk not in self.outage_mains:
            self.outage_mains[call.community.pk] = (order_id, number)
            count = rng.randint(3, 12)
            spread = (
                max(30.0, (self.restored - call.at).total_seconds() / 60) if self.restored else 240
            )
        elif call.fate != "outage" and rng.random() < 0.02:
            count = rng.randint(1, 2)
        for _i in range(count):
            rec.meanwhile(
                call.at + minutes(rng.uniform(10, spread)),
                Action.EXTRA_CALL,
                rng.choice(self.cast.agents),
                "同一问题再次来电",
                {"caller_name": caller_name(rng), "caller_phone": mobile(rng)},
                "call_count",
            )

    def dispatch(self, t0: datetime) -> None:
        rec, rng = self.rec, self.rng
        specialist = rec.fields["specialist_id"]
        cat = self.kind.category
        if specialist is not None and self.auto_dispatch:
            routed = transitions.dispatched(self.dues, self.kind.spec, cat.accept_minutes, t0)
            self.apply(t0, Action.DISPATCH, None, routed, self.notes["routed"])
            return
        at = t0 + minutes(rng.uniform(2, 25))
        extra: dict[str, Any] = {}
        if specialist is None:  # no community: the dispatcher picks the nearest grid
            heat = self.call.code.startswith("H-")
            plan = rng.choice([g for g in self.areas.grids if g.heat == heat] or self.areas.grids)
            specialist = plan.specialist_at(at).pk
            extra = {"unit_id": cat.unit_id or plan.unit_id}
        self.mark_late(at)
        sent = transitions.dispatched(
            self.dues,
            self.kind.spec,
            cat.accept_minutes,
            at,
            specialist=self.cast.name_of[specialist],
        )
        dispatcher = rng.choice(self.cast.dispatchers)
        self.apply(at, Action.DISPATCH, dispatcher, sent, specialist_id=specialist, **extra)

    def cancelled(self) -> bool:
        """Duplicate or invalid calls are cancelled by the dispatcher."""
        call, rng, rec = self.call, self.rng, self.rec
        if call.fate == "live" or call.community is None:
            return False
        original = None
        if call.fate == "outage":
            main = self.outage_mains.get(call.community.pk)
            if main and main[0] != rec.fields["id"] and rng.random() < 0.5:
                original = main
        elif rng.random() < 0.025:
            found = self.recent.get((call.community.pk, call.code))
            if (
                found
                and call.at - found[2] < timedelta(hours=36)
                and (found[3] is None or found[3] > call.at)
            ):
                original = found[:2]
        invalid = original is None and call.fate != "outage" and rng.random() < 0.01
        if original is None and not invalid:
            return False
        at = (rec.last_at or call.at) + minutes(rng.uniform(3, 60))
        note = texts.DUPLICATE_NOTE if original else rng.choice(texts.INVALID_NOTES)
        change = transitions.cancelled(at, **({"duplicate_of": original[1]} if original else {}))
        dispatcher = rng.choice(self.cast.dispatchers)
        self.apply(
            at,
            Action.CANCEL,
            dispatcher,
            change,
            note,
            duplicate_of_id=original[0] if original else None,
        )
        return True
