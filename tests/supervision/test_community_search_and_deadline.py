"""The supervisor picks a community with the intake's search (not a select of hundreds),
and an observation's deadline shows in the SLA colours: red with words once it is past."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from mains.supervision.actions import do_file_observation
from mains.supervision.models import WARN_BEFORE, Observation


def test_the_form_offers_a_search_box_not_a_select_of_every_community(client, city):
    client.force_login(city.supervisor)
    page = client.get("/supervision/mine/").content.decode()
    assert "<select" not in page.split('name="community"')[0].rsplit("<label", 1)[-1]
    assert 'id="id_community_search"' in page and 'for="id_community_search"' in page
    assert 'hx-get="/desk/intake/communities/"' in page
    assert "mains/community_search.js" in page
    assert city.jinxiu.name not in page, "the communities are not all listed"


def test_a_supervisor_finds_a_community_by_its_pinyin_initials(client, city):
    client.force_login(city.supervisor)
    response = client.get("/desk/intake/communities/", {"q": "xgsj"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-id="{city.xingguang.pk}"' in page and city.jinxiu.name not in page


def test_the_picked_community_is_filed_with_the_observation(client, city):
    client.force_login(city.supervisor)
    data = {"kind": "service", "community": city.jinxiu.pk, "community_label": "锦绣家园"}
    response = client.post("/supervision/mine/", {**data, "text": "抄表员未出示证件"})
    assert response.status_code == 302
    assert Observation.objects.get().community == city.jinxiu


def test_a_typed_but_unpicked_community_is_refused_and_kept(client, city):
    client.force_login(city.supervisor)
    data = {"kind": "service", "community": "", "community_label": "星光水"}
    response = client.post("/supervision/mine/", {**data, "text": "营业厅排队太久"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "请从输入时弹出的列表中选择小区，或清空此栏。" in page
    assert 'value="星光水"' in page and "营业厅排队太久" in page
    assert not Observation.objects.exists()


def test_after_an_error_the_picked_community_is_shown_by_name(client, city):
    client.force_login(city.supervisor)
    response = client.post("/supervision/mine/", {"kind": "service", "community": city.jinxiu.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{city.jinxiu.pk}"' in page and 'value="锦绣家园"' in page


def test_the_deadline_is_green_then_yellow_then_red_and_answered_is_done(city):
    with time_machine.travel("2026-12-01 09:00 +0800", tick=False):
        observation = do_file_observation(city.supervisor, "service", "窗口无人")
    due = observation.answer_due
    assert observation.answer_level(due - WARN_BEFORE - timedelta(minutes=1)) == "green"
    assert observation.answer_level(due - timedelta(hours=2)) == "yellow"
    assert observation.answer_level(due) == "red"
    assert observation.answer_level(due + timedelta(days=3)) == "red"
    observation.answered_at = due + timedelta(days=3)
    assert observation.answer_level(due + timedelta(days=4)) == "answered"


def test_an_overdue_observation_shows_red_with_words_to_the_supervisor_and_the_manager(
    client, city
):
    late = do_file_observation(city.supervisor, "integrity", "收费不开票")
    Observation.objects.filter(pk=late.pk).update(answer_due=timezone.now() - timedelta(hours=3))
    for user, url in (
        (city.supervisor, "/supervision/mine/"),
        (city.manager, "/supervision/inbox/"),
    ):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert 'class="badge text-bg-danger obs-overdue"' in page, url
        assert "已逾期：应于" in page, url
        assert "text-bg-warning" not in page, url


def test_an_observation_due_within_a_day_shows_yellow(client, city):
    soon = do_file_observation(city.supervisor, "service", "热线占线")
    Observation.objects.filter(pk=soon.pk).update(answer_due=timezone.now() + timedelta(hours=5))
    client.force_login(city.supervisor)
    page = client.get("/supervision/mine/").content.decode()
    assert "obs-due-soon" in page and "obs-overdue" not in page
