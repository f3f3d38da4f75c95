"""One form of object access for every kind: `<thing>_for(user, pk)` answers the same 404
for a thing that does not exist and for one the user may not see."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from mains.care.access import resident_for
from mains.care.actions import do_register_resident
from mains.care.models import Resident
from mains.kb.access import article_for
from mains.kb.models import Article
from mains.outages.access import outage_for
from mains.outages.actions import do_announce_outage
from mains.supervision.access import observation_for
from mains.supervision.actions import do_file_observation

MISSING = 987654


def _resident(city, community):
    return do_register_resident(
        city.dispatcher,
        consent_note="本人签字同意",
        name="王奶奶",
        phone="13600001111",
        address="3号楼1单元101",
        community=community,
        group=Resident.Group.ELDERLY_ALONE,
        visit_every_days=30,
    )


def _same_404(read, user, pk):
    with pytest.raises(Http404) as not_yours:
        read(user, pk)
    with pytest.raises(Http404) as missing:
        read(user, MISSING)
    assert str(not_yours.value) == str(missing.value)


def test_a_specialist_reads_only_the_residents_of_their_grids(city):
    east = _resident(city, city.xingguang)  # sam's grid
    assert resident_for(city.sam, east.pk) == east
    assert resident_for(city.dispatcher, east.pk) == east
    _same_404(resident_for, city.tom, east.pk)
    _same_404(resident_for, city.engineer, east.pk)


def test_a_supervisor_reads_their_own_observations_and_those_who_answer_read_all(city):
    mine = do_file_observation(city.supervisor, "service", "窗口无人")
    assert observation_for(city.supervisor, mine.pk) == mine
    assert observation_for(city.manager, mine.pk) == mine
    other = type(city.supervisor).objects.create_user("vera", password="x", role="supervisor")
    _same_404(observation_for, other, mine.pk)
    _same_404(observation_for, city.sam, mine.pk)


def test_a_withdrawn_article_reads_as_missing(city):
    article = Article.objects.create(title="水的硬度", topic="water_quality", body="硬度说明")
    assert article_for(city.agent, article.pk) == article
    Article.objects.filter(pk=article.pk).update(active=False)
    _same_404(article_for, city.agent, article.pk)


def test_outages_are_read_by_every_signed_in_user_and_an_unknown_id_is_404(city):
    now = timezone.now()
    outage = do_announce_outage(
        by=city.dispatcher,
        kind="emergency",
        utility="water",
        communities=[city.xingguang],
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=5),
        reason="东昌路主管道爆管抢修",
    )
    assert outage_for(city.agent, outage.pk) == outage
    with pytest.raises(Http404):
        outage_for(city.agent, MISSING)


def test_the_record_visit_page_answers_404_for_a_resident_of_another_grid(client, city):
    east = _resident(city, city.xingguang)
    client.force_login(city.tom)
    missing = client.post(f"/care/residents/{MISSING}/visit/", {"help": "chat"})
    not_yours = client.post(f"/care/residents/{east.pk}/visit/", {"help": "chat"})
    assert missing.status_code == not_yours.status_code == 404
    client.force_login(city.sam)
    assert client.post(f"/care/residents/{east.pk}/visit/", {"help": "chat"}).status_code == 302
