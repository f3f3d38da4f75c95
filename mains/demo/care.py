"""The demo city's special-group residents (特殊群体) and the specialists' visits to them."""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from mains.areas.models import Community
from mains.care.models import Resident, Visit
from mains.demo import names
from mains.demo.grids import Areas, GridPlan

RESIDENTS = 60
ON_DEMO_GRID = 10  # the `specialist` log-in looks after these
DUE_SHARE = 0.25
INTERVALS = (14, 21, 30)
GROUPS = [(Resident.Group.ELDERLY_ALONE, 0.7), (Resident.Group.DISABLED, 0.3)]
CONSENT_NOTES = [
    "本人签字同意登记（纸质同意书存档）",
    "本人口头同意，子女电话确认并签字",
    "监护人代为签字同意",
    "社区居委会陪同上门，本人签字同意",
]
NOTES = {
    Resident.Group.ELDERLY_ALONE: [
        "独居，子女在外地，不会用手机缴费",
        "独居老人，听力较差，上门前请先敲门并电话联系",
        "独居，腿脚不便，水表在楼道内",
    ],
    Resident.Group.DISABLED: [
        "肢体残疾，轮椅出行，家中水龙头已加装长柄",
        "视力残疾，需读表告知用水量",
        "听力残疾，请用短信联系",
    ],
}
HELP = [
    (
        Visit.Help.PAID_BILL,
        0.35,
        ["代缴水费{amount}元，已告知余额", "协助用手机缴纳水费{amount}元"],
    ),
    (
        Visit.Help.METER,
        0.25,
        ["检查水表读数正常，户内管道无渗漏", "水表走字正常，更换了厨房角阀垫片"],
    ),
    (
        Visit.Help.CHAT,
        0.25,
        ["上门走访，身体状况良好，无用水困难", "电话后上门看望，讲解冬季水表防冻"],
    ),
    (
        Visit.Help.REPAIR,
        0.1,
        ["卫生间水龙头滴水，已登记报修并上门更换", "马桶水箱漏水，联系维修已处理"],
    ),
    (Visit.Help.OTHER, 0.05, ["协助办理水费发票", "代办户名变更手续"]),
]


@dataclass
class CareStats:
    residents: int = 0
    visits: int = 0
    due: int = 0


def _daytime(rng: random.Random, at: datetime) -> datetime:
    day = timezone.localdate(at)
    return timezone.make_aware(datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59))))


def _visits(rng, resident: Resident, plan: GridPlan, now: datetime, due: bool) -> list[Visit]:
    """The visits so far, newest first; a due resident's interval has just run out."""
    every = timedelta(days=resident.visit_every_days)
    if due:
        last = now - every - timedelta(days=rng.uniform(0.2, 6))
    else:
        last = now - timedelta(days=rng.uniform(1, resident.visit_every_days - 3))
    at, visits = min(_daytime(rng, last), now - timedelta(hours=1)), []
    while at > resident.consent_at + timedelta(days=1):
        help_code, _weight, notes = rng.choices(HELP, weights=[h[1] for h in HELP])[0]
        note = rng.choice(notes).format(amount=rng.randint(3, 12) * 10)
        visits.append(
            Visit(
                resident=resident,
                by_id=plan.specialist_at(at).user_id,
                at=at,
                help=help_code,
                note=note,
            )
        )
        at = _daytime(rng, at - every + timedelta(days=rng.uniform(-3, 2)))
    return visits


def build_care(rng: random.Random, now: datetime, start: datetime, areas: Areas) -> CareStats:
    demo_homes = list(areas.demo_grid.communities)
    others = [c for c in areas.communities if c.grid_id != areas.demo_grid.grid.pk]
    homes: list[Community] = [rng.choice(demo_homes) for _ in range(ON_DEMO_GRID)]
    homes += [rng.choice(others) for _ in range(RESIDENTS - ON_DEMO_GRID)]
    due_on_demo = max(2, round(ON_DEMO_GRID * DUE_SHARE))
    stats = CareStats()
    residents, visits = [], []
    for i, community in enumerate(homes):
        plan = areas.by_id[community.grid_id or 0]  # every demo community has a grid
        group = rng.choices([g for g, _w in GROUPS], weights=[w for _g, w in GROUPS])[0]
        consent = _daytime(rng, start - timedelta(days=rng.uniform(5, 60)))
        elderly = group == Resident.Group.ELDERLY_ALONE
        resident = Resident(
            name=names.person_name(rng),
            phone=names.landline(rng) if elderly and rng.random() < 0.4 else names.mobile(rng),
            address=f"{names.address(rng)} {rng.randint(1, 20)}号楼{rng.randint(1, 4)}单元"
            f"{rng.randint(1, 6)}0{rng.randint(1, 4)}",
            community=community,
            group=group,
            consent_at=consent,
            consent_by_id=plan.specialist_at(consent).user_id,
            consent_note=rng.choice(CONSENT_NOTES),
            visit_every_days=rng.choice(INTERVALS),
            notes=rng.choice(NOTES[group]),
        )
        due = i < due_on_demo if i < ON_DEMO_GRID else rng.random() < DUE_SHARE
        mine = _visits(rng, resident, plan, now, due)
        resident.last_visit_at = mine[0].at if mine else None
        stats.due += resident.next_visit_due <= now
        residents.append(resident)
        visits.extend(mine)
    Resident.objects.bulk_create(residents)
    Visit.objects.bulk_create(visits, batch_size=500)  # residents have their ids by now
    stats.residents, stats.visits = len(residents), len(visits)
    return stats
