import html
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from mains.supervision.actions import ObservationError, do_answer_observation
from mains.supervision.forms import AnswerForm
from mains.supervision.models import Observation


def file(client, city, **changes):
    client.force_login(city.supervisor)
    data = {"kind": "service", "community": city.xingguang.pk, "text": "营业厅窗口午休无人值守"}
    data.update(changes)
    return client.post("/supervision/mine/", data, HTTP_ACCEPT_LANGUAGE="en")


def test_a_supervisor_lands_on_their_observations_and_files_one(client, city):
    client.force_login(city.supervisor)
    assert client.get("/").url == "/supervision/mine/"
    response = file(client, city)
    assert response.status_code == 302
    observation = Observation.objects.get()
    assert observation.supervisor == city.supervisor
    assert observation.community == city.xingguang
    due = observation.answer_due - observation.filed_at
    assert due == timedelta(days=settings.SUPERVISION_ANSWER_DAYS)


def test_an_empty_observation_is_refused_and_keeps_the_choice(client, city):
    response = file(client, city, kind="integrity", text="")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Write what you observed." in page
    assert 'value="integrity" selected' in page
    assert not Observation.objects.exists()


def test_a_supervisor_sees_only_their_own_observations_and_the_answers(client, city):
    from mains.org.models import User
    from mains.org.roles import Role

    other = User.objects.create_user("wendy", password="x", role=Role.SUPERVISOR)
    file(client, city, text="我的意见")
    client.force_login(other)
    client.post("/supervision/mine/", {"kind": "other", "text": "别人的意见"})
    mine = Observation.objects.get(text="我的意见")
    do_answer_observation(mine, city.manager, "已整改：午休安排轮岗")
    client.force_login(city.supervisor)
    page = client.get("/supervision/mine/").content.decode()
    assert "我的意见" in page and "已整改：午休安排轮岗" in page
    assert "别人的意见" not in page


def test_a_manager_answers_once_and_overdue_ones_come_first(client, city):
    file(client, city, text="第一条")
    file(client, city, text="第二条")
    late = Observation.objects.get(text="第二条")
    Observation.objects.filter(pk=late.pk).update(answer_due=timezone.now() - timedelta(days=1))
    client.force_login(city.manager)
    page = client.get("/supervision/inbox/").content.decode()
    assert page.index("第二条") < page.index("第一条")
    response = client.post(f"/supervision/inbox/{late.pk}/answer/", {"answer": "已约谈"})
    assert response.status_code == 302
    late.refresh_from_db()
    assert (late.answer, late.answered_by) == ("已约谈", city.manager)
    with pytest.raises(ObservationError):
        do_answer_observation(late, city.manager, "再次答复")


def test_other_roles_cannot_file_or_answer(client, city):
    client.force_login(city.agent)
    assert client.get("/supervision/mine/").status_code == 403
    assert client.get("/supervision/inbox/").status_code == 403
    client.force_login(city.supervisor)
    assert client.get("/supervision/inbox/").status_code == 403


def test_a_too_long_answer_keeps_the_text_and_says_why(client, city):
    file(client, city, text="第三条")
    observation = Observation.objects.get(text="第三条")
    client.force_login(city.manager)
    too_long = "答" * 3999 + "尾字"  # 4001 characters
    response = client.post(f"/supervision/inbox/{observation.pk}/answer/", {"answer": too_long})
    assert response.status_code == 200
    page = response.content.decode()
    assert too_long in page, "what the manager typed is not lost"
    (error,) = AnswerForm({"answer": too_long}).errors["answer"]
    assert "4000" in error and html.escape(error) in page
    assert "Write the answer." not in page
    observation.refresh_from_db()
    assert not observation.is_answered
