import pytest

from mains.areas.models import Community, Grid
from mains.org.models import User
from tests.areas.books import community, grid, make_book


def upload(client, book, **extra):
    return client.post("/areas/import/", {"file": book, **extra})


def good_book():
    return make_book(
        communities=[community("东关国际", grid="N01"), community("光彩小区")],
        grids=[grid("N01", "东城供水服务站", "nick", "倪可", "13900000003")],
    )


def test_the_page_shows_the_upload_form_and_the_columns(client, city):
    client.force_login(city.admin)
    page = client.get("/areas/import/").content.decode()
    assert 'type="file"' in page
    assert "专员登录名 (specialist user name)" in page


@pytest.mark.parametrize("who", ["agent", "dispatcher", "sam", "manager", "supervisor"])
def test_only_administrators_may_open_the_import_page(client, city, who):
    client.force_login(getattr(city, who))
    assert client.get("/areas/import/").status_code == 403
    assert upload(client, good_book()).status_code == 403
    assert not Community.objects.filter(name="东关国际").exists()


def test_a_good_file_is_imported_with_a_summary(client, city):
    client.force_login(city.admin)
    response = upload(client, good_book())
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-summary"' in page
    assert Community.objects.filter(name__in=["东关国际", "光彩小区"]).count() == 2
    assert User.objects.get(username="nick").specialist.name == "倪可"


def test_a_bad_file_lists_each_row_and_keeps_nothing(client, city):
    client.force_login(city.admin)
    book = make_book(
        communities=[community("东关国际", grid="N01"), community("坏小区", households=-1)],
        grids=[grid("N01", "火星供水站", "nick", "倪可", "13900000003")],
    )
    response = upload(client, book)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="row-errors"' in page
    assert "火星供水站" in page and "-1" in page
    assert not Community.objects.filter(name__in=["东关国际", "坏小区"]).exists()
    assert not Grid.objects.filter(code="N01").exists()
    assert not User.objects.filter(username="nick").exists()


def test_check_only_reports_and_saves_nothing(client, city):
    client.force_login(city.admin)
    page = upload(client, good_book(), check_only="on").content.decode()
    assert 'id="import-summary"' in page and "alert-info" in page
    assert not Community.objects.filter(name="东关国际").exists()


def test_a_file_that_is_not_xlsx_is_refused_by_name(client, city):
    from io import BytesIO

    client.force_login(city.admin)
    csv = BytesIO("名称,地址\n".encode())
    csv.name = "communities.csv"
    page = upload(client, csv).content.decode()
    assert "communities.csv" in page and "is-invalid" in page


def test_a_damaged_xlsx_is_refused_without_an_error_page(client, city):
    from io import BytesIO

    client.force_login(city.admin)
    fake = BytesIO(b"PK\x03\x04 not really a zip")
    fake.name = "areas.xlsx"
    response = upload(client, fake)
    assert response.status_code == 200
    assert 'id="row-errors"' in response.content.decode()


def test_the_admin_home_links_to_import_and_export(client, city):
    client.force_login(city.admin)
    page = client.get("/org/admin-home/").content.decode()
    assert 'href="/areas/import/"' in page and 'href="/areas/export.xlsx"' in page
