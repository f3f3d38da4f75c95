"""The demo city's grids: specialists, communities and who answered for which grid when."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from mains.areas.models import Community, Grid, GridAssignment, Specialist
from mains.demo import names
from mains.demo.organisation import SPECIALIST_USERNAMES, upsert_users
from mains.lib.pinyin import full_pinyin, pinyin_initials
from mains.org.models import Unit, User, Utility
from mains.org.roles import Role

CENTRE = (36.456, 115.985)  # Liaocheng
# station → (grid code prefix, number of grids, offset of its area from the centre in degrees)
STATIONS = [
    ("东城供水服务站", "DC", 9, (0.0, 0.035)),
    ("西城供水服务站", "XC", 8, (0.0, -0.035)),
    ("南城供水服务站", "NC", 6, (-0.03, 0.0)),
    ("北城供水服务站", "BC", 5, (0.03, 0.0)),
    ("开发区供水服务站", "KF", 4, (-0.025, 0.07)),
    ("高新区供水服务站", "GX", 2, (0.03, 0.065)),
    ("供热一站", "RL", 2, (0.01, 0.01)),
    ("供热二站", "RL", 2, (-0.01, -0.01)),
]
HEAT_STATIONS = {"供热一站", "供热二站"}
# Communities of the sources and the grid they belong to.
REAL_HOMES = {
    "星光水晶城": "DC01",
    "东关国际": "DC01",
    "锦绣家园": "XC01",
    "西湖馨苑": "XC02",
    "光彩小区": "XC03",
    "望湖小区": "NC01",
    "龙湾小区": "BC01",
    "豆营小区": "NC02",
    "水岸新城": "KF01",
}
REASSIGNED_GRIDS = ["DC05", "XC04", "NC03"]  # had another specialist earlier in the period

DUTIES = (
    "负责{grid}所辖{count}个小区的{what}服务；受理居民报修、咨询和投诉，接到电话第一时间上门处理；"
    "定期巡查小区{facility}，发现隐患及时上报；入驻小区业主微信群，及时解答用户问题；"
    "为老年人等特殊群体提供上门缴费、代办业务等帮扶服务。"
)
WATER_SERVICES = (
    "用水报修（漏水、水压低、停水）；表务服务（换表、移表、水表校验）；水费查询与缴费指导；"
    "水质咨询；停水通知与应急送水协调；节约用水与供水政策宣传。"
)
HEAT_SERVICES = (
    "供暖报修（室温不达标、暖气漏水）；报停与开栓办理；热费查询与缴费指导；室温测量；供热政策宣传。"
)


@dataclass
class GridPlan:
    grid: Grid
    unit_id: int
    heat: bool
    # (from, until, specialist) in time order
    periods: list[tuple[datetime, datetime | None, Specialist]] = field(default_factory=list)
    communities: list[Community] = field(default_factory=list)

    def specialist_at(self, at: datetime) -> Specialist:
        for start, _end, specialist in reversed(self.periods):
            if start <= at:
                return specialist
        return self.periods[0][2]


@dataclass
class Areas:
    grids: list[GridPlan]
    communities: list[Community]
    demo_grid: GridPlan
    by_id: dict[int, GridPlan]


def _specialist(rng, user: User, grid_label: str, count: int, heat: bool) -> Specialist:
    what, facility = ("供热", "供热设施") if heat else ("供水", "供水设施")
    return Specialist(
        user=user,
        name=user.full_name,
        phone=user.phone,
        duties=DUTIES.format(grid=grid_label, count=count, what=what, facility=facility),
        service_content=HEAT_SERVICES if heat else WATER_SERVICES,
    )


def _plans(units: dict[str, Unit]) -> list[tuple[str, str, Unit, bool, tuple]]:
    rows, area_index, heat_no = [], 0, 0
    for station, prefix, count, offset in STATIONS:
        for i in range(count):
            if station in HEAT_STATIONS:
                heat_no += 1
                code = f"{prefix}{heat_no:02d}"
            else:
                code = f"{prefix}{i + 1:02d}"
            rows.append(
                (
                    code,
                    names.AREAS[area_index] + "网格",
                    units[station],
                    station in HEAT_STATIONS,
                    offset,
                )
            )
            area_index += 1
    return rows


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    sizes = [total // parts] * parts
    for i in range(total - sum(sizes)):
        sizes[i % parts] += 1
    for _ in range(parts):  # some grids are a little bigger than others
        a, b = rng.randrange(parts), rng.randrange(parts)
        if sizes[a] > 9:
            sizes[a] -= 1
            sizes[b] += 1
    return sizes


def build_areas(
    rng: random.Random,
    units: dict[str, Unit],
    communities: int,
    start: datetime,
    admin: User | None,
) -> Areas:
    rows = _plans(units)
    phones: set[str] = set()
    while len(phones) < len(SPECIALIST_USERNAMES):
        phones.add(names.mobile(rng, "139"))
    by_code = {r[0]: r for r in rows}
    # The current specialists first, then those who handed their grid over.
    homes_of = [r for r in rows] + [by_code[code] for code in REASSIGNED_GRIDS]
    people = [
        dict(
            username=username,
            role=Role.SPECIALIST.value,
            full_name=names.person_name(rng),
            phone=phone,
            unit=homes_of[i][2],
        )
        for i, (username, phone) in enumerate(
            zip(SPECIALIST_USERNAMES, sorted(phones), strict=True)
        )
    ]
    users = upsert_users(people)
    heat_total = round(communities * 0.1)
    heat_grids = [r for r in rows if r[3]]
    water_grids = [r for r in rows if not r[3]]
    sizes = dict(
        zip([r[0] for r in heat_grids], _split(heat_total, len(heat_grids), rng), strict=True)
    )
    sizes.update(
        zip(
            [r[0] for r in water_grids],
            _split(communities - heat_total, len(water_grids), rng),
            strict=True,
        )
    )

    specialists, grids = [], []
    for i, (code, label, unit, heat, _offset) in enumerate(rows):
        user = users[SPECIALIST_USERNAMES[i]]
        specialists.append(_specialist(rng, user, label, sizes[code], heat))
        grids.append(Grid(code=code, name=label, unit=unit))
    former = {
        code: _specialist(rng, users[username], by_code[code][1], sizes[code], False)
        for code, username in zip(REASSIGNED_GRIDS, SPECIALIST_USERNAMES[len(rows) :], strict=True)
    }
    Specialist.objects.bulk_create(specialists + list(former.values()))
    Grid.objects.bulk_create(grids)
    plans = _assign(rng, rows, grids, specialists, former, start, admin)
    homes = _communities(rng, rows, plans, sizes)
    Community.objects.bulk_create(homes)
    demo = next(p for p in plans if p.grid.code == "DC01")
    return Areas(
        grids=plans, communities=homes, demo_grid=demo, by_id={p.grid.pk: p for p in plans}
    )


def _assign(rng, rows, grids, specialists, former, start, admin) -> list[GridPlan]:
    """Each grid's assignment history; deputies are the next specialist of the same station."""
    began = start - timedelta(days=90)
    plans, assignments = [], []
    for i, grid in enumerate(grids):
        unit = rows[i][2]
        same_unit = [j for j, r in enumerate(rows) if r[2] == unit]
        deputy = specialists[same_unit[(same_unit.index(i) + 1) % len(same_unit)]]
        if deputy is specialists[i]:
            deputy = None
        plan = GridPlan(grid=grid, unit_id=unit.pk, heat=rows[i][3])
        if grid.code in former:
            old = former[grid.code]
            switched = start + timedelta(days=rng.randint(30, 120), hours=9)
            assignments.append(
                GridAssignment(
                    grid=grid,
                    specialist=old,
                    deputy=deputy,
                    started_at=began,
                    ended_at=switched,
                    assigned_by=admin,
                )
            )
            plan.periods.append((began, switched, old))
            deputy = old  # the old hand stays on as deputy
            began_here = switched
        else:
            began_here = began
        assignments.append(
            GridAssignment(
                grid=grid,
                specialist=specialists[i],
                deputy=deputy,
                started_at=began_here,
                assigned_by=admin,
            )
        )
        plan.periods.append((began_here, None, specialists[i]))
        grid.specialist, grid.deputy = specialists[i], deputy
        plans.append(plan)
    Grid.objects.bulk_update(grids, ["specialist", "deputy"])
    GridAssignment.objects.bulk_create(assignments)
    return plans


