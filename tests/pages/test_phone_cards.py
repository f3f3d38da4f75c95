"""Back-office tables opened from the street become cards on a phone: the table carries
`table-cards` and each cell the name of its column (see the board slice's CSS)."""

import re
from pathlib import Path

import pytest

from mains.org.models import AccessLog

ROOT = Path(__file__).resolve().parents[2]
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}

# The back-office tables a duty manager or a unit manager opens on a phone.
CARD_TABLES = [
    "templates/areas/communities.html",
    "templates/care/residents.html",
    "templates/desk/order_list.html",
    "templates/desk/partials/board_list.html",
    "templates/notify/messages.html",
    "templates/org/access_log.html",
    "templates/outages/detail.html",
    "templates/outages/list.html",
    "templates/supervision/inbox.html",
    "templates/telemetry/alarm_list.html",
    "templates/telemetry/partials/alarm_row.html",
    "templates/outages/partials/outage_row.html",
]
# A cell without a label is the card's title, flag or actions, or a line across it.
UNLABELLED = re.compile(r'class="[^"]*\b(card-title|card-flag|card-actions|card-hide)\b|colspan=')


def body_cells(template: str) -> list[str]:
    """The opening tag of every cell in the body of the template's `table-cards` tables
    (a row partial's cells are all in such a body)."""
    if "<table" not in template:
        return re.findall(r"<td\b[^>]*>", template)
    cells = []
    for table in re.findall(r"<table[^>]*table-cards.*?</table>", template, re.S):
        body = table.split("<tbody", 1)[1]
        cells += re.findall(r"<td\b[^>]*>", body)
    return cells


@pytest.mark.parametrize("path", CARD_TABLES)
def test_each_cell_of_a_back_office_table_carries_its_column_name(path):
    cells = body_cells((ROOT / path).read_text())
    assert cells, f"{path} has no table-cards table"
    for cell in cells:
        assert "data-label=" in cell or UNLABELLED.search(cell), f"{path}: {cell}"


def test_the_labels_are_the_translated_column_names(client, city):
    client.force_login(city.dispatcher)
    page = client.get("/areas/communities/", **ZH).content.decode()
    assert 'class="table table-sm table-dense table-cards"' in page
    assert f'<td class="card-title">{city.xingguang.name}</td>' in page
    assert 'data-label="户数"' in page and 'data-label="网格"' in page


def test_the_access_log_reads_as_cards(client, city):
    AccessLog.objects.create(
        user=city.dispatcher, action=AccessLog.Action.VIEW, subject="order:1", fields="phone"
    )
    client.force_login(city.admin)
    page = client.get("/org/access-log/", **ZH).content.decode()
    assert "table-cards" in page
    assert '<td data-label="访问对象">order:1</td>' in page
