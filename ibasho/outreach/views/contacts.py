"""Recording, reading, editing and deleting contacts."""

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import Role
from ibasho.audit.services import audit_read
from ibasho.lib.web import saved
from ibasho.outreach import services
from ibasho.outreach.forms import (
    ContactForm,
)
from ibasho.outreach.models import (
    Contact,
)
from ibasho.people.models import LOGGED_CHANNELS, Person


@member_required()
def contact_create(request: MemberRequest, code: str) -> HttpResponse:
    membership = request.membership
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    initial: dict[str, Any] = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
    if request.GET.get("channel") in dict(LOGGED_CHANNELS):
        initial["channel"] = request.GET["channel"]
    form = ContactForm(request.POST or None, person=person, initial=initial)
    audit_read(request, "outreach.contact_form.viewed", person, person=person)

    def save(**data: Any) -> Contact:
        return services.record_contact(person, by=request.user, **data)

    if saved(request, form, save):
        return redirect("people:person_detail", code=person.code)
    return render(request, "outreach/contact_form.html", {"form": form, "person": person})


@member_required()
def contact_list(request: MemberRequest, code: str) -> HttpResponse:
    membership = request.membership
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    contacts = person.contacts.select_related("staff", "second_staff", "family_member")
    page = Paginator(contacts, 50).get_page(request.GET.get("page"))
    audit_read(request, "outreach.contacts.viewed", person, person=person)
    return render(request, "outreach/contact_list.html", {"person": person, "page": page})


def _contact(request: MemberRequest, code: str) -> Contact:
    return get_object_or_404(
        Contact.objects.visible_to(request.membership).select_related("person", "staff"),
        code=code,
    )


@member_required()
def contact_detail(request: MemberRequest, code: str) -> HttpResponse:
    contact = _contact(request, code)
    audit_read(request, "outreach.contact.viewed", contact, person=contact.person)
    revisions = contact.revisions.select_related("edited_by")
    return render(
        request,
        "outreach/contact_detail.html",
        {"contact": contact, "person": contact.person, "revisions": revisions},
    )


@member_required()
def contact_edit(request: MemberRequest, code: str) -> HttpResponse:
    contact = _contact(request, code)
    form = ContactForm(request.POST or None, instance=contact, person=contact.person)
    audit_read(
        request, "outreach.contact_form.viewed", contact, person=contact.person, fields=form.fields
    )

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
def contact_delete(request: MemberRequest, code: str) -> HttpResponse:
    contact = _contact(request, code)
    audit_read(request, "outreach.contact.viewed", contact, person=contact.person)
    if request.method == "POST":
        person = contact.person
        services.delete_contact(contact, by=request.user)
        return redirect("outreach:contact_list", code=person.code)
    return render(
        request, "outreach/contact_delete.html", {"contact": contact, "person": contact.person}
    )
