import datetime as dt

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_confirms_a_shredding_preview_from_today(browser_page, log_in, admin_a, person_a):
    from ibasho.lifecycle import retention
    from ibasho.lifecycle.models import ShreddingBatch
    from ibasho.people.models import Case, Person

    today = person_a.organisation.today()
    Case.objects.filter(person=person_a).update(
        status=Case.Status.CLOSED, closed_on=today - dt.timedelta(days=6 * 366)
    )
    retention.prepare_retention_batch(person_a.organisation)

    page = browser_page
    log_in(page, "admin_a")
    page.goto("/outreach/")
    panel = page.locator("#lifecycle-today")
    assert "確認待ちの消去" in panel.inner_text()
    panel.get_by_role("link").first.click()
    page.wait_for_load_state()
    preview = page.locator("#preview").inner_text()
    assert "1人" in preview and "山田" not in preview
    page.shot("lifecycle-shredding-preview")
    page.get_by_role("button", name="確認して消去する").click()
    page.wait_for_load_state()
    assert "消去済み" in page.locator("#preview").inner_text()
    assert ShreddingBatch.objects.get().status == ShreddingBatch.Status.DONE
    assert Person.objects.get(pk=person_a.pk).family_name == ""
