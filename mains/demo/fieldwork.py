"""The specialist's part of a demo order: accept, arrive, resolve (and the detours).

Part of `mains.demo.lifecycle.Lifecycle`; the order being told and the clock helpers
come from `mains.demo.timing.Timing`.
"""

from datetime import datetime, timedelta

from mains.demo import texts
from mains.demo.timing import Timing, minutes
from mains.desk import transitions
from mains.desk.sla import add_working_minutes
from mains.desk.states import Action, State

NETWORK_WORK = ("W-BURST", "W-DAMAGE", "W-LEAK")  # may be handed to the network unit


class FieldWork(Timing):
    def user(self, specialist: int) -> int:
        return self.cast.user_of[specialist]

    def colleague(self, specialist: int) -> int:
        others = self.cast.colleagues.get(specialist) or [specialist]
        return self.rng.choice(others)

    def forced(self, state: str) -> bool:
        return self.call.stop == state

    def work(self, start: datetime, first: bool) -> datetime | None:
        """Accept, arrive and resolve; the moment resolved, or None if the story stopped."""
        rec, rng, cat = self.rec, self.rng, self.kind.category
        live = self.call.fate == "live"
        if first and (self.forced(State.RETURNED) or (not live and rng.random() < 0.02)):
            start = self.returned(start)
        spec = rec.fields["specialist_id"]
        at = self.finish(start, self.dues["accept_due"], self.late("accept"), cat.accept_minutes)
        self.mark_late(at)
        self.apply(at, Action.ACCEPT, self.user(spec), transitions.accepted(self.dues, at))
        if first and not live and rng.random() < 0.015:
            at = self.transferred(at)
        if cat.needs_visit and self.dues["arrive_due"] is not None:
            done = self.finish(
                at,
                self.dues["arrive_due"],
                self.late("arrive"),
                cat.arrive_minutes or 0,
                minimum=rng.uniform(5, 25),
            )
            self.mark_late(done)
            arrived = transitions.arrived(self.dues, done)
            self.apply(done, Action.ARRIVE, self.user(rec.fields["specialist_id"]), arrived)
            at = done
        if rec.frozen:
            return None
        if first and (self.forced(State.SUSPENDED) or (not live and rng.random() < 0.03)):
            at = self.suspended(at)
        if first and not live and cat.resolve_minutes >= 900 and rng.random() < 0.05:
            at = self.extended(at)
        return self.resolved(at)

    def returned(self, start: datetime) -> datetime:
        """The specialist sends the order back; a dispatcher routes it to a colleague."""
        rec, rng = self.rec, self.rng
        spec = rec.fields["specialist_id"]
        at = self.finish(start, self.dues["accept_due"], False, self.kind.category.accept_minutes)
        self.apply(
            at,
            Action.RETURN,
            self.user(spec),
            transitions.returned(self.dues, at),
            rng.choice(texts.RETURN_REASONS),
        )
        other = self.colleague(spec)
        at += minutes(rng.uniform(5, 40))
        self.mark_late(at)
        cat = self.kind.category
        sent = transitions.dispatched(
            self.dues, self.kind.spec, cat.accept_minutes, at, specialist=self.cast.name_of[other]
        )
        self.apply(
            at, Action.DISPATCH, rng.choice(self.cast.dispatchers), sent, specialist_id=other
        )
        return at

    def transferred(self, accepted: datetime) -> datetime:
        rec, rng = self.rec, self.rng
        old = rec.fields["specialist_id"]
        other = self.colleague(old)
        at = accepted + minutes(rng.uniform(10, 90))
        self.mark_late(at)
        extra = {}
        if self.call.code in NETWORK_WORK and self.cast.network_unit and rng.random() < 0.5:
            extra["unit_id"] = self.cast.network_unit
        handed = transitions.transferred(
            self.dues,
            self.kind.spec,
            self.kind.category.accept_minutes,
            at,
            **{"from": self.cast.name_of[old], "to": self.cast.name_of[other]},
        )
        self.apply(
            at,
            Action.TRANSFER,
            rng.choice(self.cast.dispatchers),
            handed,
            texts.NETWORK_TRANSFER_NOTE if extra else rng.choice(texts.TRANSFER_NOTES),
            specialist_id=other,
            **extra,
        )
        again = at + minutes(rng.uniform(5, 45))
        self.mark_late(again)
        self.apply(again, Action.ACCEPT, self.user(other), transitions.accepted(self.dues, again))
        return again

    def suspended(self, since: datetime) -> datetime:
        """Paused (the resident is away, parts are awaited); deadlines move by the pause."""
        rec, rng, spec = self.rec, self.rng, self.kind.spec
        at = since + minutes(rng.uniform(5, 40))
        self.mark_late(at)
        back = rec.state
        actor = self.user(rec.fields["specialist_id"])
        paused = transitions.suspended(back, at)
        self.apply(at, Action.SUSPEND, actor, paused, rng.choice(texts.SUSPEND_REASONS))
        resume = at + timedelta(hours=rng.uniform(3, 40))
        change = transitions.resumed(self.dues, spec, at, rec.fields["arrived_at"], back, resume)
        self.apply(resume, Action.RESUME, actor, change)
        return resume

    def extended(self, since: datetime) -> datetime:
        rec, rng = self.rec, self.rng
        at = since + minutes(rng.uniform(30, 240))
        self.mark_late(at)
        until = add_working_minutes(
            self.kind.spec, self.dues["resolve_due"], 450 * rng.randint(1, 3)
        )
        self.apply(
            at,
            Action.REQUEST_EXTENSION,
            self.user(rec.fields["specialist_id"]),
            transitions.extension_requested(until),
            rng.choice(texts.EXTENSION_REASONS),
        )
        decided = at + minutes(rng.uniform(20, 180))
        self.mark_late(decided)
        dispatcher = rng.choice(self.cast.dispatchers)
        approve = rng.random() < 0.8
        decision = transitions.extension_decided(approve, until, self.dues, rec.state, decided)
        action = Action.APPROVE_EXTENSION if approve else Action.DENY_EXTENSION
        note = "" if approve else "请按原定时限办结"
        self.apply(decided, action, dispatcher, decision, note)
        return decided

    def resolved(self, since: datetime) -> datetime | None:
        rec, rng, cat = self.rec, self.rng, self.kind.category
        work = rng.uniform(10, 90)
        if self.call.fate == "outage" and self.restored is not None:
            at = max(self.restored + minutes(rng.uniform(0, 40)), since + minutes(work))
        else:
            at = self.finish(
                since,
                self.dues["resolve_due"],
                self.late("resolve"),
                cat.resolve_minutes,
                minimum=work,
            )
        self.mark_late(at)
        if at > self.dues["resolve_due"] and rng.random() < 0.35:
            last = rec.last_at or since
            remind_at = last + (at - last) * rng.uniform(0.3, 0.9)
            by = self.cast.manager if rng.random() < 0.2 else rng.choice(self.cast.dispatchers)
            rec.meanwhile(
                remind_at, Action.REMIND, by, rng.choice(texts.REMIND_NOTES), {}, "reminder_count"
            )
        text = texts.resolution(rng, self.call.code)
        change = transitions.resolved(self.dues, self.kind.spec, cat.callback_minutes, text, at)
        done = self.apply(at, Action.RESOLVE, self.user(rec.fields["specialist_id"]), change, text)
        return at if done else None
