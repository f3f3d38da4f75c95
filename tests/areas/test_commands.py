import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from mains.areas import workbook as wb
from mains.areas.models import Community
from tests.areas.books import community, make_book


def write(path, book):
    path.write_bytes(book.getvalue())
    return str(path)


def test_import_areas_loads_a_file(city, tmp_path, capsys):
    file = write(tmp_path / "areas.xlsx", make_book(communities=[community("东关国际")]))
    call_command("import_areas", file)
    assert Community.objects.get(name="东关国际").grid == city.grid_east
    assert "1" in capsys.readouterr().out


def test_import_areas_dry_run_saves_nothing(city, tmp_path):
    file = write(tmp_path / "areas.xlsx", make_book(communities=[community("东关国际")]))
    call_command("import_areas", file, "--dry-run")
    assert not Community.objects.filter(name="东关国际").exists()


def test_import_areas_names_bad_rows_and_fails(city, tmp_path, capsys):
    book = make_book(communities=[community("东关国际", grid="Z9"), community("乙", address="")])
    file = write(tmp_path / "areas.xlsx", book)
    with pytest.raises(CommandError, match="2"):
        call_command("import_areas", file)
    err = capsys.readouterr().err
    assert "row 2" in err and "row 3" in err and "Z9" in err
    assert not Community.objects.filter(name="东关国际").exists()


def test_import_areas_reports_a_missing_file(city, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_areas", str(tmp_path / "none.xlsx"))


def test_export_areas_writes_a_workbook(city, tmp_path):
    file = tmp_path / "out.xlsx"
    call_command("export_areas", str(file))
    book = load_workbook(file)
    assert book[wb.GRIDS.title]["A2"].value == "E01"
