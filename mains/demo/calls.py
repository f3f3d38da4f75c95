"""The calls of the demo period: who called, when, from which community, about what."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from mains.areas.models import Community
from mains.demo import names, texts
from mains.demo.grids import Areas
from mains.demo.patterns import Window, in_heating_season, moment, plan_days
from mains.desk.models import Channel
from mains.desk.states import State
from mains.org.models import Utility

# Open states the newest orders are guaranteed to show, and how long ago (hours) they came in.
LIVE_TARGETS = {
    State.RECEIVED: (0.1, 1.5),
    State.DISPATCHED: (0.2, 3),
    State.RETURNED: (1, 5),
    State.ACCEPTED: (1, 6),
    State.ON_SITE: (2, 8),
    State.SUSPENDED: (3, 30),
    State.RESOLVED: (26, 40),
    State.REOPENED: (50, 70),
}
ROAD_CATEGORIES = ("W-BURST", "W-DAMAGE")
OUTAGE_GRID = "XC05"


@dataclass
class Call:
    at: datetime
    code: str
    community: Community | None
    channel: str
    caller_name: str
    caller_phone: str
    address: str
    description: str
    fate: str = ""  # "", "outage" or "live"
    stop: str | None = None
    surge: bool = False


class Callers:
    """Residents who phone more than once, so caller history shows their earlier orders."""

    def __init__(self, rng: random.Random, communities: list[Community]):
        self.rng = rng
        self.known: dict[int, list[tuple[str, str]]] = {c.pk: [] for c in communities}

    def pick(self, community: Community | None) -> tuple[str, str]:
        rng = self.rng
        pool = self.known.get(community.pk, []) if community else []
        if pool and rng.random() < 0.45:
            return rng.choice(pool)
        phone = names.landline(rng) if rng.random() < 0.08 else names.mobile(rng)
        caller = (names.caller_name(rng), phone)
        if community is not None and rng.random() < 0.5:
            pool.append(caller)
        return caller


class CallPlanner:
    def __init__(
        self, rng: random.Random, areas: Areas, window: Window, now: datetime, tz, codes: list[str]
    ):
        self.rng, self.areas, self.window, self.now, self.tz = rng, areas, window, now, tz
        self.codes = codes  # the active categories
        self.callers = Callers(rng, areas.communities)
        self.homes = {u: [c for c in areas.communities if c.utility == u] for u in Utility.values}
        self.cum = {}
        for utility, homes in self.homes.items():
            total, cum = 0, []
            for home in homes:
                total += home.households
                cum.append(total)
            self.cum[utility] = cum
        kf = next((g for g in areas.grids if g.grid.code == "KF01"), areas.grids[0])
        self.hotspots = kf.communities[:3]  # 水岸新城 and its neighbours: weak flow at peaks

    def home(self, code: str) -> Community | None:
        utility = Utility.HEAT if code.startswith("H-") else Utility.WATER
        if not self.homes[utility]:
            return None
        return self.rng.choices(self.homes[utility], cum_weights=self.cum[utility])[0]

    def usable(self, *codes: str) -> list[str]:
        return [code for code in codes if code in self.codes]

    def call(
        self, at: datetime, code: str, community: Community | None, hotline: bool = False, **extra
    ) -> Call:
        rng = self.rng
        channel = Channel.HOTLINE
        roll = 1.0 if hotline else rng.random()
        if code in ("W-BURST", "W-PRESSURE") and roll < (0.15 if code == "W-BURST" else 0.02):
            channel = Channel.ALARM
        elif code in ("W-COMPLAINT", "W-QUALITY", "H-COMPLAINT") and roll < 0.05:
            channel = Channel.SUPERVISOR
        elif roll < 0.07:
            channel = Channel.WEB
        elif roll < 0.10:
            channel = Channel.API
        elif roll < 0.12:
            channel = Channel.WALK_IN
        if community is None:
            first, second = rng.sample(names.STREETS, 2)
            address = f"{first}与{second}交叉口"
            place = address
        else:
            buildings = max(2, community.households // 60)
            building, entrance = rng.randint(1, buildings), rng.randint(1, 4)
            floor = rng.randint(1, 6 if community.households < 700 else 18)
            address = f"{community.name}{building}号楼{entrance}单元{floor}0{rng.randint(1, 4)}"
            place = community.name
        building, entrance = rng.randint(1, 20), rng.randint(1, 4)
        description = texts.describe(rng, code, place, building, entrance)
        caller_name, caller_phone = "", ""
        if channel == Channel.ALARM:
            description = (
                "总表流量突增、压力骤降，疑似爆管（监测报警）"
                if code == "W-BURST"
                else "高峰时段管网压力低于0.16MPa（监测报警）"
            )
        elif channel != Channel.SUPERVISOR:
            caller_name, caller_phone = self.callers.pick(community)
        return Call(
            at=at,
            code=code,
            community=community,
            channel=channel,
            caller_name=caller_name,
            caller_phone=caller_phone,
            address=address,
            description=description,
            **extra,
        )

    def everyday(self, codes: list[str], working: dict[date, bool], count: int) -> list[Call]:
        calls = []
        rng, snap = self.rng, set(self.window.cold_snap)
        for day, code in plan_days(rng, codes, self.window, working, count):
            hotspot = code == "W-PRESSURE" and rng.random() < 0.3
            community = rng.choice(self.hotspots) if hotspot else self.home(code)
            if code in ROAD_CATEGORIES and rng.random() < 0.25 or rng.random() < 0.01:
                community = None
            at = moment(rng, day, code, day.weekday() >= 5, self.tz, self.now, peak_only=hotspot)
            surge = code.startswith("H-") and day in snap
            calls.append(self.call(at, code, community, surge=surge))
        return calls

    def outage(self, count: int) -> tuple[list[Call], datetime | None]:
        """A main bursts one afternoon; its communities go dry and call in."""
        day = self.window.outage_day
        if day is None or count <= 0 or len(self.usable("W-BURST", "W-NOWATER")) < 2:
            return [], None
        rng = self.rng
        grid = next(
            (g for g in self.areas.grids if g.grid.code == OUTAGE_GRID), self.areas.grids[0]
        )
        affected = sorted(grid.communities, key=lambda c: -c.households)[:4]
        burst = datetime.combine(day, time(13, 52), self.tz)
        restored = datetime.combine(day, time(19, 20), self.tz)
        calls = [
            self.call(burst + timedelta(minutes=3), "W-BURST", None, fate="outage", surge=True)
        ]
        weights = [c.households for c in affected]
        for _ in range(count - 1):
            minutes = min(8 + rng.expovariate(1 / 50), 300)
            community = rng.choices(affected, weights=weights)[0]
            calls.append(
                self.call(
                    burst + timedelta(minutes=minutes),
                    "W-NOWATER",
                    community,
                    fate="outage",
                    surge=True,
                )
            )
        return calls, restored

    def live(self, reps: int, heat_season: bool) -> list[Call]:
        """The newest orders, stopped in every open state (half of them on the demo grid)."""
        rng, calls = self.rng, []
        demo_homes = [c for c in self.areas.demo_grid.communities if c.utility == Utility.WATER]
        water = self.usable("W-LEAK", "W-NOWATER", "W-PRESSURE")
        road = self.usable(*ROAD_CATEGORIES) or water
        if not water:
            return []
        for rep in range(reps):
            for target, (low, high) in LIVE_TARGETS.items():
                at = self.now - timedelta(hours=rng.uniform(low, high))
                if target == State.RECEIVED:
                    code, community = rng.choice(road), None
                elif (
                    heat_season
                    and rep % 4 == 3
                    and self.homes[Utility.HEAT]
                    and self.usable("H-COLD")
                ):
                    code = "H-COLD"
                    community = self.home(code)
                else:
                    code = rng.choice(water)
                    community = (
                        rng.choice(demo_homes) if rep % 2 == 0 and demo_homes else self.home(code)
                    )
                calls.append(self.call(at, code, community, hotline=True, fate="live", stop=target))
        return calls


def plan_calls(
    rng, areas, window, now, tz, codes, working, count
) -> tuple[list[Call], datetime | None]:
    """Every call of the period in time order, and when the outage ended."""
    planner = CallPlanner(rng, areas, window, now, tz, codes)
    reps = max(1, min(20, count // 5000 + 1))
    live = planner.live(reps, in_heating_season(window.days[-1]))
    outage, restored = planner.outage(
        min(600, max(30, round(count * 0.004))) if count >= 500 else 0
    )
    rest = max(0, count - len(live) - len(outage))
    calls = planner.everyday(codes, working, rest) + outage + live
    calls.sort(key=lambda c: c.at)
    return calls[-count:] if len(calls) > count else calls, restored
