import pytest
from django.urls import reverse

from ibasho.audit.models import AuditEntry
from ibasho.outcomes.models import Administration
from ibasho.outcomes.tests.conftest import K6_LOW

pytestmark = pytest.mark.django_db


def create_url(person, instrument=""):
    url = reverse("outcomes:administration_create", args=[person.code])
    return f"{url}?instrument={instrument}" if instrument else url


def k6_post(answers, **extra):
    data = {"administered_on": "2025-04-01", "respondent": "self", **extra}
    data.update({f"item_{n}": v for n, v in enumerate(answers, start=1) if v is not None})
    return data


def test_the_worker_chooses_an_instrument(client_for, worker_a, person_a):
    response = client_for(worker_a).get(create_url(person_a))
    assert response.status_code == 200
    assert "?instrument=hq25" in response.content.decode()


def test_the_form_marks_unverified_wording(client_for, worker_a, person_a):
    page = client_for(worker_a).get(create_url(person_a, "phq9")).content.decode()
    assert "Thoughts that you would be better off dead" in page
    assert page.count("Wording not verified against the published form") == 1  # once, not per item


def test_recording_a_k6_stores_the_score(client_for, worker_a, person_a):
    response = client_for(worker_a).post(create_url(person_a, "k6"), k6_post([3, 3, 2, 2, 2, 1]))
    administration = Administration.objects.get(person=person_a)
    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:administration_detail",
                                           args=[administration.code])  # fmt: skip
    assert (administration.total, administration.band) == (13, "serious_distress")


def test_a_missing_answer_names_the_item_and_saves_nothing(client_for, worker_a, person_a):
    response = client_for(worker_a).post(create_url(person_a, "k6"), k6_post([1, 1, None, 1, 1, 1]))
    assert response.status_code == 200
    assert response.context["form"].errors["item_3"] == ["An answer is required."]
    assert not Administration.objects.exists()


def test_an_out_of_range_answer_is_refused(client_for, worker_a, person_a):
    response = client_for(worker_a).post(create_url(person_a, "ucla3"), k6_post([1, 4, 1]))
    assert "item_2" in response.context["form"].errors
    assert not Administration.objects.exists()


def test_a_family_members_k6(client_for, worker_a, person_a):
    mother = person_a.household.members.get(relationship="mother")
    client_for(worker_a).post(
        create_url(person_a, "k6"), k6_post(K6_LOW, respondent="family", family_member=mother.pk)
    )
    assert Administration.objects.get().family_member == mother


def test_another_households_member_cannot_be_chosen(client_for, worker_a, person_a, org_a):
    from ibasho.people.models import FamilyMember, Household

    other = Household.objects.create(organisation=org_a, name="佐藤家")
    stranger = FamilyMember.objects.create(organisation=org_a, household=other, name="佐藤",
                                           relationship="mother")  # fmt: skip
    response = client_for(worker_a).post(create_url(person_a, "k6"),
                                         k6_post(K6_LOW, family_member=stranger.pk))  # fmt: skip
    assert "family_member" in response.context["form"].errors
    assert not Administration.objects.exists()


def test_phq9_item9_shows_a_safety_flag(client_for, worker_a, person_a):
    client = client_for(worker_a)
    response = client.post(create_url(person_a, "phq9"), k6_post([0] * 8 + [2]), follow=True)
    assert Administration.objects.get().safety
    assert "check safety now" in response.content.decode()


def test_hq25_offers_both_cutoffs(client_for, worker_a, person_a):
    client = client_for(worker_a)
    answers = [4, 4, 4, 0, 4, 4, 0, 4, 4, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0, 0, 4, 0, 0, 0, 4]
    client.post(create_url(person_a, "hq25"), k6_post(answers, band_set="kyushu_lab"))
    administration = Administration.objects.get()
    assert administration.total == 43
    assert (administration.band_set, administration.band) == ("kyushu_lab", "below_cutoff")


def test_an_unknown_instrument_is_404(client_for, worker_a, person_a):
    assert client_for(worker_a).get(create_url(person_a, "nope")).status_code == 404


@pytest.mark.parametrize("who", ["worker_b", "analyst_a"])
def test_outsiders_cannot_record(request, client_for, person_a, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(create_url(person_a, "k6")).status_code == 404
    assert client.post(create_url(person_a, "k6"), k6_post(K6_LOW)).status_code == 404
    assert not Administration.objects.exists()


def test_the_detail_page_shows_answers_and_is_audited(client_for, worker_a, person_a, k6, record):
    administration = record(person_a, k6, K6_LOW)
    response = client_for(worker_a).get(
        reverse("outcomes:administration_detail", args=[administration.code])
    )
    page = response.content.decode()
    assert "… hopeless?" in page and "Below cut-off (0–4)" in page
    assert AuditEntry.objects.filter(action="outcomes.administration.viewed").count() == 1


def test_the_detail_page_is_404_for_outsiders(client_for, worker_b, person_a, k6, record):
    administration = record(person_a, k6, K6_LOW)
    url = reverse("outcomes:administration_detail", args=[administration.code])
    assert client_for(worker_b).get(url).status_code == 404
