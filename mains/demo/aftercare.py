"""The callback after a demo order is resolved; unsatisfied re-opens it (重办).

Part of `mains.demo.lifecycle.Lifecycle`, after `mains.demo.fieldwork.FieldWork`.
"""

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from mains.demo import texts
from mains.demo.fieldwork import FieldWork
from mains.demo.timing import minutes
from mains.desk import transitions
from mains.desk.models import Satisfaction
from mains.desk.states import Action, State

SATISFIED, FAIRLY = Satisfaction.SATISFIED.value, Satisfaction.FAIRLY.value
UNSATISFIED, UNREACHABLE = Satisfaction.UNSATISFIED.value, Satisfaction.UNREACHABLE.value
MAX_REDO = 4


class Aftercare(FieldWork):
    def judge(self, reachable: bool) -> str:
        redo = self.rec.fields["redo_count"]
        if self.call.fate == "live":
            return UNSATISFIED if self.forced(State.REOPENED) and redo == 0 else SATISFIED
        quality = self.quality.get(self.rec.fields["specialist_id"], (1.0, 1.0))[1]
        unhappy = 0.025 * quality * (3 if self.late_any else 1) * (1.5 if self.call.surge else 1)
        if redo:
            unhappy = 0.15 if redo < MAX_REDO else 0.0
        fairly = 0.08 * (2 if self.late_any else 1)
        unreachable = 0.0 if reachable else 0.045
        roll = self.rng.random()
        if roll < unreachable:
            return UNREACHABLE
        if roll < unreachable + unhappy:
            return UNSATISFIED
        if roll < unreachable + unhappy + fairly:
            return FAIRLY
        return SATISFIED

    def aftercare(self, resolved: datetime) -> None:
        """Call the resident back; unsatisfied re-opens the order and the work starts again."""
        rec, rng, cat = self.rec, self.rng, self.kind.category
        while True:
            at = self.finish(
                resolved,
                self.dues["callback_due"],
                self.late("callback"),
                cat.callback_minutes,
                minimum=rng.uniform(10, 60),
            )
            self.mark_late(at)
            agent = rng.choice(self.cast.agents)
            result = self.judge(reachable=False)
            for _attempt in range(2):
                if result != UNREACHABLE:
                    break
                note = rng.choice(texts.CALLBACK_NOTES[UNREACHABLE])
                if not self.apply(at, Action.CALLBACK, agent, transitions.not_reached(), note):
                    return
                rec.callback_row(at, agent, UNREACHABLE, note)
                at += timedelta(hours=rng.uniform(2, 26))
                self.mark_late(at)
                result = self.judge(reachable=True)
            result = SATISFIED if result == UNREACHABLE else result
            note = rng.choice(texts.CALLBACK_NOTES[result])
            if result != UNSATISFIED:
                if self.apply(
                    at, Action.CALLBACK, agent, transitions.called_back(result, at), note
                ):
                    rec.callback_row(at, agent, result, note)
                    closed = at + minutes(rng.uniform(1, 30))
                    self.apply(closed, Action.CLOSE, agent, transitions.closed(closed))
                return
            if not self.reopened(at, agent, note):
                return
            again = self.work(at, first=False)
            if again is None:
                return
            resolved = again

    def reopened(self, at: datetime, agent: int, note: str) -> bool:
        rec = self.rec
        change = transitions.reopened(
            self.kind.category, self.kind.spec, rec.fields["redo_count"], UNSATISFIED, at
        )
        self.late_any = False
        if not self.apply(at, Action.REOPEN, agent, change, note):
            return False
        rec.callback_row(at, agent, UNSATISFIED, note)
        redo = rec.fields["redo_count"]
        if redo >= self.redo_limit and not rec.fields["escalated"]:
            escalation = _("Re-done %(count)s times.") % {"count": redo}
            self.apply(at, Action.ESCALATE, None, transitions.escalated(), escalation)
        return True
