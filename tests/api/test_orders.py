from mains.desk.models import Channel, WorkOrder

NEW = {
    "category": "W-LEAK",
    "description": "楼道水表漏水",
    "community": None,
    "caller_name": "李四",
    "caller_phone": "13812345678",
    "address": "星光水晶城5号楼1单元301",
}


def payload(city, **changes) -> dict:
    return {**NEW, "community": city.xingguang.pk, **changes}


def test_an_agent_creates_an_order_on_the_api_channel_routed_like_any_other(city, api_as):
    response = api_as("agent").post("/api/v1/orders", payload(city))
    assert response.status_code == 201
    body = response.json()
    order = WorkOrder.objects.get(pk=body["id"])
    assert order.channel == Channel.API and order.created_by == city.agent
    assert body["number"] == order.number
    assert body["state"] == "dispatched" and body["specialist"] == "孙明"
    assert body["received_at"].endswith("+08:00")


def test_it_refuses_to_create_for_a_role_that_takes_no_calls(city, api_as):
    response = api_as("engineer").post("/api/v1/orders", payload(city))
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert not WorkOrder.objects.exists()


def test_a_wrong_order_answers_422_with_a_reason_and_makes_nothing(city, api_as):
    client = api_as("agent")
    cases = [
        payload(city, category="NOPE"),
        payload(city, community=999999),
        payload(city, community=None, address=""),
        payload(city, caller_phone="12"),
        payload(city, description="   "),
        {"description": "x"},
        payload(city, description="bad\x00byte"),
    ]
    for case in cases:
        response = client.post("/api/v1/orders", case)
        assert response.status_code == 422, case
        assert response.json()["error"] == "invalid" and response.json()["detail"]
    assert not WorkOrder.objects.exists()


def test_a_bad_caller_phone_answers_422_saying_what_is_wrong(city, api_as):
    response = api_as("agent").post("/api/v1/orders", payload(city, caller_phone="12"))
    assert response.status_code == 422
    assert response.json()["error"] == "invalid"
    assert "“12”" in response.json()["detail"]
    assert not WorkOrder.objects.exists()


def test_it_reads_one_order_and_hides_others_behind_the_same_404(city, api_as, new_order):
    east = new_order()
    west = new_order(community=city.jinxiu)
    sam = api_as("sam")
    assert sam.get(f"/api/v1/orders/{east.pk}").json()["number"] == east.number
    assert sam.get(f"/api/v1/orders/{west.pk}").status_code == 404
    assert sam.get("/api/v1/orders/999999").status_code == 404
    assert sam.get("/api/v1/orders/999999").json()["error"] == "not_found"


def test_each_role_lists_the_orders_it_sees_on_the_pages(city, api_as, new_order):
    east = new_order()
    west = new_order(community=city.jinxiu)

    def numbers(role):
        return {o["number"] for o in api_as(role).get("/api/v1/orders").json()["items"]}

    assert numbers("dispatcher") == {east.number, west.number}
    assert numbers("sam") == {east.number}
    assert numbers("tom") == {west.number}
    assert numbers("unit_manager") == {east.number}


def test_residents_data_is_masked_unless_the_caller_works_the_order(city, api_as, new_order):
    order = new_order()
    seen = api_as("sam").get(f"/api/v1/orders/{order.pk}").json()
    assert seen["caller_phone"] == "13812341234" and seen["caller_name"] == "张三"
    assert seen["personal_data_masked"] is False
    for role in ("dispatcher", "agent", "unit_manager", "manager"):
        masked = api_as(role).get(f"/api/v1/orders/{order.pk}").json()
        assert masked["caller_phone"] == "138****1234", role
        assert masked["caller_name"] == "张*"
        assert masked["address"] == "星光水晶城3号楼****"
        assert masked["personal_data_masked"] is True


def test_the_list_pages_with_limit_and_offset_and_gives_the_total(city, api_as, new_order):
    made = [new_order() for _ in range(5)]
    client = api_as("dispatcher")
    first = client.get("/api/v1/orders", {"limit": 2}).json()
    second = client.get("/api/v1/orders", {"limit": 2, "offset": 2}).json()
    last = client.get("/api/v1/orders", {"limit": 2, "offset": 4}).json()
    assert first["total"] == 5 and (first["limit"], first["offset"]) == (2, 0)
    pages = first["items"] + second["items"] + last["items"]
    assert len(last["items"]) == 1
    assert sorted(o["id"] for o in pages) == sorted(o.pk for o in made)
    assert client.get("/api/v1/orders", {"limit": 0}).status_code == 422
    assert client.get("/api/v1/orders", {"limit": 201}).status_code == 422


def test_the_list_filters_by_state_category_community_and_time(city, api_as, new_order):
    leak = new_order()
    burst = new_order(category=city.burst, community=city.jinxiu)
    client = api_as("dispatcher")

    def ids(**query):
        response = client.get("/api/v1/orders", query)
        assert response.status_code == 200, response.content
        return {o["id"] for o in response.json()["items"]}

    assert ids(category="W-BURST") == {burst.pk}
    assert ids(community=city.xingguang.pk) == {leak.pk}
    assert ids(state="open") == {leak.pk, burst.pk}
    assert ids(state="closed") == set()
    assert ids(since="2000-01-01T00:00:00+08:00") == {leak.pk, burst.pk}
    assert ids(until="2000-01-01T00:00:00+08:00") == set()
    assert client.get("/api/v1/orders", {"state": "nonsense"}).status_code == 422
    assert client.get("/api/v1/orders", {"since": "yesterday"}).status_code == 422


def test_listing_a_page_of_orders_takes_a_fixed_number_of_queries(
    city, api_as, new_order, django_assert_max_num_queries
):
    for _ in range(20):
        new_order()
    client = api_as("sam")
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/orders", {"limit": 20})
    assert len(response.json()["items"]) == 20
