"""The specialist's part of a demo order: accept, arrive, resolve (and the detours).

Part of `mains.demo.lifecycle.Lifecycle`; the order being told and the clock helpers
come from `mains.demo.timing.Timing`.
"""

from datetime import datetime, timedelta

from mains.demo import texts
from mains.demo.timing import Timing, minutes
from mains.desk.sla import add_working_minutes, working_minutes_between
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
        rec.step(
            at,
            Action.ACCEPT,
            self.user(spec),
            State.ACCEPTED,
            accepted_at=at,
            **self.clock(State.ACCEPTED, at),
        )
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
            rec.step(
                done,
                Action.ARRIVE,
                self.user(rec.fields["specialist_id"]),
                State.ON_SITE,
                arrived_at=done,
                **self.clock(State.ON_SITE, done),
            )
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
        rec.step(
            at,
            Action.RETURN,
            self.user(spec),
            State.RETURNED,
            note=rng.choice(texts.RETURN_REASONS),
            accepted_at=None,
            **self.clock(State.RETURNED, at),
        )
        other = self.colleague(spec)
        at += minutes(rng.uniform(5, 40))
        self.mark_late(at)
        rec.step(
            at,
            Action.DISPATCH,
            rng.choice(self.cast.dispatchers),
            State.DISPATCHED,
            data={"specialist": self.cast.name_of[other]},
            specialist_id=other,
            dispatched_at=at,
            **self.clock(State.DISPATCHED, at),
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
        rec.step(
            at,
            Action.TRANSFER,
            rng.choice(self.cast.dispatchers),
            State.DISPATCHED,
            note=texts.NETWORK_TRANSFER_NOTE if extra else rng.choice(texts.TRANSFER_NOTES),
            data={"from": self.cast.name_of[old], "to": self.cast.name_of[other]},
            specialist_id=other,
            dispatched_at=at,
            accepted_at=None,
            **extra,
            **self.clock(State.DISPATCHED, at),
        )
        again = at + minutes(rng.uniform(5, 45))
        self.mark_late(again)
        rec.step(
            again,
            Action.ACCEPT,
            self.user(other),
            State.ACCEPTED,
            accepted_at=again,
            **self.clock(State.ACCEPTED, again),
        )
        return again

    def suspended(self, since: datetime) -> datetime:
        """Paused (the resident is away, parts are awaited); deadlines move by the pause."""
        rec, rng, spec = self.rec, self.rng, self.kind.spec
        at = since + minutes(rng.uniform(5, 40))
        self.mark_late(at)
        back = rec.state
        actor = self.user(rec.fields["specialist_id"])
        rec.step(
            at,
            Action.SUSPEND,
            actor,
            State.SUSPENDED,
            note=rng.choice(texts.SUSPEND_REASONS),
            paused_at=at,
            state_before_suspend=back,
            current_due=None,
            warn_at=None,
            sla_level="green",
        )
        resume = at + timedelta(hours=rng.uniform(3, 40))
        paused = working_minutes_between(spec, at, resume)
        if self.dues["arrive_due"] is not None and rec.fields["arrived_at"] is None:
            self.dues["arrive_due"] = add_working_minutes(spec, self.dues["arrive_due"], paused)
        self.dues["resolve_due"] = add_working_minutes(spec, self.dues["resolve_due"], paused)
        rec.step(
            resume,
            Action.RESUME,
            actor,
            back,
            data={"paused_minutes": round(paused, 1)},
            paused_at=None,
            state_before_suspend="",
            arrive_due=self.dues["arrive_due"],
            resolve_due=self.dues["resolve_due"],
            **self.clock(back, resume),
        )
        return resume

    def extended(self, since: datetime) -> datetime:
        rec, rng = self.rec, self.rng
        at = since + minutes(rng.uniform(30, 240))
        self.mark_late(at)
        until = add_working_minutes(
            self.kind.spec, self.dues["resolve_due"], 450 * rng.randint(1, 3)
        )
        rec.step(
            at,
            Action.REQUEST_EXTENSION,
            self.user(rec.fields["specialist_id"]),
            note=rng.choice(texts.EXTENSION_REASONS),
            data={"until": until.isoformat()},
            extension_requested_until=until,
        )
        decided = at + minutes(rng.uniform(20, 180))
        self.mark_late(decided)
        dispatcher = rng.choice(self.cast.dispatchers)
        if rng.random() < 0.8:
            self.dues["resolve_due"] = until
            rec.step(
                decided,
                Action.APPROVE_EXTENSION,
                dispatcher,
                data={"until": until.isoformat()},
                extension_requested_until=None,
                resolve_due=until,
                **self.clock(rec.state, decided),
            )
        else:
            rec.step(
                decided,
                Action.DENY_EXTENSION,
                dispatcher,
                note="请按原定时限办结",
                data={"until": until.isoformat()},
                extension_requested_until=None,
            )
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
        self.dues["callback_due"] = add_working_minutes(self.kind.spec, at, cat.callback_minutes)
        text = texts.resolution(rng, self.call.code)
        done = rec.step(
            at,
            Action.RESOLVE,
            self.user(rec.fields["specialist_id"]),
            State.RESOLVED,
            note=text,
            resolved_at=at,
            resolution=text,
            callback_due=self.dues["callback_due"],
            **self.clock(State.RESOLVED, at),
        )
        return at if done else None
