"""Issue 10, item 4: every page, API answer or admin view that shows a resident's data
unmasked writes one access log entry per subject, with the user and the purpose; a page
that shows it masked writes none; a list costs one INSERT, not one per row."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mains.api.tokens import create_token
from mains.org.access_log import note_view
from mains.org.models import AccessLog
from tests.security.personal_data import (
    CALLER,
    RESIDENT,
    register_resident,
    resolved,
    views,
)

Purpose = AccessLog.Purpose


def test_the_assignee_opening_an_order_writes_one_entry_working_the_order(client, city, new_order):
    order = new_order()
    client.force_login(city.sam)
    page = client.get(f"/desk/orders/{order.pk}/", REMOTE_ADDR="10.1.2.3").content.decode()
    assert all(value in page for value in CALLER)
    [entry] = views()
    assert (entry.user, entry.subject, entry.fields, entry.purpose, entry.ip) == (
        city.sam,
        f"order:{order.pk}",
        "name,phone,address",
        Purpose.WORKING,
        "10.1.2.3",
    )


def test_each_view_is_logged_again(client, city, new_order):
    order = new_order()
    client.force_login(city.sam)
    client.get(f"/desk/orders/{order.pk}/")
    client.get(f"/desk/orders/{order.pk}/")
    assert len(views()) == 2


def test_my_orders_writes_one_entry_per_order_it_shows(client, city, new_order):
    mine = [new_order(caller_phone=f"1381234000{i}") for i in range(3)]
    new_order(community=city.jinxiu)  # tom's
    client.force_login(city.sam)
    assert client.get("/desk/mine/").status_code == 200
    logged = views()
    assert sorted(e.subject for e in logged) == sorted(f"order:{o.pk}" for o in mine)
    assert {(e.user, e.purpose) for e in logged} == {(city.sam, Purpose.WORKING)}


def test_the_callback_queue_logs_each_caller_it_shows_for_calling_back(client, city, new_order):
    due = [resolved(city, new_order) for _ in range(2)]
    client.force_login(city.agent)
    page = client.get("/desk/callbacks/").content.decode()
    assert CALLER[1] in page
    logged = views()
    assert sorted(e.subject for e in logged) == sorted(f"order:{o.pk}" for o in due)
    assert {(e.user, e.purpose, e.fields) for e in logged} == {
        (city.agent, Purpose.CALLBACK, "name,phone")
    }


def test_pages_that_mask_the_data_write_nothing(client, city, new_order):
    order = resolved(city, new_order)
    register_resident(city)
    client.force_login(city.dispatcher)
    for url in [
        f"/desk/orders/{order.pk}/",
        "/desk/orders/",
        "/desk/board/",
        "/care/residents/",
    ]:
        assert client.get(url).status_code == 200, url
    client.force_login(city.agent)
    assert client.get("/desk/callbacks/?tab=archive").status_code == 200
    client.force_login(city.admin)
    assert client.get("/notify/messages/").status_code == 200
    assert views() == []


def test_a_revealed_order_is_logged_on_each_view_with_the_reason_typed(client, city, new_order):
    order = new_order()
    client.force_login(city.dispatcher)
    client.post("/desk/reveal/", {"subject": f"order:{order.pk}", "reason": "核实地址"})
    client.get(f"/desk/orders/{order.pk}/")
    client.get(f"/desk/orders/{order.pk}/")
    assert AccessLog.objects.filter(action=AccessLog.Action.REVEAL).count() == 1
    assert [(e.user, e.purpose, e.reason) for e in views()] == [
        (city.dispatcher, Purpose.REVEALED, "核实地址"),
        (city.dispatcher, Purpose.REVEALED, "核实地址"),
    ]


def test_the_special_group_visits_page_logs_each_resident_for_the_visit(client, city):
    resident = register_resident(city)
    register_resident(city, name="别处的人", phone="13600002222", community=city.jinxiu)
    client.force_login(city.sam)
    page = client.get("/care/visits/").content.decode()
    assert all(value in page for value in RESIDENT)
    [entry] = views()
    assert (entry.user, entry.subject, entry.fields, entry.purpose) == (
        city.sam,
        f"resident:{resident.pk}",
        "name,address,phone",
        Purpose.VISIT,
    )


def api_get(client, user, path: str):
    _token, key = create_token(user, "test")
    return client.get(path, headers={"Authorization": f"Bearer {key}"})


def test_the_api_logs_the_orders_it_unmasks_for_the_assignee(client, city, new_order):
    order = new_order()
    answer = api_get(client, city.sam, f"/api/v1/orders/{order.pk}").json()
    assert (answer["caller_phone"], answer["personal_data_masked"]) == (CALLER[1], False)
    [entry] = views()
    assert (entry.user, entry.subject, entry.fields, entry.purpose) == (
        city.sam,
        f"order:{order.pk}",
        "name,phone,address",
        Purpose.WORKING,
    )
    api_get(client, city.sam, "/api/v1/orders")
    assert len(views()) == 2


def test_the_api_writes_nothing_when_it_masks(client, city, new_order):
    new_order()
    answer = api_get(client, city.dispatcher, "/api/v1/orders").json()
    assert answer["items"][0]["personal_data_masked"] is True
    assert views() == []


def test_open311_logs_the_address_it_shows_the_assignee(client, city, new_order):
    order = new_order()
    _token, key = create_token(city.sam, "open311")
    answer = client.get(f"/open311/v2/requests/{order.number}.json", {"api_key": key}).json()
    assert answer[0]["address"] == CALLER[2]
    [entry] = views()
    assert (entry.user, entry.subject, entry.fields) == (city.sam, f"order:{order.pk}", "address")
    client.get(f"/open311/v2/requests/{order.number}.json")  # anonymous: masked
    assert len(views()) == 1


def test_an_unmasked_view_in_the_admin_is_logged_for_administration(client, city, new_order):
    order = new_order()
    client.force_login(city.admin)
    client.post(f"/admin/desk/workorder/{order.pk}/reveal/", {"reason": "核对重复工单"})
    client.get(f"/admin/desk/workorder/{order.pk}/change/")
    [entry] = views()
    assert (entry.user, entry.subject, entry.purpose, entry.reason) == (
        city.admin,
        f"order:{order.pk}",
        Purpose.ADMINISTRATION,
        "核对重复工单",
    )


def access_log_inserts(queries) -> int:
    return sum(1 for q in queries if q["sql"].startswith("INSERT") and "org_accesslog" in q["sql"])


def queries_of(client, url: str):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return captured.captured_queries


def test_the_callback_queue_logs_a_page_of_callers_in_one_insert(client, city, new_order):
    resolved(city, new_order)
    client.force_login(city.agent)
    queries_of(client, "/desk/callbacks/")  # warm the session and caches
    few = queries_of(client, "/desk/callbacks/")
    for _ in range(9):
        resolved(city, new_order)
    many = queries_of(client, "/desk/callbacks/")
    assert access_log_inserts(few) == access_log_inserts(many) == 1
    assert len(many) == len(few)
    assert len(views()) == 1 + 1 + 10


def test_my_orders_logs_its_orders_in_one_insert(client, city, new_order):
    new_order()
    client.force_login(city.sam)
    queries_of(client, "/desk/mine/")
    few = queries_of(client, "/desk/mine/")
    for _ in range(9):
        new_order()
    many = queries_of(client, "/desk/mine/")
    assert access_log_inserts(few) == access_log_inserts(many) == 1
    assert len(many) == len(few)


def test_a_view_noted_outside_a_request_is_written_at_once(city):
    note_view(city.sam, "order:1", ["phone"], Purpose.WORKING)
    [entry] = views()
    assert (entry.subject, entry.fields, entry.ip) == ("order:1", "phone", None)


def test_the_access_log_page_shows_views_and_their_purpose(client, city, new_order):
    order = new_order()
    client.force_login(city.sam)
    client.get(f"/desk/orders/{order.pk}/")
    client.force_login(city.admin)
    page = client.get(
        "/org/access-log/",
        {"action": "view", "subject": f"order:{order.pk}"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "Working the order" in page and "sam" in page and "name,phone,address" in page
    other = client.get("/org/access-log/", {"subject": "order:999999"}).content.decode()
    assert "sam" not in other.split("<tbody>")[1]
