"""Recording, reading, editing and deleting contacts."""

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from ibasho.accounts.decorators import member_required
from ibasho.accounts.models import Role
from ibasho.audit.services import record_audit
from ibasho.lib.web import saved
from ibasho.outreach import services
from ibasho.outreach.forms import (
    ContactForm,
)
from ibasho.outreach.models import (
    Contact,
)
from ibasho.people.models import LOGGED_CHANNELS, Person


def _membership(request: HttpRequest) -> Any:
    return request.membership  # type: ignore[attr-defined]


@member_required()
def contact_create(request: HttpRequest, code: str) -> HttpResponse:
    membership = _membership(request)
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    initial: dict[str, Any] = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
    if request.GET.get("channel") in dict(LOGGED_CHANNELS):
        initial["channel"] = request.GET["channel"]
    form = ContactForm(request.POST or None, person=person, initial=initial)

    def save(**data: Any) -> Contact:
        return services.record_contact(person, by=request.user, **data)

    if saved(request, form, save):
        return redirect("people:person_detail", code=person.code)
    return render(request, "outreach/contact_form.html", {"form": form, "person": person})


@member_required()
def contact_list(request: HttpRequest, code: str) -> HttpResponse:
    membership = _membership(request)
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    record_audit("outreach.contacts.viewed", by=request.user, person=person, target=person)
    contacts = person.contacts.select_related("staff", "second_staff", "family_member")
    page = Paginator(contacts, 50).get_page(request.GET.get("page"))
    return render(request, "outreach/contact_list.html", {"person": person, "page": page})


def _contact(request: HttpRequest, code: str) -> Contact:
    return get_object_or_404(
        Contact.objects.visible_to(_membership(request)).select_related("person", "staff"),
        code=code,
    )


@member_required()
def contact_detail(request: HttpRequest, code: str) -> HttpResponse:
    contact = _contact(request, code)
    record_audit("outreach.contact.viewed", by=request.user, person=contact.person, target=contact)
    revisions = contact.revisions.select_related("edited_by")
    return render(
        request,
        "outreach/contact_detail.html",
        {"contact": contact, "person": contact.person, "revisions": revisions},
    )


@member_required()
def contact_edit(request: HttpRequest, code: str) -> HttpResponse:
    contact = _contact(request, code)
    form = ContactForm(request.POST or None, instance=contact, person=contact.person)

    def save(**data: Any) -> Contact:
        contact.refresh_from_db()  # the form changed the instance: reload to diff honestly
        return services.edit_contact(contact, by=request.user, **data)

    if saved(request, form, save):
        return redirect("outreach:contact_detail", code=contact.code)
    return render(
        request,
        "outreach/contact_form.html",
        {"form": form, "person": contact.person, "contact": contact},
    )


@member_required(Role.ADMIN)
def contact_delete(request: HttpRequest, code: str) -> HttpResponse:
    contact = _contact(request, code)
    if request.method == "POST":
        person = contact.person
        services.delete_contact(contact, by=request.user)
        return redirect("outreach:contact_list", code=person.code)
    return render(
        request, "outreach/contact_delete.html", {"contact": contact, "person": contact.person}
    )
