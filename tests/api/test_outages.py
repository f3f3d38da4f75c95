from datetime import timedelta

from django.utils import timezone

from mains.outages.models import Outage


def make_outage(communities, starts_in_hours: float, hours: float = 4, **fields) -> Outage:
    start = timezone.now() + timedelta(hours=starts_in_hours)
    outage = Outage.objects.create(
        kind=Outage.Kind.PLANNED,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        reason="主管道维修",
        **fields,
    )
    outage.communities.set(communities)
    return outage


def test_current_outages_are_listed_with_their_communities(city, api_as):
    now_off = make_outage([city.xingguang], starts_in_hours=-1)
    make_outage([city.jinxiu], starts_in_hours=24)
    body = api_as("agent").get("/api/v1/outages").json()
    assert body["total"] == 1
    [item] = body["items"]
    assert item["id"] == now_off.pk and item["phase"] == "active"
    assert item["communities"] == [{"id": city.xingguang.pk, "name": "星光水晶城"}]
    assert item["starts_at"].endswith("+08:00")


def test_planned_and_ended_outages_and_the_community_filter(city, api_as):
    planned = make_outage([city.jinxiu], starts_in_hours=24)
    ended = make_outage(
        [city.xingguang], starts_in_hours=-10, status=Outage.Status.ENDED, ended_at=timezone.now()
    )
    client = api_as("sam")

    def ids(**query):
        return [o["id"] for o in client.get("/api/v1/outages", query).json()["items"]]

    assert ids(section="planned") == [planned.pk]
    assert ids(section="ended") == [ended.pk]
    assert ids(section="planned", community=city.xingguang.pk) == []
    assert client.get("/api/v1/outages", {"section": "someday"}).status_code == 422


def test_one_outage_is_read_by_id_and_a_missing_one_is_404(city, api_as):
    outage = make_outage([city.xingguang], starts_in_hours=2)
    client = api_as("engineer")
    assert client.get(f"/api/v1/outages/{outage.pk}").json()["phase"] == "announced"
    assert client.get("/api/v1/outages/999999").status_code == 404
