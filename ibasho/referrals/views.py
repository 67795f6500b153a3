import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import SUPERVISOR_ROLES
from ibasho.audit.services import audit_list, audit_read, record_audit
from ibasho.lib.web import add_service_errors, saved
from ibasho.people.models import Person
from ibasho.provisions.items import labels
from ibasho.referrals import access, services
from ibasho.referrals.approaching import approaching
from ibasho.referrals.consent import sharing_allowed
from ibasho.referrals.forms import (
    AcceptForm,
    DeclineForm,
    DeclineReasonForm,
    ReferralForm,
    SettingsForm,
)
from ibasho.referrals.letter import letter_pdf
from ibasho.referrals.models import DeclineReason, ReceivedHistory, Referral, ReferralSettings
from ibasho.referrals.shared import preview


def _read(request: MemberRequest, referral: Referral, side: str, action: str) -> None:
    """A referral read: on the reader's own trail, and, when the receiver reads it, on the
    sender's trail of the person too (the person's record shows who outside read it)."""
    if side == "sender":
        audit_read(request, action, referral, person=referral.person)
        return
    audit_read(request, action, referral)
    if request.method == "GET":
        record_audit(f"{action}_by_receiver", by=request.user, organisation=referral.organisation,
                     target=referral, person=referral.person)  # fmt: skip


