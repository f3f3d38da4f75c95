"""The life of one demo order as plain rows: its fields, its history and its callbacks.

The demo does not call the action functions (too slow for 100,000 orders); it replays
what they would have written. A step later than `now` is not recorded, nor anything
after it, so the newest orders stay open in whatever state the clock reached.
"""

from dataclasses import dataclass, field
from datetime import datetime

from mains.desk.states import OPEN_STATES, Action, State

# Actions that do not bump the order's version (see mains.desk.actions).
UNGUARDED = {
    Action.EXTRA_CALL,
    Action.REMIND,
    Action.SUPERVISE,
    Action.ESCALATE,
    Action.SLA_WARNING,
    Action.SLA_OVERDUE,
}

MEANWHILE_STATES = {*OPEN_STATES, State.RESOLVED}


@dataclass
class Recorder:
    now: datetime
    fields: dict
    stop_state: str | None = None
    events: list[tuple] = field(default_factory=list)
    callbacks: list[tuple] = field(default_factory=list)
    # Things that happen meanwhile (further calls, reminders): (at, action, actor, note, data,
    # counter to increase), recorded when the story reaches their time.
    pending: list[tuple] = field(default_factory=list)
    frozen: bool = False
    last_at: datetime | None = None
    entered_at: datetime | None = None  # when the clock fields were last set

    @property
    def state(self) -> str:
        return self.fields["state"]

    def step(
        self,
        at: datetime,
        action: str,
        actor_id: int | None,
        to_state: str | None = None,
        note: str = "",
        data: dict | None = None,
        **fields,
    ) -> bool:
        """Record one history entry and its field changes; False once the story has stopped."""
        if self.frozen:
            return False
        if at > self.now:
            self.frozen = True
            return False
        if self.pending:
            self.flush(at)
        if self.last_at is not None and at < self.last_at:
            at = self.last_at
        from_state = self.state if action != Action.CREATE else ""
        new_state = to_state or self.state
        self.events.append((at, actor_id, action, from_state, new_state, note, data or {}))
        self.fields.update(fields)
        self.fields["state"] = new_state
        if action not in UNGUARDED and action != Action.CREATE:
            self.fields["version"] += 1
        if "current_due" in fields:
            self.entered_at = at
        self.last_at = at
        if to_state is not None and to_state == self.stop_state:
            self.frozen = True
        return True

    def meanwhile(
        self, at: datetime, action: str, actor_id: int | None, note: str, data: dict, counter: str
    ) -> None:
        self.pending.append((at, action, actor_id, note, data, counter))
        self.pending.sort(key=lambda item: item[0])

    def flush(self, until: datetime) -> None:
        """Record what happened meanwhile up to `until`, where the state still allows it."""
        while self.pending and self.pending[0][0] <= min(until, self.now):
            at, action, actor_id, note, data, counter = self.pending.pop(0)
            if self.state in MEANWHILE_STATES:
                at = max(at, self.last_at or at)
                self.events.append((at, actor_id, action, self.state, self.state, note, data))
                self.fields[counter] += 1
                self.last_at = at

    def finish(self) -> None:
        self.flush(self.now)
        self.pending.clear()

    def callback_row(self, at: datetime, agent_id: int | None, result: str, note: str) -> None:
        self.callbacks.append((at, agent_id, result, note))

    @property
    def is_open(self) -> bool:
        return self.state not in (State.CLOSED, State.CANCELLED, State.CALLBACK_DONE)
