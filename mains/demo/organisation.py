"""The demo utility's organisation: the unit tree, the staff and their log-ins."""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from mains.demo import names
from mains.desk.models import Category
from mains.org.models import Unit, User
from mains.org.roles import Role

DEMO_PASSWORD = "mains-demo"
HOTLINE = "96568"
# Staff beyond the one log-in per role, so histories show more than one face.
EXTRA_AGENTS = [f"kf{i:02d}" for i in range(1, 7)]
EXTRA_DISPATCHERS = ["dd01", "dd02"]
SPECIALIST_COUNT = 38
FORMER_SPECIALISTS = 3
SPECIALIST_USERNAMES = ["specialist"] + [
    f"wg{i:02d}" for i in range(2, SPECIALIST_COUNT + FORMER_SPECIALISTS + 1)
]
# Ten social supervisors: the `supervisor` log-in and sv02…sv10.
SUPERVISOR_USERNAMES = ["supervisor"] + [f"sv{i:02d}" for i in range(2, 11)]
ROLE_USERNAMES = [role.value for role in Role]
DEMO_USERNAMES = (
    ROLE_USERNAMES
    + EXTRA_AGENTS
    + EXTRA_DISPATCHERS
    + SPECIALIST_USERNAMES
    + SUPERVISOR_USERNAMES[1:]
)

GROUP = "聊城水务集团"
CUSTOMER_SERVICE = "客服中心"
WATER_QUALITY = "水质检测中心"
NETWORK = "管网所"
# name → (kind, parent)
UNITS = {
    GROUP: (Unit.Kind.GROUP, None),
    "城区供水公司": (Unit.Kind.SUBSIDIARY, GROUP),
    "开发区供水公司": (Unit.Kind.SUBSIDIARY, GROUP),
    "热力公司": (Unit.Kind.SUBSIDIARY, GROUP),
    CUSTOMER_SERVICE: (Unit.Kind.DEPARTMENT, GROUP),
    WATER_QUALITY: (Unit.Kind.DEPARTMENT, GROUP),
    NETWORK: (Unit.Kind.DEPARTMENT, "城区供水公司"),
    "表务所": (Unit.Kind.DEPARTMENT, "城区供水公司"),
    "东城供水服务站": (Unit.Kind.TEAM, "城区供水公司"),
    "西城供水服务站": (Unit.Kind.TEAM, "城区供水公司"),
    "南城供水服务站": (Unit.Kind.TEAM, "城区供水公司"),
    "北城供水服务站": (Unit.Kind.TEAM, "城区供水公司"),
    "开发区供水服务站": (Unit.Kind.TEAM, "开发区供水公司"),
    "高新区供水服务站": (Unit.Kind.TEAM, "开发区供水公司"),
    "供热一站": (Unit.Kind.TEAM, "热力公司"),
    "供热二站": (Unit.Kind.TEAM, "热力公司"),
}
# Categories answered by a department rather than the grid's station.
CATEGORY_UNITS = {
    "W-BILL": CUSTOMER_SERVICE,
    "W-COMPLAINT": CUSTOMER_SERVICE,
    "H-BILL": CUSTOMER_SERVICE,
    "H-COMPLAINT": CUSTOMER_SERVICE,
    "W-QUALITY": WATER_QUALITY,
}
# role → unit of its demo log-in
ROLE_UNITS = {
    Role.AGENT: CUSTOMER_SERVICE,
    Role.DISPATCHER: CUSTOMER_SERVICE,
    Role.SPECIALIST: "东城供水服务站",
    Role.UNIT_MANAGER: "东城供水服务站",
    Role.SUPERVISOR: None,
    Role.INSPECTOR: GROUP,
    Role.ENGINEER: NETWORK,
    Role.MANAGER: GROUP,
    Role.ADMIN: GROUP,
}


@dataclass
class Staff:
    units: dict[str, Unit]
    by_role: dict[str, User]
    agents: list[User] = field(default_factory=list)
    dispatchers: list[User] = field(default_factory=list)


def build_units(rng: random.Random) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for name, (kind, parent) in UNITS.items():
        phone = HOTLINE if kind == Unit.Kind.GROUP else "0635-8" + f"{rng.randint(0, 999999):06d}"
        units[name] = Unit.objects.create(
            name=name, kind=kind, parent=units[parent] if parent else None, phone=phone
        )
    return units


def assign_category_units(units: dict[str, Unit]) -> None:
    for code, unit_name in CATEGORY_UNITS.items():
        Category.objects.filter(code=code).update(unit=units[unit_name])


def upsert_users(specs: list[dict]) -> dict[str, User]:
    """Create the demo log-ins (or update those kept because the access log names them)."""
    password = make_password(DEMO_PASSWORD)
    existing = {
        u.username: u for u in User.objects.filter(username__in=[s["username"] for s in specs])
    }
    users, new = {}, []
    for spec in specs:
        user = existing.get(spec["username"]) or User(username=spec["username"])
        for name, value in spec.items():
            setattr(user, name, value)
        user.password = password
        user.is_active = True
        user.is_staff = user.is_superuser = spec["role"] == Role.ADMIN
        if user.pk:
            user.save()
        else:
            new.append(user)
        users[user.username] = user
    User.objects.bulk_create(new)
    return users


def build_staff(rng: random.Random, units: dict[str, Unit]) -> Staff:
    """One log-in per role (user name = role) and a few more agents and dispatchers."""
    specs = []
    for role in Role:
        if role == Role.SPECIALIST:
            continue  # specialists come with their grids
        unit_name = ROLE_UNITS[role]
        specs.append(
            dict(
                username=role.value,
                role=role.value,
                full_name=names.person_name(rng),
                unit=units[unit_name] if unit_name else None,
                phone=names.mobile(rng, "139"),
            )
        )
    for username in EXTRA_AGENTS:
        specs.append(
            dict(
                username=username,
                role=Role.AGENT.value,
                phone="",
                full_name=names.person_name(rng),
                unit=units[CUSTOMER_SERVICE],
            )
        )
    for username in EXTRA_DISPATCHERS:
        specs.append(
            dict(
                username=username,
                role=Role.DISPATCHER.value,
                phone="",
                full_name=names.person_name(rng),
                unit=units[CUSTOMER_SERVICE],
            )
        )
    users = upsert_users(specs)
    return Staff(
        units=units,
        by_role={role.value: users[role.value] for role in Role if role.value in users},
        agents=[users[Role.AGENT.value]] + [users[u] for u in EXTRA_AGENTS],
        dispatchers=[users[Role.DISPATCHER.value]] + [users[u] for u in EXTRA_DISPATCHERS],
    )
