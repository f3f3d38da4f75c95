"""The demo city's ten social supervisors (社会监督员) and six months of their observations."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from mains.demo import names
from mains.demo.grids import Areas
from mains.demo.organisation import SUPERVISOR_USERNAMES, upsert_users
from mains.org.models import User
from mains.org.roles import Role
from mains.supervision.models import Observation

# Who they are: people from government, universities, the media and property managers.
SUPERVISORS = [
    "王建华（市人大代表）",
    "李淑芬（市政协委员）",
    "张立新（聊城大学）",
    "刘志强（聊城职业技术学院）",
    "陈晓燕（聊城日报社）",
    "赵明（聊城广播电视台）",
    "孙丽萍（东昌府区住建局）",
    "周海涛（市营商环境监督员）",
    "吴桂兰（阳光物业公司）",
    "郑国庆（鑫源物业服务中心）",
]
OBSERVATIONS = 30
OPEN_RECENT = 3  # filed in the last days, not due yet
Kind = Observation.Kind
REMARKS = {
    Kind.SERVICE: [
        "{community}居民反映报修后维修人员上门较晚，希望缩短到场时间。",
        "{community}停水通知张贴不够及时，部分居民未看到。",
        "热线高峰时段等待时间较长，建议增加坐席。",
        "{community}网格员服务热情，居民满意，建议表扬。",
        "{community}公示牌上的电话无人接听，请核实。",
    ],
    Kind.INTEGRITY: [
        "有居民反映维修时被推荐购买指定品牌的水表配件，请核查。",
        "{community}换表收费标准不清楚，建议公开收费依据。",
    ],
    Kind.BUSINESS: [
        "开发区企业新装水表办理时间较长，建议精简材料。",
        "小微企业用水报装需多次跑腿，建议推行一次办结。",
    ],
    Kind.OTHER: [
        "建议在公众号增加停水查询功能。",
        "{community}老旧管网漏损较多，建议纳入改造计划。",
    ],
}
KIND_WEIGHTS = {Kind.SERVICE: 0.55, Kind.INTEGRITY: 0.15, Kind.BUSINESS: 0.15, Kind.OTHER: 0.15}
ANSWERS = [
    "已核实，责令相关网格员整改，并于三日内回访居民。",
    "感谢监督。已调整排班，高峰时段增加人员。",
    "已调查处理，情况属实，已对相关人员批评教育并退还费用。",
    "已纳入下一阶段工作计划，届时向您反馈进展。",
    "经核实，该情况已处理完毕，居民表示满意。",
]


@dataclass
class SupervisionStats:
    supervisors: int = 0
    observations: int = 0
    answered: int = 0
    open: int = 0
    overdue: int = 0


def build_supervisors(rng: random.Random) -> list[User]:
    """Ten log-ins with the supervisor role; `supervisor` is the first of them."""
    specs = [
        dict(
            username=username,
            role=Role.SUPERVISOR.value,
            full_name=full_name,
            unit=None,
            phone=names.mobile(rng, "138"),
        )
        for username, full_name in zip(SUPERVISOR_USERNAMES, SUPERVISORS, strict=True)
    ]
    users = upsert_users(specs)
    return [users[u] for u in SUPERVISOR_USERNAMES]


def build_observations(
    rng: random.Random,
    now: datetime,
    start: datetime,
    areas: Areas,
    supervisors: list[User],
    manager: User | None,
) -> SupervisionStats:
    """Observations over the period, answered by the manager; a few open, one overdue."""
    span, answer_time = now - start, timedelta(days=settings.SUPERVISION_ANSWER_DAYS)
    latest = min(0.95, 1 - (answer_time + timedelta(days=2)) / span)  # answered by now
    count = OBSERVATIONS - OPEN_RECENT - 1
    filed = sorted(start + span * rng.uniform(0.02, latest) for _ in range(count))
    overdue_at = now - answer_time - timedelta(days=rng.uniform(1, 3))
    recent = [
        now - timedelta(days=rng.uniform(0.1, settings.SUPERVISION_ANSWER_DAYS - 1))
        for _ in range(OPEN_RECENT)
    ]
    stats = SupervisionStats(supervisors=len(supervisors))
    rows = []
    for i, at in enumerate([*filed, overdue_at, *sorted(recent)]):
        kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        community = rng.choice(areas.communities)
        text = rng.choice(REMARKS[kind])
        row = Observation(
            supervisor=supervisors[i % len(supervisors) if i < count else i - count],
            kind=kind,
            community=community if "{community}" in text else None,
            text=text.format(community=community.name),
            filed_at=at,
            answer_due=at + answer_time,
        )
        answered = at + timedelta(
            days=rng.uniform(0.5, settings.SUPERVISION_ANSWER_DAYS + 1)
        )  # a few late
        if i < count and manager is not None:
            row.answer, row.answered_by, row.answered_at = rng.choice(ANSWERS), manager, answered
            stats.answered += 1
        else:
            stats.open += 1
            stats.overdue += row.answer_due < now
        rows.append(row)
    Observation.objects.bulk_create(rows)
    stats.observations = len(rows)
    return stats