@member_required()
def referral_list(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    outgoing = list(
        access.outgoing(membership)
        .select_related("person", "recipient_organisation")
        .order_by("-sent_on", "-id")[:200]
    )
    incoming = list(
        access.incoming(membership)
        .select_related("person__organisation", "organisation")
        .order_by("-sent_on", "-id")[:200]
    )
    today = membership.organisation.today()
    rows = []
    for referral in incoming:
        # A name crosses only while sharing is allowed and the referral is waiting.
        shows = referral.state == Referral.State.PENDING and sharing_allowed(
            referral.person, membership.organisation, referral.items, on=today
        )
        rows.append((referral, bool(shows)))
    audit_list(request, "referrals.list.viewed", len(outgoing) + sum(s for _r, s in rows))
    return render(
        request,
        "referrals/referral_list.html",
        {"outgoing": outgoing, "incoming": rows, "is_supervisor": membership.is_supervisor},
    )


@member_required()
def referral_create(request: MemberRequest, code: str) -> HttpResponse:
    membership = request.membership
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    return _referral_form(request, person, None)


@member_required()
def referral_again(request: MemberRequest, code: str) -> HttpResponse:
    referral, side = access.referral_for(request.membership, code)
    if side != "sender" or referral.state != Referral.State.DECLINED:
        raise Http404
    return _referral_form(request, referral.person, referral)


def _referral_form(
    request: MemberRequest, person: Person, previous: Referral | None
) -> HttpResponse:
    membership = request.membership
    initial: dict[str, Any] = {}
    if previous is not None:
        initial = {
            "kind": previous.kind,
            "recipient_organisation": previous.recipient_organisation_id,
            "recipient_name": previous.recipient_name,
            "items": previous.items,
            "note": previous.note,
            "handover_note": previous.handover_note,
            "meeting": str(previous.meeting_code or ""),
        }
    form = ReferralForm(
        request.POST or None, organisation=membership.organisation, person=person,
        initial=initial,
    )  # fmt: skip
    audit_read(request, "referrals.form.viewed", person, person=person)
    sent: list[Referral] = []

    def save(**data: Any) -> None:
        data["meeting_code"] = data.pop("meeting") or None
        if previous is not None:
            data.pop("recipient_organisation")
            data.pop("recipient_name")
            sent.append(services.send_again(previous, by=membership, **data))
        else:
            sent.append(services.send_referral(person, by=membership, **data))

    if saved(request, form, save):
        messages.success(request, _("The referral was sent."))
        return redirect("referrals:referral_detail", code=sent[0].code)
    today = membership.organisation.today()
    decision = sharing_allowed(person, None, ["profile"], on=today)
    here = request.get_full_path()
    consent_url = (
        reverse("people:consent_create", args=[person.code])
        + "?"
        + urlencode({"purpose": "sharing", "next": here})
    )
    return render(
        request,
        "referrals/referral_form.html",
        {
            "form": form,
            "person": person,
            "previous": previous,
            "decision": decision,
            "consent_url": consent_url,
        },
    )


@member_required()
def referral_detail(request: MemberRequest, code: str) -> HttpResponse:
    membership = request.membership
    referral, side = access.referral_for(membership, code)
    _read(request, referral, side, "referrals.referral.viewed")
    today = membership.organisation.today()
    context: dict[str, Any] = {
        "r": referral,
        "side": side,
        "groups": labels(referral.items),
        "is_supervisor": membership.is_supervisor,
    }
    if side == "sender":
        context["decision"] = sharing_allowed(
            referral.person, referral.recipient_organisation, referral.items, on=today,
            meeting_code=referral.meeting_code,
        )  # fmt: skip
        context["shared"] = preview(referral.person, referral.items)
    else:
        decision = sharing_allowed(
            referral.person, membership.organisation, referral.items, on=today,
            meeting_code=referral.meeting_code,
        )  # fmt: skip
        context["decision"] = decision
        if referral.state == Referral.State.PENDING and decision.allowed:
            context["shared"] = preview(referral.person, referral.items)
            context["accept_form"] = AcceptForm(organisation=membership.organisation)
            context["decline_form"] = DeclineForm(organisation=membership.organisation)
        context["received"] = (
            ReceivedHistory.objects.visible_to(membership)
            .filter(referral_code=referral.code)
            .select_related("person")
            .first()
        )
    return render(request, "referrals/referral_detail.html", context)


def _answer(request: MemberRequest, code: str, form_class: Any, act: Any) -> HttpResponse:
    membership = request.membership
    referral, side = access.referral_for(membership, code)
    if side != "receiver":
        messages.error(request, _("Only the receiving organisation answers a referral."))
        return redirect("referrals:referral_detail", code=referral.code)
    form = form_class(request.POST, organisation=membership.organisation)
    if saved(request, form, lambda **data: act(referral, by=membership, **data)):
        return redirect("referrals:referral_detail", code=referral.code)
    today = membership.organisation.today()
    decision = sharing_allowed(referral.person, membership.organisation, referral.items, on=today)
    context = {
        "r": referral,
        "side": side,
        "groups": labels(referral.items),
        "decision": decision,
        "is_supervisor": membership.is_supervisor,
        "accept_form": AcceptForm(organisation=membership.organisation),
        "decline_form": DeclineForm(organisation=membership.organisation),
        "shared": preview(referral.person, referral.items) if decision.allowed else None,
    }
    context["accept_form" if form_class is AcceptForm else "decline_form"] = form
    return render(request, "referrals/referral_detail.html", context, status=422)


@member_required(*SUPERVISOR_ROLES)
@require_POST
def referral_accept(request: MemberRequest, code: str) -> HttpResponse:
    return _answer(request, code, AcceptForm, services.accept_referral)


@member_required(*SUPERVISOR_ROLES)
@require_POST
def referral_decline(request: MemberRequest, code: str) -> HttpResponse:
    return _answer(request, code, DeclineForm, services.decline_referral)


def _act(request: MemberRequest, code: str, act: Any) -> HttpResponse:
    referral, _side = access.referral_for(request.membership, code)
    try:
        act(referral, by=request.membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("referrals:referral_detail", code=referral.code)


@member_required()
@require_POST
def referral_withdraw(request: MemberRequest, code: str) -> HttpResponse:
    return _act(request, code, services.withdraw_referral)


@member_required()
@require_POST
def referral_done(request: MemberRequest, code: str) -> HttpResponse:
    return _act(request, code, services.mark_done)


@member_required()
def referral_letter(request: MemberRequest, code: str) -> HttpResponse:
    referral, side = access.referral_for(request.membership, code)
    if side != "sender":
        raise Http404
    try:
        content = letter_pdf(referral, by=request.membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("referrals:referral_detail", code=referral.code)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="referral-{referral.reference}.pdf"'
    return response


@member_required()
def approaching_list(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    found = ReferralSettings.for_organisation(membership.organisation_id)
    rows = approaching(membership, found)
    audit_list(request, "referrals.approaching.viewed", len(rows))
    return render(request, "referrals/approaching.html", {"rows": rows, "settings": found})


@member_required(*SUPERVISOR_ROLES)
def referral_settings(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    current = ReferralSettings.for_organisation(membership.organisation_id)
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    form = SettingsForm(posted if which == "settings" else None, instance=current)
    reason_form = DeclineReasonForm(posted if which == "reason" else None)
    if which == "settings" and saved(
        request, form, lambda **data: services.change_settings(by=membership, **data)
    ):
        return redirect("referrals:settings")
    if which == "reason" and saved(
        request, reason_form, lambda **data: services.add_decline_reason(by=membership, **data)
    ):
        return redirect("referrals:settings")
    if which == "offer":
        value = request.POST.get("reason", "")
        if not _is_uuid(value):
            raise Http404
        reason = get_object_or_404(
            DeclineReason.objects.filter(organisation_id=membership.organisation_id), code=value
        )
        try:
            services.set_decline_reason_offered(
                reason, by=membership, active=request.POST.get("active") == "1"
            )
        except ValidationError as error:
            add_service_errors(reason_form, error)
        else:
            return redirect("referrals:settings")
    reasons = DeclineReason.objects.filter(organisation_id=membership.organisation_id)
    status = 422 if posted else 200
    return render(
        request,
        "referrals/settings.html",
        {"form": form, "reason_form": reason_form, "reasons": reasons},
        status=status,
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
