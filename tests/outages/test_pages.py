"""The outage pages: list, announce (with the short-notice warning), change, end."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mains.notify.models import Message
from mains.outages.actions import do_attach_caller
from mains.outages.models import Outage

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def when(delta: timedelta) -> str:
    return f"{timezone.localtime(timezone.now() + delta):%Y-%m-%dT%H:%M}"


def typed(city, **changes) -> dict:
    data = {
        "kind": "planned",
        "utility": "water",
        "starts_at": when(timedelta(days=3)),
        "ends_at": when(timedelta(days=3, hours=6)),
        "reason": "管网改造，停水检修",
        "communities": [city.xingguang.pk],
    }
    data.update(changes)
    return data


@pytest.fixture
def dispatcher(client, city):
    client.force_login(city.dispatcher)
    return client


def test_the_list_shows_current_planned_and_ended_outages(dispatcher, city, new_outage):
    current = new_outage(reason="东昌路爆管")
    planned = new_outage(
        kind="planned",
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=3),
        reason="计划检修阀门",
    )
    response = dispatcher.get(reverse("outages:list"), **EN)
    assert response.status_code == 200
    assert [o.pk for o in response.context["current"]] == [current.pk]
    assert [o.pk for o in response.context["planned"]] == [planned.pk]
    assert "计划检修阀门" in response.content.decode()


def test_the_list_answers_in_few_queries(
    dispatcher, city, new_outage, django_assert_max_num_queries
):
    for _ in range(5):
        new_outage(communities=[city.xingguang, city.jinxiu])
    with django_assert_max_num_queries(12):
        assert dispatcher.get(reverse("outages:list")).status_code == 200


def test_announcing_by_grid_takes_every_community_of_the_grid(dispatcher, city):
    response = dispatcher.post(
        reverse("outages:new"), typed(city, communities=[], grids=[city.grid_west.pk]), **EN
    )
    outage = Outage.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("outages:detail", args=[outage.pk])
    assert list(outage.communities.all()) == [city.jinxiu]
    assert outage.created_by == city.dispatcher


def test_a_planned_outage_on_short_notice_is_saved_with_a_warning(dispatcher, city):
    data = typed(city, starts_at=when(timedelta(hours=10)), ends_at=when(timedelta(hours=14)))
    response = dispatcher.post(reverse("outages:new"), data, follow=True, **EN)
    assert Outage.objects.count() == 1
    shown = [str(m) for m in response.context["messages"]]
    assert any("24 hours ahead" in m for m in shown), shown


def test_a_long_planned_outage_needs_48_hours_notice(dispatcher, city):
    data = typed(city, starts_at=when(timedelta(hours=30)), ends_at=when(timedelta(hours=44)))
    response = dispatcher.post(reverse("outages:new"), data, follow=True, **EN)
    shown = [str(m) for m in response.context["messages"]]
    assert any("48 hours ahead" in m for m in shown), shown


def test_a_planned_outage_announced_in_time_gets_no_warning(dispatcher, city):
    response = dispatcher.post(reverse("outages:new"), typed(city), follow=True, **EN)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_an_emergency_outage_gets_no_short_notice_warning(dispatcher, city):
    data = typed(
        city, kind="emergency", starts_at=when(timedelta(0)), ends_at=when(timedelta(hours=4))
    )
    response = dispatcher.post(reverse("outages:new"), data, follow=True, **EN)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_a_bad_form_keeps_what_was_typed_and_says_why(dispatcher, city):
    data = typed(
        city,
        communities=[],
        starts_at=when(timedelta(days=3)),
        ends_at=when(timedelta(days=2)),
        reason="主管道更换",
    )
    response = dispatcher.post(reverse("outages:new"), data, **EN)
    assert response.status_code == 200
    form = response.context["form"]
    assert "ends_at" in form.errors and "communities" in form.errors
    assert "主管道更换" in response.content.decode()
    assert not Outage.objects.exists()


def test_changing_the_window_from_the_page_notifies_attached_callers(
    dispatcher, city, new_outage, outage_templates
):
    outage = new_outage()
    do_attach_caller(outage, "张三", "13812341234", city.agent)
    data = typed(
        city,
        kind="emergency",
        starts_at=f"{timezone.localtime(outage.starts_at):%Y-%m-%dT%H:%M}",
        ends_at=when(timedelta(hours=9)),
        reason=outage.reason,
        version=outage.version,
    )
    response = dispatcher.post(reverse("outages:edit", args=[outage.pk]), data, **EN)
    assert response.status_code == 302
    assert Message.objects.filter(event="outage_changed", recipient="13812341234").exists()


def test_a_change_from_a_stale_form_is_refused_and_kept(dispatcher, city, new_outage):
    outage = new_outage()
    data = typed(
        city, ends_at=when(timedelta(hours=9)), reason="新原因", version=outage.version - 1
    )
    data["starts_at"] = f"{timezone.localtime(outage.starts_at):%Y-%m-%dT%H:%M}"
    response = dispatcher.post(reverse("outages:edit", args=[outage.pk]), data, **EN)
    assert response.status_code == 200
    assert "Someone else changed this outage" in response.content.decode()
    assert "新原因" in response.content.decode()


def test_the_end_button_ends_the_outage_and_notifies(
    dispatcher, city, new_outage, outage_templates
):
    outage = new_outage()
    do_attach_caller(outage, "张三", "13812341234", city.agent)
    page = dispatcher.get(reverse("outages:detail", args=[outage.pk]), **EN)
    assert "End outage" in page.content.decode()
    assert "138****1234" in page.content.decode()
    assert "13812341234" not in page.content.decode()
    response = dispatcher.post(
        reverse("outages:end", args=[outage.pk]), {"version": outage.version}, **EN
    )
    assert response.status_code == 302
    outage.refresh_from_db()
    assert outage.status == Outage.Status.ENDED
    assert Message.objects.filter(event="outage_ended", recipient="13812341234").exists()


def test_ending_twice_says_it_is_over_without_an_error_page(dispatcher, city, new_outage):
    outage = new_outage()
    url = reverse("outages:end", args=[outage.pk])
    dispatcher.post(url, **EN)
    response = dispatcher.post(url, follow=True, **EN)
    assert response.status_code == 200
    assert any("over" in str(m) for m in response.context["messages"])


def test_the_community_search_finds_by_initials(dispatcher, city):
    response = dispatcher.get(reverse("outages:communities"), {"q": "xgsjc"})
    assert "星光水晶城" in response.content.decode()
    assert "锦绣家园" not in response.content.decode()


def test_moving_a_planned_outage_closer_warns_too(dispatcher, city, new_outage):
    outage = new_outage(
        kind="planned",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=4),
    )
    data = typed(
        city,
        starts_at=when(timedelta(hours=5)),
        ends_at=when(timedelta(hours=8)),
        reason=outage.reason,
        version=outage.version,
    )
    response = dispatcher.post(reverse("outages:edit", args=[outage.pk]), data, follow=True, **EN)
    assert any("24 hours ahead" in str(m) for m in response.context["messages"])


def test_an_ended_outage_cannot_be_edited(dispatcher, city, new_outage):
    outage = new_outage()
    dispatcher.post(reverse("outages:end", args=[outage.pk]))
    response = dispatcher.get(reverse("outages:edit", args=[outage.pk]), follow=True, **EN)
    assert response.redirect_chain[-1][0] == reverse("outages:detail", args=[outage.pk])
    assert "End outage" not in response.content.decode()


def test_picking_more_grids_costs_no_more_queries(city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mains.outages.forms import OutageForm

    def clean(grids):
        form = OutageForm(typed(city, communities=[], grids=[g.pk for g in grids]))
        with CaptureQueriesContext(connection) as queries:
            assert form.is_valid(), form.errors
        return form.cleaned_data["all_communities"], len(queries)

    one, one_queries = clean([city.grid_west])
    both, both_queries = clean([city.grid_east, city.grid_west])
    assert one == [city.jinxiu]
    assert sorted(c.pk for c in both) == sorted([city.xingguang.pk, city.jinxiu.pk])
    assert both_queries == one_queries
