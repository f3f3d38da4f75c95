"""Acting on an order through its pages, and the pages that list orders."""

from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from mains.desk import actions
from mains.desk.models import Attachment, OrderEvent, WorkOrder
from mains.desk.queries import overdue_first
from mains.desk.states import Action, State
from mains.desk.worklist import PAGE_SIZE

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def png(name: str = "after.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def fresh(order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.get(pk=order.pk)


def act(client, order, action, data=None, version=None, **extra):
    payload = {"version": order.version if version is None else version, **(data or {})}
    return client.post(f"/desk/orders/{order.pk}/do/{action}/", payload, **EN, **extra)


@pytest.fixture
def sam(client, city):
    client.force_login(city.sam)
    return client


@pytest.fixture
def on_site(city, new_order):
    order = new_order()
    actions.do_accept(order, city.sam)
    actions.do_arrive(order, city.sam)
    return fresh(order)


def test_the_specialist_accepts_and_arrives_from_the_work_list(sam, city, new_order):
    order = new_order()
    response = act(sam, order, "accept", {"next": "/desk/mine/"})
    assert (response.status_code, response.url) == (302, "/desk/mine/")
    assert fresh(order).state == State.ACCEPTED
    act(sam, fresh(order), "arrive", {"next": "/desk/mine/"})
    assert fresh(order).state == State.ON_SITE
    page = sam.get("/desk/mine/").content.decode()
    assert f'id="resolve-{order.number}"' in page


def test_a_next_address_on_another_site_is_ignored(sam, new_order):
    order = new_order()
    response = act(sam, order, "accept", {"next": "https://evil.example/"})
    assert response.url == f"/desk/orders/{order.pk}/"


def test_resolving_with_a_photo_stores_it_with_the_resolution(sam, city, on_site, settings):
    response = act(sam, on_site, "resolve", {"resolve-note": "更换阀门", "resolve-files": png()})
    assert response.status_code == 302
    order = fresh(on_site)
    assert (order.state, order.resolution) == (State.RESOLVED, "更换阀门")
    attachment = Attachment.objects.get()
    assert (attachment.order, attachment.event.action, attachment.uploaded_by) == (
        order,
        Action.RESOLVE,
        city.sam,
    )
    assert attachment.is_image
    assert (Path(settings.MEDIA_ROOT) / attachment.file.name).is_file()
    page = sam.get(f"/desk/orders/{order.pk}/").content.decode()
    assert f'<img src="{attachment.file.url}"' in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * 2**20, "image/png"),
            "big.png is larger than 1 MB.",
        ),
        (SimpleUploadedFile("notes.txt", b"hello", "text/plain"), "notes.txt is not a photo"),
        (SimpleUploadedFile("x.png", b"<script>alert(1)</script>", "image/png"), "x.png is not"),
        (SimpleUploadedFile("x.html", png().read(), "image/png"), "x.html is not a photo"),
    ],
    ids=["oversized", "text", "text-called-png", "photo-called-html"],
)
def test_an_upload_that_is_too_big_or_not_a_photo_is_refused(
    sam, on_site, settings, upload, message
):
    settings.ATTACHMENT_MAX_BYTES = 2**20
    response = act(sam, on_site, "resolve", {"resolve-note": "已修好", "resolve-files": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "已修好" in page
    assert fresh(on_site).state == State.ON_SITE
    assert not Attachment.objects.exists()


def test_a_pdf_is_accepted_as_a_file(sam, on_site):
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    act(sam, on_site, "resolve", {"resolve-note": "见报告", "resolve-files": pdf})
    assert Attachment.objects.get().name == "report.pdf"


def test_an_action_posted_with_a_stale_version_shows_the_conflict(sam, city, on_site):
    seen = on_site.version
    actions.do_request_extension(
        on_site, city.unit_manager, on_site.resolve_due.replace(year=2099), "等配件"
    )
    response = act(sam, on_site, "resolve", {"resolve-note": "已修好"}, version=seen, follow=True)
    assert "Someone else changed this order a moment ago." in response.content.decode()
    assert fresh(on_site).state == State.ON_SITE
    assert not OrderEvent.objects.filter(order=on_site, action=Action.RESOLVE).exists()


def test_a_double_click_accepts_once(sam, new_order):
    order = new_order()
    act(sam, order, "accept")
    response = act(sam, order, "accept", follow=True)
    assert "Someone else changed this order" in response.content.decode()
    assert OrderEvent.objects.filter(order=order, action=Action.ACCEPT).count() == 1


def test_a_form_with_errors_is_shown_again_and_changes_nothing(sam, city, new_order):
    order = new_order()
    response = act(sam, order, "return", {"return-note": ""})
    assert response.status_code == 400
    assert "Give a reason." in response.content.decode()
    assert fresh(order).state == State.DISPATCHED


def test_an_unknown_action_is_refused(sam, new_order):
    order = new_order()
    response = act(sam, order, "explode", follow=True)
    assert "Unknown action." in response.content.decode()
    assert fresh(order).version == order.version


def resolved(order, city):
    actions.do_accept(order, city.sam)
    actions.do_arrive(order, city.sam)
    actions.do_resolve(order, city.sam, "处理完毕")
    return fresh(order)


def test_an_unsatisfied_callback_from_the_queue_reopens_the_order(client, city, new_order):
    order = resolved(new_order(), city)
    client.force_login(city.agent)
    assert order.number in client.get("/desk/callbacks/").content.decode()
    response = act(client, order, "callback", {"callback-result": "unsatisfied"})
    assert response.status_code == 400
    assert "Write down why the resident is unsatisfied" in response.content.decode()
    data = {"callback-result": "unsatisfied", "callback-note": "还在漏", "next": "/desk/callbacks/"}
    assert act(client, order, "callback", data).url == "/desk/callbacks/"
    order = fresh(order)
    assert (order.state, order.redo_count) == (State.REOPENED, 1)
    page = client.get(f"/desk/orders/{order.pk}/", **EN).content.decode()
    assert 'id="redo-count"' in page


def test_a_dispatcher_cancels_a_duplicate_by_the_original_number(client, city, new_order):
    original, copy = new_order(), new_order(caller_phone="13900002222")
    client.force_login(city.dispatcher)
    response = act(client, copy, "cancel", {"cancel-duplicate_of": "20990101999"})
    assert "There is no order 20990101999." in response.content.decode()
    act(client, copy, "cancel", {"cancel-duplicate_of": original.number})
    assert (fresh(copy).state, fresh(copy).duplicate_of) == (State.CANCELLED, original)


def test_a_dispatcher_decides_on_an_extension_from_the_order_page(client, city, on_site):
    later = on_site.resolve_due.replace(year=2099)
    actions.do_request_extension(on_site, city.sam, later, "等配件")
    client.force_login(city.dispatcher)
    page = client.get(f"/desk/orders/{on_site.pk}/").content.decode()
    assert 'id="do-approve_extension"' in page
    act(client, fresh(on_site), "approve_extension", {"approve_extension-approve": "yes"})
    assert fresh(on_site).resolve_due == later


def test_a_manager_supervises_with_a_deadline_typed_in_the_form(client, city, new_order):
    order = new_order()
    client.force_login(city.manager)
    data = {"supervise-until": "2099-01-02T18:00", "supervise-note": "今日答复"}
    act(client, order, "supervise", data)
    assert fresh(order).supervised_until.year == 2099
    response = act(client, fresh(order), "supervise", {"supervise-until": "明天", **data})
    assert response.status_code == 302  # a repeated supervision is allowed
    bad = act(client, fresh(order), "supervise", {"supervise-until": "明天"})
    assert bad.status_code == 400
    assert "Enter a date and time" in bad.content.decode()


def test_the_board_ignores_filters_that_are_not_numbers(client, city, new_order):
    order = new_order()
    client.force_login(city.dispatcher)
    response = client.get("/desk/board/", {"unit": "²", "grid": "x", "category": "①"})
    assert response.status_code == 200
    assert order.number in response.content.decode()


def make_orders(city, new_order, count: int, mine_only: bool = False) -> None:
    categories = [city.leak, city.burst, city.complaint]
    for i in range(count):
        community = city.xingguang if mine_only or i % 2 else city.jinxiu
        order = new_order(community=community, category=categories[i % 3])
        worker = city.sam if community == city.xingguang else city.tom
        if i % 7 == 3:
            actions.do_escalate(order, city.manager, "多次来电")
        if i % 5 == 1:
            actions.do_accept(order, worker)
        if i % 5 == 2:
            resolved(order, city) if worker == city.sam else actions.do_accept(order, worker)


PAGES = [("dispatcher", "/desk/board/"), ("dispatcher", "/desk/orders/"), ("sam", "/desk/mine/")]


@pytest.mark.parametrize(("who", "url"), PAGES)
def test_list_pages_do_not_query_more_for_more_orders(
    client, city, new_order, django_assert_max_num_queries, who, url
):
    client.force_login(getattr(city, who))
    make_orders(city, new_order, 5, mine_only=who == "sam")
    client.get(url)  # warm the session and the content types
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make_orders(city, new_order, 25, mine_only=who == "sam")
    with django_assert_max_num_queries(len(few)):
        page = client.get(url).content.decode()
    shown = WorkOrder.objects.filter(state__in=[State.DISPATCHED, State.ACCEPTED])
    if url == "/desk/mine/":  # the specialist's list is paged, most urgent first
        shown = overdue_first(shown)[:PAGE_SIZE]
    assert all(number in page for number in shown.values_list("number", flat=True))


def test_a_photo_with_a_very_long_name_is_stored(sam, on_site):
    photo = png("现场照片" * 30 + ".png")
    act(sam, on_site, "resolve", {"resolve-note": "已修好", "resolve-files": photo})
    attachment = Attachment.objects.get()
    assert attachment.name.endswith(".png")
    assert len(attachment.file.name) <= 100
