"""After a one-tap log on Today, the counts on the page change in place (htmx out-of-band)."""

from django.urls import reverse

from ibasho.notifications.services import notify

TODAY_URL = reverse("outreach:today")


def test_a_one_tap_log_updates_the_due_and_inbox_counts(client_for, worker_a, person_a):
    from ibasho.people.restriction import RESTRICTED_OPENED

    notify([worker_a], RESTRICTED_OPENED, subject="x")
    client = client_for(worker_a)
    page = client.get(TODAY_URL).content.decode()
    assert '<span class="badge" id="due-count">1</span>' in page
    assert 'id="inbox-count"' in page and 'data-unread="1"' in page
    [item] = client.get(TODAY_URL).context["due"]
    response = client.post(
        reverse("outreach:log_attempt", args=[item.code]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.index(f'id="due-{item.code}"') < html.index("<template>")
    assert '<span class="badge" id="due-count" hx-swap-oob="true">0</span>' in html
    assert '<span id="inbox-count" hx-swap-oob="true">' in html and 'data-unread="1"' in html
    undo = client.post(
        reverse("outreach:undo_attempt", args=[item.code]),
        {"contact": response.context["logged"].code},
        HTTP_HX_REQUEST="true",
    )
    assert 'id="due-count" hx-swap-oob="true">1</span>' in undo.content.decode()
