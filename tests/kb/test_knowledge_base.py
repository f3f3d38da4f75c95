from mains.desk.kpi_counts import Period
from mains.desk.kpis import kpis_by
from mains.desk.models import WorkOrder
from mains.desk.states import State
from mains.kb.models import Article
from mains.kb.queries import search_articles


def test_the_default_articles_answer_the_residents_common_questions(db):
    titles = [a.title for a in search_articles("水垢")]
    assert titles[0] == "水的硬度与水垢"
    assert search_articles("缴费 老人")[0].title == "水费缴纳方式"
    assert search_articles("没有这个词") == []


def test_everyone_logged_in_reads_the_articles(client, city):
    client.force_login(city.sam)
    page = client.get("/kb/?q=停水").content.decode()
    assert "停水通知规则" in page
    article = Article.objects.get(title="停水通知规则")
    assert "24小时" in client.get(f"/kb/{article.pk}/").content.decode()


def test_the_intake_offers_articles_for_what_the_caller_says(client, city):
    client.force_login(city.agent)
    assert 'id="kb-card"' in client.get("/desk/intake/").content.decode()
    page = client.get("/kb/intake-search/", {"description": "水壶里有白色水垢"}).content.decode()
    assert "水的硬度与水垢" in page


def answer(client, city, article, **changes):
    data = {
        "caller_phone": "13812341234",
        "caller_name": "张三",
        "community": city.xingguang.pk,
        "category": city.complaint.pk,
        "channel": "hotline",
        "description": "烧水有水垢，问是否影响健康",
    }
    data.update(changes)
    return client.post(f"/kb/{article.pk}/answer/", data, HTTP_ACCEPT_LANGUAGE="en")


def test_a_call_answered_from_an_article_is_one_resolved_order_that_counts(client, city):
    from django.utils import timezone

    article = Article.objects.get(title="水的硬度与水垢")
    client.force_login(city.agent)
    response = answer(client, city, article)
    assert response.status_code == 204
    order = WorkOrder.objects.get()
    assert response["HX-Redirect"] == f"/desk/intake/?saved={order.pk}"
    assert (order.state, order.answered_directly, order.specialist) == (State.RESOLVED, True, None)
    assert "水的硬度与水垢" in order.resolution
    assert list(order.events.values_list("action", flat=True)) == ["create", "resolve"]
    today = timezone.localdate()
    (row,) = kpis_by(WorkOrder.objects.all(), Period(today, today), "category")
    assert row["answered_directly"] == 1


def test_answering_directly_without_a_category_saves_nothing_and_says_why(client, city):
    article = Article.objects.get(title="水的硬度与水垢")
    client.force_login(city.agent)
    response = answer(client, city, article, category="")
    assert response.status_code == 200
    assert "Choose a category." in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_a_walk_in_answered_from_an_article_keeps_its_channel_and_priority(client, city):
    article = Article.objects.get(title="水的硬度与水垢")
    client.force_login(city.agent)
    response = answer(client, city, article, channel="walk_in", priority="1")
    assert response.status_code == 204
    order = WorkOrder.objects.get()
    assert (order.channel, order.priority) == ("walk_in", 1)
    assert order.events.get(action="create").data == {"channel": "walk_in"}
