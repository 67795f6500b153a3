"""The person's story on one page: every app's records merged newest first, with notes and
next steps, filterable, paginated, audited, and nobody else's."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ibasho.audit.models import AuditEntry
from ibasho.families import services as families
from ibasho.outreach import services as outreach
from ibasho.outreach.models import Contact, Stage

C, R, OC = Contact.Channel, Contact.Reached, Contact.Outcome


def url(person, **query):
    base = reverse("people:person_timeline", args=[person.code])
    return base + ("?" + "&".join(f"kind={k}" for k in query.get("kinds", [])) if query else "")


def visit(person, member, days_ago, note, next_step=""):
    return outreach.record_contact(
        person, by=member.user, occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        channel=C.DOOR_VISIT, reached=R.PERSON, outcome=OC.FACE_TO_FACE, duration_minutes=60,
        note=note, next_step=next_step,
    )  # fmt: skip


def test_the_story_reads_newest_first_with_notes_and_next_steps(
    client_for, worker_a, person_a, org_a
):
    visit(person_a, worker_a, 10, "玄関で5分話せた", next_step="来週も同じ時間に")
    visit(person_a, worker_a, 2, "部屋から出てきた")
    outreach.change_stage(
        person_a, stage=Stage.FAMILY_SUPPORT, on=org_a.today() - dt.timedelta(days=5),
        by=worker_a.user,
    )  # fmt: skip
    families.raise_safety_event(person_a, kind="self_neglect", severity=1, by=worker_a.user)
    page = client_for(worker_a).get(url(person_a))
    entries = [entry for entry, _label in page.context["page"].object_list]
    assert [e.kind for e in entries] == ["safety", "contact", "stage", "contact"]
    html = page.content.decode()
    assert html.index("部屋から出てきた") < html.index("玄関で5分話せた")
    assert "来週も同じ時間に" in html
    assert AuditEntry.objects.filter(
        action="people.person_timeline.viewed", person_code=person_a.code
    ).exists()


def test_filtered_to_contacts_only(client_for, worker_a, person_a):
    visit(person_a, worker_a, 1, "会えた")
    families.raise_safety_event(person_a, kind="self_neglect", severity=1, by=worker_a.user)
    page = client_for(worker_a).get(url(person_a, kinds=["contact", "no-such-kind"]))
    assert [e.kind for e, _ in page.context["page"].object_list] == ["contact"]


def test_long_histories_are_paginated(client_for, worker_a, person_a):
    for n in range(55):
        visit(person_a, worker_a, n + 1, f"訪問{n}")
    first = client_for(worker_a).get(url(person_a)).context["page"]
    second = client_for(worker_a).get(url(person_a) + "?page=2").context["page"]
    assert (len(first.object_list), len(second.object_list)) == (50, 5)
    assert first.object_list[0][0].text == "訪問0"


def test_a_long_history_costs_the_queries_of_a_short_one(
    client_for, worker_a, person_a, django_assert_num_queries
):
    """The whole story is sorted from dates alone; only the page shown is read in full."""
    visit(person_a, worker_a, 1, "会えた")
    client = client_for(worker_a)
    client.get(url(person_a))
    with CaptureQueriesContext(connection) as short:
        client.get(url(person_a))
    for n in range(60):
        visit(person_a, worker_a, n + 2, f"訪問{n}")
    with django_assert_num_queries(len(short.captured_queries)):
        page = client.get(url(person_a) + "?page=2").context["page"]
    assert [entry.text for entry, _label in page.object_list][-1] == "訪問59"


def test_nobody_else_reads_it(client_for, worker_b, analyst_a, person_a, worker_a):
    visit(person_a, worker_a, 1, "会えた")
    for member in (worker_b, analyst_a):
        assert client_for(member).get(url(person_a)).status_code == 404


def test_printed_as_a_japanese_case_record(client_for, worker_a, person_a):
    import io

    from pypdf import PdfReader

    visit(person_a, worker_a, 3, "玄関で5分話せた", next_step="来週も同じ時間に")
    client = client_for(worker_a)
    response = client.get(
        reverse("people:person_timeline_pdf", args=[person_a.code]), HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("経過記録", "山田", "玄関で5分話せた", "来週も同じ時間に"):
        assert expected in text.replace(" ", "").replace("\n", "")
    assert AuditEntry.objects.filter(action="people.person_timeline.printed").count() == 1


def test_nobody_else_prints_it(client_for, worker_b, analyst_a, person_a):
    for member in (worker_b, analyst_a):
        pdf = client_for(member).get(reverse("people:person_timeline_pdf", args=[person_a.code]))
        assert pdf.status_code == 404
