"""A resident reports a problem: a web-channel work order, routed like any other."""

from django.test import Client

from mains.desk.models import Attachment, WorkOrder
from mains.desk.states import State


def send(client, community, data, photo=None, **extra):
    payload = dict(data)
    if photo is not None:
        payload["photo"] = photo
    return client.post(f"/c/{community.pk}/", payload, **extra)


def test_a_report_becomes_a_web_order_routed_to_the_community_specialist(
    client, city, report, photo
):
    response = send(client, city.xingguang, report, photo())
    assert response.status_code == 302
    assert response["Location"] == f"/c/{city.xingguang.pk}/reported/"
    order = WorkOrder.objects.get()
    assert order.channel == "web"
    assert order.created_by is None
    assert order.community == city.xingguang
    assert order.category == city.leak
    assert order.specialist == city.sam.specialist
    assert order.grid == city.grid_east
    assert order.state == State.DISPATCHED
    assert order.caller_phone == "13812345678"
    assert order.address == "星光水晶城 3号楼2单元501"
    assert order.description == "3号楼楼道水表一直在滴水"
    attachment = Attachment.objects.get(order=order)
    assert attachment.is_image

    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    assert order.number in html
    assert f"/track/?number={order.number}" in html


def test_without_an_address_the_order_takes_the_community_address(client, city, report):
    send(client, city.xingguang, {**report, "address": ""})
    assert WorkOrder.objects.get().address == "东昌路88号"


def test_the_receipt_page_without_a_report_leads_back_to_the_community(client, city):
    response = client.get(f"/c/{city.xingguang.pk}/reported/")
    assert response.status_code == 302
    assert response["Location"] == f"/c/{city.xingguang.pk}/"


def test_bad_input_keeps_what_was_typed(client, city, report):
    response = send(client, city.xingguang, {**report, "category": "", "phone": "12345"})
    assert response.status_code == 200
    assert not WorkOrder.objects.exists()
    form = response.context["form"]
    assert set(form.errors) == {"category", "phone"}
    html = response.content.decode()
    assert "3号楼楼道水表一直在滴水" in html
    assert 'value="3号楼2单元501"' in html
    assert 'value="12345"' in html


def test_a_category_of_another_utility_is_refused(client, city, report):
    heat = city.leak.__class__.objects.get(code="H-LEAK")
    response = send(client, city.xingguang, {**report, "category": str(heat.pk)})
    assert "category" in response.context["form"].errors
    assert not WorkOrder.objects.exists()


def test_a_photo_too_large_is_refused_and_everything_typed_is_kept(
    client, city, report, photo, settings
):
    settings.ATTACHMENT_MAX_BYTES = 50
    response = send(client, city.xingguang, report, photo())
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    assert not WorkOrder.objects.exists()
    html = response.content.decode()
    assert "3号楼楼道水表一直在滴水" in html
    assert 'value="138 1234 5678"' in html
    assert 'id="photo-again"' in html


def test_a_web_page_dressed_as_a_photo_is_refused(client, city, report, photo):
    fake = photo("leak.png", b"<html><script>alert(1)</script></html>", "image/png")
    response = send(client, city.xingguang, report, fake)
    assert "photo" in response.context["form"].errors
    assert not WorkOrder.objects.exists()


def test_a_pdf_is_not_a_photo(client, city, report, photo):
    pdf = photo("bill.pdf", b"%PDF-1.4 minimal", "application/pdf")
    response = send(client, city.xingguang, report, pdf)
    assert "photo" in response.context["form"].errors


def test_the_form_needs_its_csrf_token(city, report):
    strict = Client(enforce_csrf_checks=True)
    assert send(strict, city.xingguang, report).status_code == 403
    assert not WorkOrder.objects.exists()
