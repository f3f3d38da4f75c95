import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone

from mains.areas import workbook as wb
from mains.areas.imports import import_areas
from mains.areas.models import Community, Grid, GridAssignment, Specialist
from mains.org.models import User
from mains.org.roles import Role
from tests.areas.books import community, exported, grid, make_book, saved


def good_book(city):
    return make_book(
        communities=[
            community("东关国际", grid="N01", latitude=36.456789, longitude=115.985432),
            community("光彩小区", grid="E01", utility="供热", households=640),
            community("望湖小区", grid=""),
        ],
        grids=[
            grid("N01", "东城供水服务站", "nick", "倪可", "139 0000 0003", duties="巡查管网"),
        ],
    )


def errors_by_row(result):
    return {(e.sheet, e.row): e.message for e in result.errors}


def test_a_good_file_creates_communities_grids_and_specialists(city):
    result = import_areas(good_book(city), by=city.admin)

    assert result.ok, result.errors
    dongguan = Community.objects.get(name="东关国际")
    assert dongguan.grid.code == "N01"
    assert dongguan.latitude == Decimal("36.456789")
    assert (dongguan.pinyin, dongguan.initials) == ("dongguanguoji", "dggj")
    assert Community.objects.get(name="光彩小区").utility == "heat"
    assert Community.objects.get(name="望湖小区").grid is None
    nick = User.objects.get(username="nick")
    assert (nick.role, nick.unit, nick.has_usable_password()) == (Role.SPECIALIST, city.east, False)
    assert Specialist.objects.get(user=nick).phone == "13900000003"
    current = GridAssignment.objects.get(grid__code="N01", ended_at__isnull=True)
    assert (current.specialist.user, current.assigned_by) == (nick, city.admin)
    assert result.counts["communities"]["created"] == 3
    assert result.counts["grids"]["created"] == 1


def test_a_bad_file_names_every_bad_row_and_saves_nothing(city):
    before = (Community.objects.count(), Grid.objects.count(), User.objects.count())
    book = make_book(
        communities=[
            community("好小区一"),  # row 2 is good
            community("无网格小区", grid="Z99"),  # 3
            community("好小区一"),  # 4: duplicate name
            community("坐标小区", latitude="北纬36度", longitude=115.9),  # 5
            community("负户数", households=-3),  # 6
            community("缺地址", address=""),  # 7
            community("热力小区", utility="煤气"),  # 8
        ],
        grids=[
            grid("N01", "不存在的单位"),  # 2
            grid("N02", "东城供水服务站", "nick", "倪可", "12345"),  # 3
        ],
        assignments=[{"grid": "E01", "specialist_login": "nobody", "started_at": "2024-01-01"}],
    )

    result = import_areas(book, by=city.admin)

    found = errors_by_row(result)
    communities, grids, assignments = wb.COMMUNITIES.title, wb.GRIDS.title, wb.ASSIGNMENTS.title
    assert "Z99" in found[(communities, 3)]
    assert "row 2" in found[(communities, 4)]
    assert "北纬36度" in found[(communities, 5)]
    assert "negative" in found[(communities, 6)]
    assert "required" in found[(communities, 7)]
    assert "煤气" in found[(communities, 8)]
    assert "不存在的单位" in found[(grids, 2)]
    assert "12345" in found[(grids, 3)]
    assert "nobody" in found[(assignments, 2)]
    assert (communities, 2) not in found
    assert len(found) == 9
    assert (Community.objects.count(), Grid.objects.count(), User.objects.count()) == before


def test_it_names_swapped_and_half_given_coordinates(city):
    book = make_book(
        communities=[
            community("甲小区", latitude=115.9, longitude=36.4),
            community("乙小区", latitude=36.4),
        ]
    )
    found = errors_by_row(import_areas(book))
    assert "swapped" in found[(wb.COMMUNITIES.title, 2)]
    assert "both" in found[(wb.COMMUNITIES.title, 3)]


def test_it_refuses_a_file_that_is_not_a_workbook(city):
    result = import_areas(BytesIO(b"name,address\n"))
    assert not result.ok
    assert ".xlsx" in result.errors[0].message


def test_it_names_a_missing_sheet_and_missing_columns(city):
    book = exported()
    del book[wb.GRIDS.title]
    book[wb.COMMUNITIES.title].delete_cols(2)  # the address column
    result = import_areas(saved(book))
    messages = [e.message for e in result.errors]
    assert any(wb.GRIDS.title in m for m in messages)
    assert any("地址 (address)" in m for m in messages)


