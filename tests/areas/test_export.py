import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from mains.areas import workbook as wb
from mains.areas.actions import do_assign_grid
from mains.areas.exports import export_book
from mains.areas.imports import import_areas
from mains.areas.models import Community, Grid, GridAssignment, Specialist
from tests.areas.books import saved


def sorted_rows(rows):
    return sorted(rows, key=repr)


def snapshot():
    """Everything the workbook carries, as plain values."""

    def second(moment):
        return moment and timezone.localtime(moment).replace(microsecond=0)

    return {
        "communities": sorted_rows(
            Community.objects.values_list(
                "name",
                "pinyin",
                "initials",
                "address",
                "latitude",
                "longitude",
                "households",
                "utility",
                "grid__code",
            )
        ),
        "grids": sorted_rows(
            Grid.objects.values_list(
                "code",
                "name",
                "unit__name",
                "specialist__user__username",
                "deputy__user__username",
            )
        ),
        "specialists": sorted_rows(
            Specialist.objects.values_list(
                "user__username", "name", "phone", "duties", "service_content"
            )
        ),
        "assignments": sorted_rows(
            (
                a.grid.code,
                a.specialist.user.username,
                a.deputy.user.username if a.deputy else "",
                second(a.started_at),
                second(a.ended_at),
            )
            for a in GridAssignment.objects.select_related(
                "grid", "specialist__user", "deputy__user"
            )
        ),
    }


@pytest.fixture
def richer_city(city):
    """The city with coordinates, a heating community, a deputy and a past period."""
    Community.objects.filter(pk=city.xingguang.pk).update(
        latitude=Decimal("36.456789"), longitude=Decimal("115.985432")
    )
    Community.objects.create(name="西湖馨苑", address="西湖路9号", utility="heat", grid=None)
    Specialist.objects.filter(user=city.sam).update(
        duties="巡查管网\n入户服务", service_content="抄表"
    )
    tom = Specialist.objects.get(user=city.tom)
    sam = Specialist.objects.get(user=city.sam)
    now = timezone.now()
    GridAssignment.objects.update(started_at=now - dt.timedelta(days=30, microseconds=1234))
    do_assign_grid(city.grid_west, tom, sam, by=city.admin, at=now - dt.timedelta(days=1))
    return city


def test_the_export_has_three_sheets_with_every_row(richer_city):
    book = load_workbook(saved(export_book()))

    assert book.sheetnames == [form.title for form in wb.SHEETS]
    communities = list(book[wb.COMMUNITIES.title].iter_rows(values_only=True))
    assert communities[0][0] == "小区名称 (name)"
    assert communities[1:] == [
        ("星光水晶城", "东昌路88号", 36.456789, 115.985432, 1200, "供水", "E01"),
        ("西湖馨苑", "西湖路9号", None, None, 0, "供热", None),
        ("锦绣家园", "西湖路12号", None, None, 800, "供水", "W01"),
    ]
    grids = list(book[wb.GRIDS.title].iter_rows(values_only=True))
    assert grids[2][:7] == (
        "W01",
        "西湖网格",
        "西城供水服务站",
        "唐涛",
        "13900000002",
        "tom",
        "sam",
    )
    assert book[wb.ASSIGNMENTS.title].max_row == 4  # E01, and W01 before and after the deputy


def test_the_export_reimports_unchanged(richer_city):
    before = snapshot()

    result = import_areas(saved(export_book()), by=richer_city.admin)

    assert result.ok, result.errors
    assert snapshot() == before
    for kind, counts in result.counts.items():
        assert counts["created"] == counts["updated"] == 0, kind


def test_the_export_rebuilds_deleted_communities_grids_and_history(richer_city):
    before = snapshot()
    file = saved(export_book())
    Community.objects.all().delete()
    GridAssignment.objects.all().delete()
    Grid.objects.all().delete()

    result = import_areas(file)

    assert result.ok, result.errors
    assert snapshot() == before


def test_the_export_page_downloads_a_workbook(client, city):
    client.force_login(city.admin)
    response = client.get("/areas/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(BytesIO(response.content))
    assert book[wb.COMMUNITIES.title]["A2"].value == "星光水晶城"


@pytest.mark.parametrize("who", ["agent", "dispatcher", "sam", "manager", "unit_manager"])
def test_only_administrators_may_export(client, city, who):
    client.force_login(getattr(city, who))
    assert client.get("/areas/export.xlsx").status_code == 403
