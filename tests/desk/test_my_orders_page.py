"""The grid specialist's work list (/desk/mine/): filters with counts, groups by urgency,
pages, the card's buttons (htmx swap of the card, or back to the same filter at its
anchor), alarm orders in words, and whose deadline a resolved order shows."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from mains.areas.models import Community
from mains.desk import actions
from mains.desk.models import Channel, WorkOrder
from mains.desk.states import State
from mains.desk.worklist import PAGE_SIZE, Clock
from mains.telemetry.alarms.actions import do_raise_alarm
from mains.telemetry.models import Alarm, Meter

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true", **EN}
MINE = "/desk/mine/"
CARD = re.compile(r'id="order-(\d+)"')


def fresh(order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.get(pk=order.pk)


def due_in(order: WorkOrder, delta: timedelta) -> WorkOrder:
    """Move the order's current deadline (its accept-by while dispatched)."""
    due = timezone.now() + delta
    WorkOrder.objects.filter(pk=order.pk).update(current_due=due, accept_due=due)
    return fresh(order)


def later_today() -> timedelta:
    """A time still today on the local clock, whatever time the test runs."""
    clock = Clock.read()
    return (clock.tomorrow - clock.now) / 2


def cards(html: str) -> list[str]:
    return CARD.findall(html)


def act(client, order, action, data=None, headers=EN, version=None):
    payload = {"version": order.version if version is None else version, **(data or {})}
    return client.post(f"/desk/mine/{order.pk}/do/{action}/", payload, **headers)


@pytest.fixture
def sam(client, city):
    client.force_login(city.sam)
    return client


@pytest.fixture
def east_side(city):
    """A second community of sam's grid."""
    return Community.objects.create(
        name="东关小区", address="东关街1号", households=300, grid=city.grid_east
    )


@pytest.fixture
def mixed(city, new_order, east_side):
    """Three overdue orders, two due later today, four due tomorrow or later; two of them
    in 东关小区."""
    overdue = [due_in(new_order(), -timedelta(hours=h + 1)) for h in range(3)]
    today = [due_in(new_order(), later_today() / (i + 2)) for i in range(2)]
    later = [due_in(new_order(), timedelta(days=d + 2)) for d in range(2)]
    later += [due_in(new_order(community=east_side), timedelta(days=d + 5)) for d in range(2)]
    return {"overdue": overdue, "today": today, "later": later}


def numbers(orders) -> set[str]:
    return {o.number for o in orders}


def test_the_pills_count_all_overdue_and_todays_orders(sam, mixed):
    html = sam.get(MINE, **EN).content.decode()
    pill = re.compile(r'id="when-(\w+)"[^>]*>[^<]*<span class="badge[^"]*">(\d+)</span>')
    assert dict(pill.findall(html)) == {"all": "9", "overdue": "3", "today": "2"}


def test_the_overdue_filter_lists_only_overdue_orders(sam, mixed):
    html = sam.get(MINE, {"when": "overdue"}, **EN).content.decode()
    assert set(cards(html)) == numbers(mixed["overdue"])
    assert 'id="when-overdue" href="?when=overdue" aria-current="page"' in html.replace(
        'class="nav-link active text-danger-emphasis" ', ""
    )


def test_the_today_filter_lists_orders_due_before_midnight(sam, mixed):
    html = sam.get(MINE, {"when": "today"}, **EN).content.decode()
    assert set(cards(html)) == numbers(mixed["today"])


def test_the_community_select_counts_each_community_and_filters(sam, city, mixed, east_side):
    html = sam.get(MINE, **EN).content.decode()
    assert f'<option value="{city.xingguang.pk}">星光水晶城 (7)</option>' in html
    assert f'<option value="{east_side.pk}">东关小区 (2)</option>' in html
    html = sam.get(MINE, {"community": east_side.pk}, **EN).content.decode()
    assert set(cards(html)) == numbers(mixed["later"][2:])
    # The pills count within the community chosen.
    assert re.search(r'id="when-all"[^>]*>[^<]*<span class="badge[^"]*">2</span>', html)


