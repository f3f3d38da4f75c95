"""The named cast every test can use: one user per role, two grids in two units."""

from dataclasses import dataclass

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from mains.areas.actions import do_assign_grid
from mains.areas.models import Community, Grid, Specialist
from mains.desk.defaults import install as install_defaults
from mains.desk.models import Category
from mains.org.models import Unit, User
from mains.org.roles import Role


def pytest_configure(config):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class City:
    group: Unit
    east: Unit
    west: Unit
    agent: User
    dispatcher: User
    sam: User  # specialist of grid E01 (east)
    tom: User  # specialist of grid W01 (west)
    unit_manager: User  # manages the east unit
    supervisor: User
    inspector: User
    engineer: User
    manager: User
    admin: User
    grid_east: Grid
    grid_west: Grid
    xingguang: Community  # 星光水晶城, grid E01
    jinxiu: Community  # 锦绣家园, grid W01
    burst: Category
    leak: Category
    complaint: Category


def make_user(username: str, role: str, unit: Unit | None = None, name: str = "") -> User:
    return User.objects.create_user(
        username=username,
        password="pw-" + username,
        role=role,
        unit=unit,
        full_name=name or username,
    )


@pytest.fixture
def city(db) -> City:
    return build_city()


def build_city() -> City:
    """The cast and places of `city`, for fixtures of a wider scope than one test."""
    # A transactional test elsewhere may have flushed what the data migration installed.
    install_defaults(django_apps)
    group = Unit.objects.create(name="聊城水务集团", kind=Unit.Kind.GROUP)
    east = Unit.objects.create(name="东城供水服务站", kind=Unit.Kind.TEAM, parent=group)
    west = Unit.objects.create(name="西城供水服务站", kind=Unit.Kind.TEAM, parent=group)
    sam = make_user("sam", Role.SPECIALIST, east, "孙明")
    tom = make_user("tom", Role.SPECIALIST, west, "唐涛")
    spec_sam = Specialist.objects.create(user=sam, name="孙明", phone="13900000001")
    spec_tom = Specialist.objects.create(user=tom, name="唐涛", phone="13900000002")
    grid_east = Grid.objects.create(code="E01", name="东关网格", unit=east)
    grid_west = Grid.objects.create(code="W01", name="西湖网格", unit=west)
    do_assign_grid(grid_east, spec_sam, None, by=None)
    do_assign_grid(grid_west, spec_tom, None, by=None)
    xingguang = Community.objects.create(
        name="星光水晶城", address="东昌路88号", households=1200, grid=grid_east
    )
    jinxiu = Community.objects.create(
        name="锦绣家园", address="西湖路12号", households=800, grid=grid_west
    )
    return City(
        group=group,
        east=east,
        west=west,
        agent=make_user("anna", Role.AGENT, group, "安娜"),
        dispatcher=make_user("dora", Role.DISPATCHER, group, "杜拉"),
        sam=sam,
        tom=tom,
        unit_manager=make_user("una", Role.UNIT_MANAGER, east, "乌娜"),
        supervisor=make_user("vic", Role.SUPERVISOR, None, "魏克"),
        inspector=make_user("ivan", Role.INSPECTOR, group, "伊万"),
        engineer=make_user("eve", Role.ENGINEER, group, "伊芙"),
        manager=make_user("max", Role.MANAGER, group, "马克"),
        admin=make_user("ada", Role.ADMIN, group, "艾达"),
        grid_east=grid_east,
        grid_west=grid_west,
        xingguang=xingguang,
        jinxiu=jinxiu,
        burst=Category.objects.get(code="W-BURST"),
        leak=Category.objects.get(code="W-LEAK"),
        complaint=Category.objects.get(code="W-COMPLAINT"),
    )


@pytest.fixture
def new_order(city):
    """A hotline order from a resident of 星光水晶城, dispatched to sam."""
    from mains.desk.actions import do_create_order

    def make(**overrides):
        fields = dict(
            by=city.agent,
            channel="hotline",
            category=city.leak,
            description="楼道水表漏水",
            community=city.xingguang,
            caller_name="张三",
            caller_phone="13812341234",
            address="星光水晶城3号楼2单元501",
        )
        fields.update(overrides)
        return do_create_order(**fields)

    return make


def pytest_runtest_setup(item):
    """Tests marked postgres_only need PostgreSQL's row locks and real concurrency."""
    if item.get_closest_marker("postgres_only"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://…")
