"""When each stage of a demo order ends, and the SLA clock's entries when it ends late.

The base of `mains.demo.lifecycle.Lifecycle`: it declares the order being told, which
`FieldWork` (the specialist's part) and `Aftercare` (the callback) build on.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from mains.demo import texts
from mains.demo.calls import Call
from mains.demo.grids import Areas
from mains.demo.recorder import Recorder
from mains.desk import transitions
from mains.desk.models import Category, SlaLevel
from mains.desk.sla import CalendarSpec, add_working_minutes, working_minutes_between
from mains.desk.states import OPEN_STATES, Action

# Chance that a stage ends after its deadline, before the specialist's and the day's factors.
BASE_LATE = {"accept": 0.03, "arrive": 0.05, "resolve": 0.04, "callback": 0.03}


def minutes(value: float) -> timedelta:
    return timedelta(minutes=value)


@dataclass
class Kind:
    category: Category
    spec: CalendarSpec


@dataclass
class Cast:
    """Ids of the people who act in the stories."""

    agents: list[int]
    dispatchers: list[int]
    manager: int
    supervisor: int | None
    user_of: dict[int, int]  # specialist → log-in
    name_of: dict[int, str]  # specialist → name
    colleagues: dict[int, list[int]]  # specialist → other specialists of the same unit
    network_unit: int | None


class Timing:
    rng: random.Random
    now: datetime
    areas: Areas
    cast: Cast
    notes: dict[str, str]
    quality: dict[int, tuple[float, float]]  # specialist → (lateness, unhappiness) factors
    restored: datetime | None
    redo_limit: int
    # the order being told
    call: Call
    kind: Kind
    rec: Recorder
    dues: dict
    late_any: bool

    def apply(
        self,
        at: datetime,
        action: str,
        actor_id: int | None,
        change: transitions.Change,
        note: str = "",
        **extra,
    ) -> bool:
        """Record what the action would write (`mains.desk.transitions`), with the caller's
        `extra` fields (who it goes to, as ids); False once the story has stopped."""
        done = self.rec.step(
            at, action, actor_id, change.to_state, note, change.data, **change.fields, **extra
        )
        self.dues.update({k: v for k, v in change.fields.items() if k in transitions.DUE_NAMES})
        return done

    def late(self, stage: str) -> bool:
        if self.call.fate == "live":
            return False
        spec = self.rec.fields["specialist_id"]
        factor = self.quality.get(spec, (1.0, 1.0))[0] * (2.5 if self.call.surge else 1.0)
        return self.rng.random() < BASE_LATE[stage] * factor

    def finish(
        self, start: datetime, due: datetime | None, late: bool, span: float, minimum: float = 0.0
    ) -> datetime:
        """When a stage begun at `start` ends: before `due`, or after it when `late`."""
        spec, rng = self.kind.spec, self.rng
        if due is None:
            due = add_working_minutes(spec, start, span)
        if not late and due > start:
            left = working_minutes_between(spec, start, due)
            at = add_working_minutes(spec, start, left * rng.betavariate(1.5, 2.5))
        else:
            at = add_working_minutes(spec, max(due, start), 1 + span * rng.uniform(0.05, 1.2))
        return max(at, start + minutes(minimum))

    def mark_late(self, done: datetime) -> None:
        """The SLA clock's entries for a stage that ends at `done` after its deadline."""
        rec = self.rec
        due = rec.fields["current_due"]
        if due is None or done <= due:
            return
        self.late_any = True
        mark = max(due, rec.entered_at or due) + timedelta(seconds=30)
        if mark >= done:
            return
        if rec.fields["sla_level"] != SlaLevel.RED:
            red = SlaLevel.RED.value
            rec.step(mark, Action.SLA_OVERDUE, None, note=self.notes["overdue"], sla_level=red)
        escalate_at = max(due + settings.ESCALATE_AFTER_OVERDUE, mark)
        if rec.state in OPEN_STATES and not rec.fields["escalated"] and escalate_at < done:
            self.apply(
                escalate_at, Action.ESCALATE, None, transitions.escalated(), self.notes["escalated"]
            )
            supervise_at = escalate_at + minutes(self.rng.uniform(10, 120))
            if self.rng.random() < 0.1 and supervise_at < done:
                until = supervise_at + timedelta(days=1)
                self.apply(
                    supervise_at,
                    Action.SUPERVISE,
                    self.cast.manager,
                    transitions.supervised(until),
                    self.rng.choice(texts.SUPERVISE_NOTES),
                )