def test_it_accepts_headers_in_chinese_or_english_in_any_order(city):
    book = exported()
    sheet = book[wb.COMMUNITIES.title]
    sheet.title = "communities"
    sheet["A1"], sheet["B1"] = "小区名称", "Address"
    sheet.append(["水岸新城", "水岸路5号", None, None, 100, "water", "W01"])
    result = import_areas(saved(book))
    assert result.ok, result.errors
    assert Community.objects.get(name="水岸新城").grid == city.grid_west


def test_a_second_import_updates_rather_than_duplicates(city):
    import_areas(good_book(city))
    book = make_book(
        communities=[community("东关国际", grid="W01", households=999)],
        grids=[grid("N01", "西城供水服务站", "nick", "倪可新", "13900000004")],
    )

    result = import_areas(book)

    assert result.ok, result.errors
    assert Community.objects.filter(name="东关国际").count() == 1
    dongguan = Community.objects.get(name="东关国际")
    assert (dongguan.households, dongguan.grid.code, dongguan.latitude) == (999, "W01", None)
    assert Grid.objects.get(code="N01").unit == city.west
    assert Specialist.objects.get(user__username="nick").name == "倪可新"
    assert User.objects.filter(username="nick").count() == 1
    assert (result.counts["communities"]["updated"], result.counts["communities"]["created"]) == (
        1,
        0,
    )


def test_reassigning_a_grids_specialist_closes_the_old_assignment(city):
    book = exported()
    sheet = book[wb.GRIDS.title]
    assert sheet["A2"].value == "E01"
    sheet["D2"], sheet["E2"], sheet["F2"] = "倪可", "13900000003", "nick"

    result = import_areas(saved(book), by=city.admin)

    assert result.ok, result.errors
    old = GridAssignment.objects.get(grid=city.grid_east, specialist__user=city.sam)
    assert old.ended_at is not None
    new = GridAssignment.objects.get(grid=city.grid_east, ended_at__isnull=True)
    assert new.specialist.user.username == "nick"
    assert Grid.objects.get(code="E01").specialist == new.specialist
    assert result.counts["assignments"]["created"] == 1


def test_past_periods_are_added_once(city):
    past = {
        "grid": "E01",
        "specialist_login": "tom",
        "started_at": dt.datetime(2023, 1, 1, 8, 0),
        "ended_at": "2023-12-31 18:00",
    }
    import_areas(make_book(assignments=[past]))
    result = import_areas(make_book(assignments=[past]))

    periods = GridAssignment.objects.filter(grid=city.grid_east, specialist__user=city.tom)
    assert periods.count() == 1
    assert timezone.localtime(periods.get().ended_at).hour == 18
    assert result.counts["assignments"]["unchanged"] == 1


def test_it_refuses_periods_that_end_before_they_start_or_lie_ahead(city):
    rows = [
        {
            "grid": "E01",
            "specialist_login": "tom",
            "started_at": "2024-02-01",
            "ended_at": "2024-01-01",
        },
        {"grid": "E01", "specialist_login": "tom", "started_at": "2999-01-01"},
    ]
    found = errors_by_row(import_areas(make_book(assignments=rows)))
    assert "before" in found[(wb.ASSIGNMENTS.title, 2)]
    assert "future" in found[(wb.ASSIGNMENTS.title, 3)]


def test_a_user_of_another_role_cannot_become_a_specialist(city):
    book = make_book(grids=[grid("N01", "东城供水服务站", "anna", "安娜", "13900000009")])
    found = errors_by_row(import_areas(book))
    assert "anna" in found[(wb.GRIDS.title, 2)]
    assert not Specialist.objects.filter(user=city.agent).exists()


def test_a_deputy_must_be_a_known_specialist(city):
    book = make_book(grids=[grid("E01", "东城供水服务站", "sam", "孙明", "13900000001", "ghost")])
    found = errors_by_row(import_areas(book))
    assert "ghost" in found[(wb.GRIDS.title, 2)]


def test_a_check_only_import_counts_but_saves_nothing(city):
    result = import_areas(good_book(city), dry_run=True)
    assert result.ok and result.dry_run
    assert result.counts["communities"]["created"] == 3
    assert not Community.objects.filter(name="东关国际").exists()
    assert not User.objects.filter(username="nick").exists()


@pytest.mark.parametrize("phone", ["0635-8123456", "+86 139 0000 0005"])
def test_it_accepts_landlines_and_international_mobiles(city, phone):
    book = make_book(grids=[grid("N01", "东城供水服务站", "nick", "倪可", phone)])
    assert import_areas(book).ok
