import io
import subprocess

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from mains.boards.actions import do_generate_boards, do_mark_printed


def page_count(pdf: bytes) -> int:
    """Pages of a PDF, by poppler's pdfinfo when installed, else by its page objects."""
    try:
        out = subprocess.run(
            ["pdfinfo", "-"], input=pdf, capture_output=True, check=True, timeout=60
        ).stdout.decode()
    except (FileNotFoundError, subprocess.CalledProcessError):
        return pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>") + pdf.count(b"/Type /Page ")
    return int(next(line.split()[1] for line in out.splitlines() if line.startswith("Pages:")))


def in_site_language(message: str) -> str:
    """The message as the pages show it (in the site's default language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)


def jpeg(name: str = "board.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "steelblue").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def printed_board(city):
    """The board of 星光水晶城 (sam's grid), generated and printed."""
    (board,) = do_generate_boards([city.xingguang], by=city.admin)
    do_mark_printed(board)
    return board
