"""Whatever is sent to Open311: never a 5xx, and an error is a list of {code, description}."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mains.api.tokens import create_token

V2 = "/open311/v2"
FIELDS = [
    "service_code",
    "lat",
    "long",
    "address_string",
    "description",
    "first_name",
    "last_name",
    "phone",
    "email",
    "attribute[building]",
    "attribute[since]",
    "service_request_id",
    "start_date",
    "end_date",
    "status",
]
values = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["W-LEAK", "W-COMPLAINT", "36.45", "-200", "nan", "2026-11-21T08:00:00+08:00"]),
)
params = st.dictionaries(st.sampled_from(FIELDS), values, max_size=8)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_well_answered(response):
    assert response.status_code < 500, response.content
    if response.status_code >= 400 and response["Content-Type"].startswith("application/json"):
        body = response.json()
        assert isinstance(body, list) and body[0]["code"] == response.status_code
        assert body[0]["description"]


@FUZZ
@given(data=params, with_key=st.booleans())
def test_posting_anything_never_fails(client, city, data, with_key):
    if with_key:
        data = {**data, "api_key": create_token(city.agent, "fuzz")[1]}
    assert_well_answered(client.post(f"{V2}/requests.json", data))


@FUZZ
@given(query=params, path=st.text(min_size=1, max_size=30))
def test_reading_anything_never_fails(client, city, query, path):
    assert_well_answered(client.get(f"{V2}/requests.json", query))
    safe = path.replace("/", "_").replace("?", "_").replace("#", "_")
    assert_well_answered(client.get(f"{V2}/requests/{safe}.json"))
    assert_well_answered(client.get(f"{V2}/services/{safe}.xml"))
