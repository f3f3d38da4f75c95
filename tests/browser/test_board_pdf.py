"""The administrator downloads a community's notice board; its first page becomes a PNG."""

import os
import shutil
import subprocess

import pytest

from mains.boards.models import Board, BoardState
from tests.browser.conftest import ARTIFACTS, BROWSER_TEST, DOCS_SCREENSHOTS

pytestmark = BROWSER_TEST


def test_the_admin_downloads_a_communitys_board_pdf(visit, city, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed (make test installs it)")
    admin = visit("ada")
    admin.go("/boards/")
    row = admin.page.locator(f"#board-missing tr[data-community='{city.xingguang.pk}']")
    with admin.page.expect_download() as download_info:
        row.locator("a.board-pdf").click()
    pdf_path = tmp_path / "board.pdf"
    download_info.value.save_as(pdf_path)

    assert pdf_path.read_bytes().startswith(b"%PDF")
    board = Board.objects.get(community=city.xingguang)
    assert (board.state, board.specialist_name) == (BoardState.GENERATED, "孙明")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / "board"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf_path, target],
        check=True,
        timeout=60,
    )
    png = target.with_suffix(".png")
    assert png.read_bytes().startswith(b"\x89PNG")
    if os.environ.get("MAINS_DOCS_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, DOCS_SCREENSHOTS / "notice-board.png")
