"""Done means 2: a 支援会議 with members of two organisations discusses a person with no consent;
a member of the meeting sees what was shared; a non-member of the same organisation does not."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_support_meeting_shares_with_its_members_and_no_one_else(
    browser_page, log_in, coordinator_a, worker_a, org_b, worker_b, person_a
):
    from conftest import make_member
    from ibasho.accounts.models import Role
    from ibasho.audit.models import AuditEntry
    from ibasho.people.models import Consent
    from ibasho.provisions.models import ProvisionRecord

    outsider_a = make_member(coordinator_a.organisation, "outsider_a", Role.WORKER)
    assert not Consent.objects.filter(person=person_a).exists()  # no consent at all
    page = browser_page

    def as_(membership):
        page.context.clear_cookies()
        log_in(page, membership.user.username)

    # A's coordinator convenes the meeting with B and names the members present.
    as_(coordinator_a)
    page.goto("/meetings/")
    page.click("#meeting-new")
    page.fill("#id_title", "川口市支援会議")
    page.fill("#id_held_on", dt.date.today().isoformat())
    page.select_option("#id_law", "self_reliance_9")
    page.click("form.card button[type=submit].primary")
    page.wait_for_load_state()
    assert "川口市支援会議" in page.locator("h1").inner_text()
    page.click("#acknowledge-button")
    page.wait_for_load_state()
    page.select_option("#organisation-form #id_organisation", label=org_b.name)
    page.click("#organisation-form button")
    page.wait_for_load_state()
    for member in (worker_a, worker_b):
        page.select_option(
            "#member-form #id_membership", label=f"{member.user} ({member.organisation.name})"
        )
        page.click("#member-form button")
        page.wait_for_load_state()
    meeting_url = page.url
    assert "守秘義務未確認" in page.locator("#meeting-organisations").inner_text()

    # A's worker acknowledges, brings A's person and shares two item groups.
    as_(worker_a)
    page.goto(meeting_url)
    assert "守秘義務" in page.locator("#acknowledge").inner_text()
    page.click("#acknowledge-button")
    page.wait_for_load_state()
    page.select_option("#bring-form #id_person", label=person_a.full_name)
    page.click("#bring-form button")
    page.wait_for_load_state()
    page.click(f"#meeting-people >> text={person_a.full_name}")
    page.wait_for_load_state()
    shared_url = page.url
    page.check("input[name=items][value=profile]")
    page.check("input[name=items][value=contacts]")
    page.click("#share-button")
    page.wait_for_load_state()
    assert "手紙は読んでいます" in page.content()

    # B's worker, a member, sees what was shared once they acknowledge the duty.
    as_(worker_b)
    page.goto(meeting_url)
    assert person_a.full_name not in page.content()
    page.click("#acknowledge-button")
    page.wait_for_load_state()
    page.click(f"#meeting-people >> text={person_a.full_name}")
    page.wait_for_load_state()
    assert "この会議の目的のためだけに" in page.locator("#purpose-only").inner_text()
    assert "手紙は読んでいます" in page.content()
    assert page.locator("[data-group=family]").count() == 0
    page.shot("meeting-shared")

    # Another worker of A, not a member, sees nothing: no meeting, 404 on its pages.
    as_(outsider_a)
    page.goto("/meetings/")
    assert "川口市支援会議" not in page.content()
    assert page.goto(meeting_url).status == 404
    assert page.goto(shared_url).status == 404
    page.goto(f"/people/{person_a.code}/")
    assert "川口市支援会議" not in page.content()

    # Both organisations' provision records show the sharing.
    provided = ProvisionRecord.objects.get(organisation=coordinator_a.organisation)
    received = ProvisionRecord.objects.get(organisation=org_b)
    assert (provided.basis, received.direction) == ("support_meeting", "receipt")
    assert AuditEntry.objects.filter(
        action="meetings.shared.viewed", actor=worker_b.user, organisation=org_b
    ).exists()
