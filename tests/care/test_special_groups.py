import html
from datetime import timedelta

from django.utils import timezone

from mains.care.actions import do_register_resident
from mains.care.forms import VisitForm
from mains.care.models import Resident, Visit


def register(city, name="王奶奶", community=None, days=30):
    return do_register_resident(
        city.dispatcher,
        consent_note="本人签字同意",
        name=name,
        phone="13600001111",
        address="3号楼1单元101",
        community=community or city.xingguang,
        group=Resident.Group.ELDERLY_ALONE,
        visit_every_days=days,
    )


def test_registering_without_consent_is_refused_and_keeps_what_was_typed(client, city):
    client.force_login(city.dispatcher)
    data = {
        "name": "李爷爷",
        "phone": "13600002222",
        "community": city.xingguang.pk,
        "address": "5号楼",
        "group": "disabled",
        "visit_every_days": 14,
        "consent_note": "",
    }
    response = client.post("/care/residents/", data, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Record the resident&#x27;s consent" in page
    assert 'value="李爷爷"' in page
    assert not Resident.objects.exists()
    data["consent_note"] = "监护人签字同意"
    assert client.post("/care/residents/", data).status_code == 302
    resident = Resident.objects.get()
    assert (resident.consent_by, resident.consent_note) == (city.dispatcher, "监护人签字同意")


def test_the_desk_list_masks_names_and_phones(client, city):
    register(city)
    client.force_login(city.dispatcher)
    page = client.get("/care/residents/").content.decode()
    assert "王**" in page and "136****1111" in page
    assert "13600001111" not in page


def test_the_specialist_sees_visits_due_first_unmasked_and_records_one(client, city):
    soon = register(city, name="王奶奶", days=30)
    due = register(city, name="赵爷爷", days=7)
    Resident.objects.filter(pk=due.pk).update(consent_at=timezone.now() - timedelta(days=10))
    register(city, name="别处的人", community=city.jinxiu)
    client.force_login(city.sam)
    page = client.get("/care/visits/").content.decode()
    assert page.index("赵爷爷") < page.index("王奶奶")
    assert "别处的人" not in page
    assert "13600001111" in page
    response = client.post(
        f"/care/residents/{due.pk}/visit/", {"help": "paid_bill", "note": "代缴水费"}
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.resident, visit.by, visit.help) == (due, city.sam, "paid_bill")
    due.refresh_from_db()
    assert due.next_visit_due > timezone.now()
    assert soon.visits.count() == 0


def test_a_specialist_cannot_record_a_visit_outside_their_grid(client, city):
    elsewhere = register(city, community=city.jinxiu)
    client.force_login(city.sam)
    response = client.post(f"/care/residents/{elsewhere.pk}/visit/", {"help": "chat"})
    assert response.status_code == 404
    assert not Visit.objects.exists()


def test_a_too_long_visit_note_keeps_what_was_typed_and_says_why(client, city):
    resident = register(city)
    client.force_login(city.sam)
    too_long = "记" * 2000 + "尾"  # 2001 characters
    response = client.post(
        f"/care/residents/{resident.pk}/visit/", {"help": "paid_bill", "note": too_long}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{too_long}"' in page, "the note typed is not lost"
    assert '<option value="paid_bill" selected>' in page, "nor the choice made"
    (error,) = VisitForm({"help": "paid_bill", "note": too_long}).errors["note"]
    assert "2000" in error and html.escape(error) in page
    assert not Visit.objects.exists()


def test_visit_notes_are_limited_in_the_page_too(client, city):
    register(city)
    client.force_login(city.sam)
    assert 'name="note" maxlength="2000"' in client.get("/care/visits/").content.decode()
