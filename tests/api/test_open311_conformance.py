"""Open311 GeoReport v2, one test per rule of the specification (wiki.open311.org/GeoReport_v2).

JSON answers are checked against the Open311 project's own schemas.
"""

from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from mains.api.tokens import create_token
from mains.desk.models import Channel, WorkOrder
from mains.desk.order_messages import tracking_url

from .open311_schemas import SCHEMAS, errors_against

pytestmark = pytest.mark.skipif(not SCHEMAS.exists(), reason="Open311 schemas not present")

V2 = "/open311/v2"


@pytest.fixture
def key(city):
    return create_token(city.agent, "12345 hotline")[1]


def submit(client, key=None, **fields):
    data = {
        "service_code": "W-LEAK",
        "address_string": "星光水晶城",
        "attribute[building]": "3号楼2单元501",
        "description": "楼道水表漏水",
        "first_name": "三",
        "last_name": "张",
        "phone": "13812341234",
        **fields,
    }
    if key:
        data["api_key"] = key
    return client.post(f"{V2}/requests.json", {k: v for k, v in data.items() if v is not None})


def is_error_list(response, status: int) -> bool:
    body = response.json()
    return (
        response.status_code == status
        and isinstance(body, list)
        and body[0]["code"] == status
        and body[0]["description"]
    )


def test_discovery_names_the_v2_endpoint_and_both_formats(client, city):
    body = client.get(f"{V2}/discovery.json").json()
    endpoint = body["endpoints"][0]
    assert "GeoReport_v2" in endpoint["specification"]
    assert {"application/json", "text/xml"} <= set(endpoint["formats"])
    assert endpoint["url"].endswith("/open311/v2")
    xml = ET.fromstring(client.get(f"{V2}/discovery.xml").content)
    assert xml.tag == "discovery" and xml.find("endpoints/endpoint/url") is not None


def test_services_list_every_active_category_and_conform_to_the_schema(client, city):
    body = client.get(f"{V2}/services.json").json()
    assert errors_against("services.json", body) == []
    codes = {s["service_code"] for s in body}
    assert {"W-LEAK", "W-BURST"} <= codes
    leak = next(s for s in body if s["service_code"] == "W-LEAK")
    assert leak["type"] == "realtime" and leak["group"] == "water" and leak["metadata"] is True


def test_services_in_xml_carry_the_same_services(client, city):
    json_codes = [s["service_code"] for s in client.get(f"{V2}/services.json").json()]
    root = ET.fromstring(client.get(f"{V2}/services.xml").content)
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.findall("service")] == json_codes


def test_a_service_definition_lists_its_attributes_and_conforms(client, city):
    body = client.get(f"{V2}/services/W-LEAK.json").json()
    assert errors_against("service-definition.json", body) == []
    building = next(a for a in body["attributes"] if a["code"] == "building")
    assert building["required"] is True and building["datatype"] == "string"
    root = ET.fromstring(client.get(f"{V2}/services/W-LEAK.xml").content)
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/code").text == "building"


def test_metadata_is_false_exactly_when_a_service_has_no_attributes(client, city):
    for service in client.get(f"{V2}/services.json").json():
        code = service["service_code"]
        attributes = client.get(f"{V2}/services/{code}.json").json()["attributes"]
        assert service["metadata"] == bool(attributes), code


def test_an_unknown_service_definition_is_404_in_an_error_list(client, city):
    assert is_error_list(client.get(f"{V2}/services/NOPE.json"), 404)


def test_posting_a_request_without_an_api_key_is_403(client, city):
    assert is_error_list(submit(client), 403)
    assert is_error_list(submit(client, key="wrong"), 403)
    assert not WorkOrder.objects.exists()


def test_posting_to_an_unknown_service_is_404(client, city, key):
    assert is_error_list(submit(client, key, service_code="NOPE"), 404)


def test_posting_without_a_location_is_400(client, city, key):
    assert is_error_list(submit(client, key, address_string=None), 400)
    assert is_error_list(submit(client, key, address_string=None, lat="36.45"), 400)


def test_posting_without_a_required_attribute_is_400(client, city, key):
    assert is_error_list(submit(client, key, **{"attribute[building]": None}), 400)


def test_posting_bad_values_is_400_never_500(client, city, key):
    for fields in (
        {"lat": "north", "long": "115.9", "address_string": None},
        {"lat": "91", "long": "115.9", "address_string": None},
        {"phone": "12"},
        {"description": "x" * 4001},
        {"attribute[since]": "last week"},
    ):
        assert is_error_list(submit(client, key, **fields), 400), fields
    assert not WorkOrder.objects.exists()


def test_a_posted_request_answers_its_id_at_once_in_a_list(client, city, key):
    response = submit(client, key)
    assert response.status_code == 201
    [answer] = response.json()
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    order = WorkOrder.objects.get(number=answer["service_request_id"])
    assert order.channel == Channel.API and order.community == city.xingguang
    assert order.caller_name == "张三" and "3号楼2单元501" in order.address
    assert order.number in answer["service_notice"]
    assert tracking_url(order.number) in answer["service_notice"], "the link opens this order"