def test_a_community_with_none_under_the_filter_is_kept_with_a_zero(sam, mixed, east_side):
    html = sam.get(MINE, {"when": "overdue", "community": east_side.pk}, **EN).content.decode()
    assert f'<option value="{east_side.pk}" selected>东关小区 (0)</option>' in html
    assert cards(html) == [] and "No open orders match this filter." in html


@pytest.mark.parametrize("bad", ["99999", "abc", "%00", "²"])
def test_a_community_that_is_not_theirs_shows_all_and_says_so(sam, city, mixed, bad):
    response = sam.get(MINE, {"community": bad}, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "That community has no open order of yours" in html
    assert len(cards(html)) == 9


def test_an_unknown_when_filter_shows_all(sam, mixed):
    response = sam.get(MINE, {"when": "yesterday<script>"}, **EN)
    assert response.status_code == 200 and len(cards(response.content.decode())) == 9


def test_the_list_is_grouped_overdue_then_today_then_later(sam, mixed):
    html = sam.get(MINE, **EN).content.decode()
    groups = re.findall(r'id="group-(\w+)"', html)
    assert groups == ["overdue", "today", "later"]
    first_today = html.index('id="group-today"')
    assert all(html.index(f'id="order-{o.number}"') < first_today for o in mixed["overdue"])
    assert all(html.index(f'id="order-{o.number}"') > first_today for o in mixed["today"])


def test_the_list_is_paged_and_the_pages_keep_the_filter(sam, new_order):
    for i in range(PAGE_SIZE + 5):
        due_in(new_order(), -timedelta(minutes=i + 1))
    first = sam.get(MINE, {"when": "overdue"}, **EN).content.decode()
    assert len(cards(first)) == PAGE_SIZE
    assert 'id="page-next" href="?when=overdue&amp;page=2"' in first
    second = sam.get(MINE, {"when": "overdue", "page": "2"}, **EN).content.decode()
    assert len(cards(second)) == 5 and not set(cards(first)) & set(cards(second))
    assert sam.get(MINE, {"page": "zz"}).status_code == 200


def test_accept_with_htmx_answers_only_that_card(sam, mixed):
    order = mixed["overdue"][0]
    response = act(sam, order, "accept", {"when": "overdue"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert cards(html) == [order.number]
    assert "<html" not in html and "<nav" not in html
    assert fresh(order).state == State.ACCEPTED
    assert f'id="arrive-{order.number}"' in html
    assert "Accepted: order" in html  # said on the card
    # The counts swap in out of band: one fewer overdue now that it is accepted.
    assert 'id="field-filters" hx-swap-oob="true"' in html
    assert re.search(r'id="when-overdue"[^>]*>[^<]*<span class="badge[^"]*">2</span>', html)
    # The next button posts back to the same filter.
    assert '<input type="hidden" name="when" value="overdue">' in html


def test_arrive_without_javascript_comes_back_to_the_filter_page_and_card(sam, mixed):
    order = mixed["overdue"][1]
    actions.do_accept(order, order.specialist.user)
    order = fresh(order)
    response = act(sam, order, "arrive", {"when": "overdue", "page": "1", "community": ""})
    assert response.status_code == 302
    assert response.url == f"/desk/mine/?when=overdue&page=1&done={order.pk}#order-{order.number}"
    html = sam.get(response.url.split("#")[0], **EN).content.decode()
    card = html[html.index(f'id="order-{order.number}"') :]
    assert "Arrived on site: order" in card[: card.index('class="d-grid')]
    assert fresh(order).state == State.ON_SITE


def test_a_card_that_left_the_filter_is_shown_on_top_after_the_redirect(sam, mixed):
    order = mixed["today"][0]
    response = act(sam, order, "accept", {"when": "today"})
    html = sam.get(response.url.split("#")[0], **EN).content.decode()
    # Accepted, it is now due by its on-site deadline, maybe not today: still in view.
    assert f'id="order-{order.number}"' in html


def test_someone_else_first_shows_on_the_card(sam, city, mixed):
    order = mixed["overdue"][0]
    stale = order.version
    actions.do_accept(order, city.dispatcher)
    response = act(sam, order, "accept", headers=HTMX, version=stale)
    html = response.content.decode()
    assert cards(html) == [order.number]
    assert "card-error" in html and "Someone else changed this order" in html
    # Without JavaScript the error lands on the same card after the redirect.
    response = act(sam, order, "accept", {"when": "overdue"}, version=stale)
    html = sam.get(response.url.split("#")[0], **EN).content.decode()
    card = html[html.index(f'id="order-{order.number}"') :]
    assert "Someone else changed this order" in card[: card.index('class="d-grid')]
    assert "Someone else changed" not in html[: html.index(f'id="order-{order.number}"')]


def test_an_action_the_state_does_not_allow_shows_on_the_card(sam, mixed):
    order = mixed["later"][0]
    html = act(sam, order, "arrive", headers=HTMX).content.decode()
    assert "card-error" in html and fresh(order).state == State.DISPATCHED


def test_another_specialists_order_is_missing(sam, city, new_order):
    west = new_order(community=city.jinxiu)
    assert act(sam, west, "accept", headers=HTMX).status_code == 404


def test_an_action_the_card_does_not_offer_is_missing(sam, mixed):
    assert act(sam, mixed["later"][0], "cancel").status_code == 404


def on_site(order: WorkOrder) -> WorkOrder:
    actions.do_accept(order, order.specialist.user)
    actions.do_arrive(order, order.specialist.user)
    return fresh(order)


def test_resolving_without_a_note_keeps_the_card_with_the_error(sam, mixed):
    order = on_site(mixed["overdue"][0])
    html = act(sam, order, "resolve", {"resolve-note": "  "}, headers=HTMX).content.decode()
    assert cards(html) == [order.number] and "Describe what was done." in html
    assert "<details" in html and " open>" in html
    # Without JavaScript: the list again, the card's form open with its error, 400.
    response = act(sam, order, "resolve", {"resolve-note": "", "when": "overdue"})
    assert response.status_code == 400 and "Describe what was done." in response.content.decode()
    assert fresh(order).state == State.ON_SITE


def test_a_resolved_card_says_it_waits_for_the_hotlines_callback(sam, mixed):
    order = on_site(mixed["overdue"][0])
    response = act(sam, order, "resolve", {"resolve-note": "更换阀门"}, headers=HTMX)
    html = response.content.decode()
    order = fresh(order)
    assert order.state == State.RESOLVED and order.callback_due
    assert "Resolved, waiting for the callback (hotline)" in html
    assert f"Hotline's callback by {timezone.localtime(order.callback_due):%m-%d %H:%M}" in html
    # The callback's countdown is the hotline's: no SLA badge of the specialist's on it.
    assert "left</span>" not in html and "overdue</span>" not in html
    listed = sam.get(MINE, **EN).content.decode()
    recent = listed[listed.index("Recently resolved") :]
    assert order.number in recent and "waiting for the callback (hotline)" in recent


def test_the_resolved_card_in_chinese(sam, mixed):
    order = on_site(mixed["overdue"][0])
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    html = act(sam, order, "resolve", {"resolve-note": "更换阀门"}, headers=headers)
    assert "已办结，等待回访（客服）" in html.content.decode()


@pytest.fixture
def burst_order(city):
    meter = Meter.objects.create(code="XGSJC-M1", community=city.xingguang)
    detail = {
        "onset": (timezone.now() - timedelta(hours=2)).isoformat(),
        "reference_flow_m3h": 40.1234,
        "reference_pressure_mpa": 0.3187,
        "readings": [
            {"ts": timezone.now().isoformat(), "flow_m3h": 95.6907, "pressure_mpa": 0.2104}
        ],
    }
    with translation.override("en"):
        alarm = do_raise_alarm(meter, Alarm.Kind.BURST, timezone.now() - timedelta(hours=1), detail)
    return alarm.work_order


def test_a_new_alarm_order_names_the_meter_and_rounds_its_figures(burst_order):
    text = burst_order.description
    assert "95.7 m³/h" in text and "40.1 m³/h" in text and "0.21 MPa" in text
    assert "95.6907" not in text and "0.3187" not in text
    assert "Community master meter" in text and "星光水晶城" in text and "XGSJC-M1" in text


def test_an_alarm_card_says_where_it_is_from_and_has_no_caller_line(sam, burst_order):
    assert burst_order.specialist.user.username == "sam"
    html = sam.get(MINE, **EN).content.decode()
    card = html[html.index(f'id="order-{burst_order.number}"') :]
    card = card[: card.index("</form>")]
    assert "From the network watch: Community master meter of 星光水晶城 (meter XGSJC-M1)" in card
    assert "bi-telephone" not in card


def test_an_older_alarm_orders_figures_are_rounded_on_the_card(sam, burst_order):
    older = "Alarm from meter XGSJC-M1 (Burst) at 星光水晶城. Flow rose from 40.1234 m³/h to "
    older += "95.6907 m³/h while pressure fell from 0.3187 MPa to 0.2104 MPa."
    WorkOrder.objects.filter(pk=burst_order.pk).update(description=older)
    html = sam.get(MINE, **EN).content.decode()
    assert "95.7 m³/h" in html and "0.21 MPa" in html and "95.6907" not in html


def test_a_hotline_order_without_a_caller_has_no_empty_phone_line(sam, new_order):
    order = new_order(caller_name="", caller_phone="", channel=Channel.WEB)
    html = sam.get(MINE, **EN).content.decode()
    card = html[html.index(f'id="order-{order.number}"') :]
    assert "bi-telephone" not in card[: card.index("</form>")]


def test_the_page_queries_the_same_for_5_or_40_orders(sam, city, new_order, burst_order):
    for i in range(5):
        due_in(new_order(), timedelta(hours=i - 2))
    sam.get(MINE)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert sam.get(MINE, {"when": "overdue"}).status_code == 200
    for i in range(35):
        order = due_in(new_order(), timedelta(hours=i - 20))
        if i % 3 == 0:
            on_site(order)
        if i % 7 == 0:
            actions.do_resolve(on_site(new_order()), city.sam, "已修好")
    with CaptureQueriesContext(connection) as many:
        assert sam.get(MINE, {"when": "overdue"}).status_code == 200
    assert len(many) == len(few)


def test_the_order_page_labels_a_resolved_orders_deadline_as_the_hotlines(sam, mixed):
    order = on_site(mixed["overdue"][0])
    actions.do_resolve(order, order.specialist.user, "更换阀门")
    html = sam.get(f"/desk/orders/{order.pk}/", **EN).content.decode()
    assert (
        '<span class="small text-secondary" id="callback-owner">Hotline\'s callback by</span>'
        in (html)
    )
    open_one = sam.get(f"/desk/orders/{mixed['later'][0].pk}/", **EN).content.decode()
    assert 'id="callback-owner"' not in open_one


def test_the_order_page_of_an_older_alarm_order_rounds_it_and_names_no_caller(sam, burst_order):
    older = "Alarm from meter XGSJC-M1 (Burst) at 星光水晶城. Flow rose to 95.6907 m³/h."
    WorkOrder.objects.filter(pk=burst_order.pk).update(description=older)
    html = sam.get(f"/desk/orders/{burst_order.pk}/", **EN).content.decode()
    assert "95.7 m³/h" in html and "95.6907" not in html
    caller = html[html.index('id="caller"') :]
    assert caller[: caller.index("</dd>")] == 'id="caller">From the network watch (no caller)'


def test_resolving_with_a_photo_without_javascript_pins_the_resolved_card(sam, mixed):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    photo = SimpleUploadedFile("after.png", buffer.getvalue(), content_type="image/png")
    order = on_site(mixed["overdue"][2])
    data = {"resolve-note": "已修好", "resolve-files": photo, "when": "overdue"}
    response = act(sam, order, "resolve", data)
    assert response.status_code == 302 and response.url.endswith(f"#order-{order.number}")
    assert fresh(order).state == State.RESOLVED and order.attachments.count() == 1
    html = sam.get(response.url.split("#")[0], **EN).content.decode()
    pinned = html[html.index("Just updated") : html.index('id="group-overdue"')]
    assert f'id="order-{order.number}"' in pinned and "waiting for the callback" in pinned