def _communities(rng, rows, plans, sizes) -> list[Community]:
    invented = iter(
        names.community_names(rng, sum(sizes.values()) + len(names.REAL_COMMUNITIES))[
            len(names.REAL_COMMUNITIES) :
        ]
    )
    homes: list[Community] = []
    for (code, _label, _unit, heat, offset), plan in zip(rows, plans, strict=True):
        real = [n for n, c in REAL_HOMES.items() if c == code]
        centre = (
            CENTRE[0] + offset[0] + rng.uniform(-0.02, 0.02),
            CENTRE[1] + offset[1] + rng.uniform(-0.02, 0.02),
        )
        for k in range(sizes[code]):
            name = real[k] if k < len(real) else next(invented)
            small = name.endswith(("宿舍", "家属院"))
            households = rng.randint(200, 600) if small else int(rng.triangular(250, 3000, 700))
            home = Community(
                name=name,
                pinyin=full_pinyin(name),
                initials=pinyin_initials(name),
                address=names.address(rng),
                latitude=Decimal(f"{centre[0] + rng.gauss(0, 0.006):.6f}"),
                longitude=Decimal(f"{centre[1] + rng.gauss(0, 0.007):.6f}"),
                households=households,
                utility=Utility.HEAT if heat else Utility.WATER,
                grid=plan.grid,
            )
            homes.append(home)
            plan.communities.append(home)
    return homes