def test_a_request_is_located_by_lat_and_long(client, city, key):
    city.jinxiu.latitude, city.jinxiu.longitude = 36.4561, 115.9853
    city.jinxiu.save()
    response = submit(client, key, address_string=None, lat="36.4565", long="115.9850")
    order = WorkOrder.objects.get(number=response.json()[0]["service_request_id"])
    assert order.community == city.jinxiu


def test_a_posted_request_in_xml_answers_in_xml(client, city, key):
    response = client.post(
        f"{V2}/requests.xml",
        {
            "api_key": key,
            "service_code": "W-COMPLAINT",
            "address_string": "锦绣家园",
            "description": "服务态度",
        },
    )
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text


def test_requests_conform_to_the_schema_with_dates_in_a_time_zone(client, city, new_order):
    new_order()
    body = client.get(f"{V2}/requests.json").json()
    assert len(body) == 1
    assert errors_against("requests.json", body) == []
    assert body[0]["requested_datetime"].endswith("+08:00")


def test_requests_default_to_the_last_90_days(client, city, new_order):
    old = new_order(at=timezone.now() - timedelta(days=91))
    recent = new_order()
    listed = {r["service_request_id"] for r in client.get(f"{V2}/requests.json").json()}
    assert listed == {recent.number}
    since = (timezone.now() - timedelta(days=95)).isoformat()
    earlier = client.get(f"{V2}/requests.json", {"start_date": since}).json()
    assert {r["service_request_id"] for r in earlier} == {old.number}


def test_a_search_may_not_span_more_than_90_days(client, city):
    window = {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-06-01T00:00:00+08:00"}
    assert is_error_list(client.get(f"{V2}/requests.json", window), 400)


def test_requests_return_at_most_1000_results(client, city):
    now = timezone.now()
    WorkOrder.objects.bulk_create(
        WorkOrder(
            number=f"T{i:07d}",
            channel=Channel.API,
            category=city.leak,
            priority=3,
            description="批量",
            state="received",
            received_at=now - timedelta(minutes=i),
        )
        for i in range(1001)
    )
    assert len(client.get(f"{V2}/requests.json").json()) == 1000


def test_a_list_of_request_ids_ignores_the_other_filters(client, city, new_order):
    first, second = new_order(), new_order(at=timezone.now() - timedelta(days=200))
    query = {"service_request_id": f"{first.number},{second.number}", "status": "closed"}
    found = {r["service_request_id"] for r in client.get(f"{V2}/requests.json", query).json()}
    assert found == {first.number, second.number}


def test_requests_filter_by_status_and_service_code(client, city, new_order):
    leak = new_order()
    new_order(category=city.burst)
    assert client.get(f"{V2}/requests.json", {"status": "closed"}).json() == []
    by_code = client.get(f"{V2}/requests.json", {"service_code": "W-LEAK"}).json()
    assert [r["service_request_id"] for r in by_code] == [leak.number]
    assert is_error_list(client.get(f"{V2}/requests.json", {"status": "pending"}), 400)


def test_a_date_that_is_not_iso_8601_is_400(client, city):
    assert is_error_list(client.get(f"{V2}/requests.json", {"start_date": "yesterday"}), 400)


def test_one_request_comes_as_a_list_of_one(client, city, new_order):
    order = new_order()
    body = client.get(f"{V2}/requests/{order.number}.json").json()
    assert errors_against("requests.json", body) == []
    assert [r["service_request_id"] for r in body] == [order.number]
    root = ET.fromstring(client.get(f"{V2}/requests/{order.number}.xml").content)
    assert root.tag == "service_requests" and len(root.findall("request")) == 1


def test_an_unknown_request_is_404(client, city):
    assert is_error_list(client.get(f"{V2}/requests/2099010100001.json"), 404)


def test_errors_in_xml_are_an_errors_list(client, city):
    response = client.get(f"{V2}/services/NOPE.xml")
    root = ET.fromstring(response.content)
    assert response.status_code == 404
    assert root.tag == "errors" and root.findtext("error/code") == "404"


def test_residents_data_stays_out_of_public_requests(client, city, new_order):
    order = new_order()
    [public] = client.get(f"{V2}/requests/{order.number}.json").json()
    assert public["description"] is None
    assert public["address"] == "星光水晶城3号楼****"
    assert "13812341234" not in str(public) and "张三" not in str(public)


def test_a_key_whose_user_sees_the_order_gets_its_description(client, city, new_order):
    order = new_order()
    sam_key = create_token(city.sam, "mini program")[1]
    [seen] = client.get(f"{V2}/requests/{order.number}.json", {"api_key": sam_key}).json()
    assert seen["description"] == order.description
    assert seen["address"] == order.address


def test_ids_come_at_once_so_there_are_no_tokens(client, city):
    assert is_error_list(client.get(f"{V2}/tokens/abc.json"), 404)


def test_an_unknown_endpoint_or_method_still_answers_an_error_list(client, city):
    assert is_error_list(client.get(f"{V2}/nothing.json"), 404)
    assert is_error_list(client.delete(f"{V2}/requests.json"), 405)
