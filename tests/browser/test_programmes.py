"""Taking attendance on a phone: the status is only ever what the worker tapped."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_enter_in_a_note_keeps_an_absent_member_absent(browser_page, log_in, worker_a, person_a):
    from ibasho.outreach.models import Contact
    from ibasho.programmes import services
    from ibasho.programmes.models import Attendance
    from ibasho.programmes.tests.factories import make_programme, make_session

    programme = make_programme(person_a.organisation)
    session = make_session(programme, dt.date.today() - dt.timedelta(days=1))
    enrolment = services.enrol(programme, person=person_a, by=worker_a.user)

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "worker_a")
    page.goto(f"/programmes/sessions/{session.code}/")
    row = f"#row-{enrolment.code}"
    with page.expect_response(lambda r: "/attendance/" in r.url):
        page.locator(f'{row} button[name=status][value="absent"]').click()
    page.wait_for_selector(f'{row} [data-status="absent"]')

    note = page.locator(f"{row} input[name=note]")
    note.fill("体調不良で欠席。来週は来たいとのこと。")
    with page.expect_response(lambda r: "/attendance/" in r.url):
        note.press("Enter")
    page.wait_for_selector(f'{row} [data-status="absent"]')
    page.shot("programmes-attendance-note-on-a-phone")

    attendance = Attendance.objects.get(session=session, enrolment=enrolment)
    assert (attendance.status, attendance.minutes) == ("absent", 0)
    assert attendance.note == "体調不良で欠席。来週は来たいとのこと。"
    assert not Contact.objects.filter(person=person_a).exists()
    assert page.locator(f"{row} input[name=note]").input_value() == attendance.note
