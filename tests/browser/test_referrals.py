"""Organisation A transfers a person to organisation B under a recorded consent: B declines once
with a reason of its own list, A sends again, B accepts. B's worker sees only what was shared
and the trust figures "before us"; both organisations' provision records show the events; A's
case closes as transferred only once B has accepted."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_transfer_declined_once_then_accepted(
    browser_page, log_in, coordinator_a, person_a, org_b, worker_b
):
    from django.utils import timezone

    from conftest import make_member
    from ibasho.accounts.models import Role
    from ibasho.outreach import services as outreach
    from ibasho.outreach.models import Closure, Contact
    from ibasho.people.models import Case, Consent, Person
    from ibasho.people.services import record_consent
    from ibasho.provisions.models import ProvisionRecord
    from ibasho.referrals.models import Referral

    make_member(org_b, "coordinator_b", Role.COORDINATOR)
    start = timezone.now() - dt.timedelta(days=300)
    for n in range(7):  # seven letters unanswered, then an hour and a half at the door
        outreach.record_contact(
            person_a, by=coordinator_a.user, channel=Contact.Channel.LETTER,
            reached=Contact.Reached.NOBODY, outcome=Contact.Outcome.NO_RESPONSE,
            occurred_at=start + dt.timedelta(days=20 * n), duration_minutes=10,
        )  # fmt: skip
    outreach.record_contact(
        person_a, by=coordinator_a.user, channel=Contact.Channel.DOOR_VISIT,
        reached=Contact.Reached.PERSON, outcome=Contact.Outcome.FACE_TO_FACE,
        occurred_at=timezone.now() - dt.timedelta(days=10), duration_minutes=90,
        note="好きな鉄道の話をした",
    )  # fmt: skip
    record_consent(person_a, by=coordinator_a.user, purpose=Consent.Purpose.SHARING)
    case = Case.objects.get(person=person_a)

    page = browser_page
    # B's coordinator configures the reasons B gives when it declines.
    log_in(page, "coordinator_b")
    page.goto("/referrals/settings/")
    page.fill("#new-reason #id_label", "現在、受け入れ枠に空きがない")
    page.click("#new-reason button[type=submit]")
    page.wait_for_load_state()
    assert "現在、受け入れ枠に空きがない" in page.locator("#decline-reasons").inner_text()
    page.context.clear_cookies()

    # A's coordinator transfers the person, sharing the profile and the contact history.
    log_in(page, "coordinator_a")
    page.goto(f"/people/{person_a.code}/records/")  # the full record holds the referrals panel
    page.click("#referrals-panel >> text=他機関へ紹介する")
    page.wait_for_load_state()
    assert "同意" in page.locator("#basis").inner_text()
    page.check("#id_kind input[value=transfer]")
    page.select_option("#id_recipient_organisation", str(org_b.pk))
    page.check("#id_items input[value=contacts]")
    page.fill("#id_handover_note", "手紙から。インターホンは鳴らさないこと。")
    page.shot("referrals-form")
    page.click("form.card button[type=submit].primary")
    page.wait_for_load_state()
    assert page.locator("#state").inner_text() == "回答待ち"
    page.context.clear_cookies()

    # B's coordinator reads what is shared, and declines with the configured reason.
    log_in(page, "coordinator_b")
    page.goto("/referrals/")
    page.click("#incoming >> text=山田 太郎")
    page.wait_for_load_state()
    shared = page.locator("#shared").inner_text()
    assert "好きな鉄道の話をした" in shared and "山田和子" not in shared  # no family shared
    assert page.locator("#before-us").inner_text().count("7") >= 1
    page.select_option("#decline #id_reason", label="現在、受け入れ枠に空きがない")
    page.shot("referrals-incoming")
    page.click("#decline button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#state").inner_text() == "お断り"
    page.context.clear_cookies()
    case.refresh_from_db()
    assert case.is_open

    # A sees the reason and sends again.
    log_in(page, "coordinator_a")
    first = Referral.objects.get()
    page.goto(f"/referrals/{first.code}/")
    assert "現在、受け入れ枠に空きがない" in page.locator("#decline-reason").inner_text()
    page.click("text=再送する")
    page.wait_for_load_state()
    page.fill("#id_note", "来月からの受け入れでお願いできませんか。")
    page.click("form.card button[type=submit].primary")
    page.wait_for_load_state()
    assert page.locator("#state").inner_text() == "回答待ち"
    page.context.clear_cookies()
    case.refresh_from_db()
    assert case.is_open

    # B accepts, handing the person to its worker.
    log_in(page, "coordinator_b")
    second = Referral.objects.exclude(pk=first.pk).get()
    page.goto(f"/referrals/{second.code}/")
    page.select_option("#accept #id_assign", label=worker_b.user.display_name)
    page.click("#accept button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#state").inner_text() == "受け入れ"
    case.refresh_from_db()
    assert not case.is_open
    assert Closure.objects.get(case=case).reason == "transferred"
    # B's provision records show the receipt.
    page.goto("/provisions/")
    receipt = page.locator(".provision-row[data-direction=receipt]")
    assert second.reference in receipt.inner_text()
    page.shot("referrals-provisions-b")
    page.context.clear_cookies()

    # B's worker sees the person with only the shared groups, and the figures before us.
    made = Person.objects.get(organisation=org_b)
    log_in(page, "worker_b")
    page.goto(f"/people/{made.code}/")
    panel = page.locator("#before-us-panel").inner_text()
    assert "支援開始前の経過" in panel and "好きな鉄道の話をした" in panel
    figures = page.locator("#before-us-figures").inner_text()
    assert "1.5" in figures and "7" in figures
    body = page.content()
    assert "山田和子" not in body and "山田家" not in body  # family was not shared
    assert "手紙から。インターホンは鳴らさないこと。" in panel
    page.shot("referrals-before-us")
    page.context.clear_cookies()

    # A's provision records show both sendings.
    log_in(page, "coordinator_a")
    page.goto("/provisions/")
    sent = page.locator(".provision-row[data-direction=provision]").all_inner_texts()
    assert any(first.reference in row for row in sent)
    assert any(second.reference in row for row in sent)
    assert ProvisionRecord.objects.filter(organisation=org_b, direction="receipt").count() == 1
