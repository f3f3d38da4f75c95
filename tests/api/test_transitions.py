import datetime

from django.utils import timezone

from mains.desk.models import OrderEvent


def act(client, order, action, **payload):
    """Post the action with the order's version as a client that just read it would."""
    order.refresh_from_db(fields=["version"])
    payload.setdefault("version", order.version)
    return client.post(f"/api/v1/orders/{order.pk}/actions/{action}", payload)


def test_the_assignee_accepts_arrives_and_resolves_through_the_api(city, api_as, new_order):
    order = new_order()
    sam = api_as("sam")
    assert act(sam, order, "accept").json()["state"] == "accepted"
    assert act(sam, order, "arrive", note="到场").json()["state"] == "on_site"
    resolved = act(sam, order, "resolve", note="更换阀门")
    assert resolved.status_code == 200
    assert resolved.json()["state"] == "resolved" and resolved.json()["resolution"] == "更换阀门"
    actions = list(OrderEvent.objects.filter(order=order).values_list("action", flat=True))
    assert actions[-3:] == ["accept", "arrive", "resolve"]


def test_an_action_the_state_does_not_allow_is_a_409_conflict(city, api_as, new_order):
    order = new_order()
    response = act(api_as("sam"), order, "resolve", note="x")
    assert response.status_code == 409
    assert response.json()["error"] == "illegal_transition"
    assert response.json()["detail"]


def test_an_action_the_role_may_not_take_is_a_403(city, api_as, new_order):
    order = new_order()
    response = act(api_as("agent"), order, "accept")
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_a_missing_field_of_the_form_is_a_422_naming_it(city, api_as, new_order):
    order = new_order()
    response = act(api_as("sam"), order, "return")
    assert response.status_code == 422
    assert response.json()["error"] == "invalid"
    assert "note" in response.json()["fields"]


def test_a_stale_version_is_a_409_and_changes_nothing(city, api_as, new_order):
    order = new_order()
    response = act(api_as("sam"), order, "accept", version=order.version - 1 or 99)
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"
    order.refresh_from_db()
    assert order.state == "dispatched"


def test_the_dispatcher_transfers_with_the_specialist_id(city, api_as, new_order):
    order = new_order()
    tom = city.tom.specialist
    response = act(api_as("dispatcher"), order, "transfer", specialist=tom.pk, note="西边的")
    assert response.status_code == 200
    assert response.json()["specialist"] == "唐涛"


def test_an_extension_takes_an_iso_deadline_and_is_decided_with_true_or_false(
    city, api_as, new_order
):
    order = new_order()
    sam = api_as("sam")
    act(sam, order, "accept")
    until = (timezone.now() + datetime.timedelta(days=10)).isoformat()
    asked = act(sam, order, "request_extension", until=until, note="等配件")
    assert asked.status_code == 200, asked.content
    decided = act(api_as("dispatcher"), order, "approve_extension", approve=True)
    assert decided.status_code == 200, decided.content
    order.refresh_from_db()
    assert order.extension_requested_until is None
    assert abs((order.resolve_due - datetime.datetime.fromisoformat(until)).total_seconds()) < 1


def test_an_unknown_action_or_an_order_not_yours_answers_json(city, api_as, new_order):
    order = new_order(community=city.jinxiu)
    sam = api_as("sam")
    unknown = act(sam, order, "explode")
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"
    hidden = act(sam, order, "accept")
    assert hidden.status_code == 404 and hidden.json()["error"] == "not_found"
