"""Referrals in the API: the same services and the same guard as the pages. The sender sees
its referrals as its own records; the receiver sees the ones addressed to it through
`access`; anyone else gets 404."""

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from annotated_types import MaxLen
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from ibasho.accounts.api_auth import member_or_404
from ibasho.accounts.models import SUPERVISOR_ROLES, Membership, Organisation
from ibasho.audit.services import audit_list, audit_read, record_audit
from ibasho.lib.schemas import Code, Input, OneOf, Text
from ibasho.people.models import Person
from ibasho.provisions.items import ItemGroup
from ibasho.referrals import access, services
from ibasho.referrals.consent import sharing_allowed
from ibasho.referrals.models import DeclineReason, Referral
from ibasho.referrals.shared import preview

router = Router(tags=["referrals"])


class BeforeUsOut(Schema):
    two_way_hours: float
    attempts_before_reply: int
    replied: bool
    months_of_contact: int


class ReferralOut(Schema):
    code: UUID
    reference: str
    side: str  # "sender" or "receiver"
    kind: str
    state: str
    sender: str
    recipient: str
    items: list[str]
    basis: str
    sent_on: dt.date
    decline_reason: str
    person: UUID | None  # the sender's record: for the sender only
    person_name: str  # while the receiver may read it (waiting, consent in force)
    before_us: BeforeUsOut | None
    sharing_allowed: bool
    sharing_reason: str


class SharedOut(Schema):
    profile: list[tuple[str, str]] | None
    family: list[str] | None
    history: dict[str, list[dict[str, str]]]


class ReferralDetailOut(ReferralOut):
    note: str
    handover_note: str
    shared: SharedOut | None


class ReferralIn(Input):
    person: Code
    kind: Annotated[str, OneOf(Referral.Kind)] = Referral.Kind.REFERRAL.value
    recipient_organisation: Code | None = None
    recipient_name: Annotated[str, Text(200, lines=False)] = ""
    items: Annotated[list[Annotated[str, OneOf(ItemGroup)]], MaxLen(len(ItemGroup.values))]
    note: Annotated[str, Text()] = ""
    handover_note: Annotated[str, Text()] = ""
    meeting: Code | None = None


class AcceptIn(Input):
    assign: Code | None = None  # the code of a membership of the receiving organisation


class DeclineIn(Input):
    reason: Code
    note: Annotated[str, Text()] = ""


class DeclineReasonOut(Schema):
    code: UUID
    label: str
    active: bool


def _out(referral: Referral, side: str, membership: Membership, detail: bool = False) -> Any:
    decision = sharing_allowed(
        referral.person,
        referral.recipient_organisation if side == "sender" else membership.organisation,
        referral.items,
        on=membership.organisation.today(),
        meeting_code=referral.meeting_code,
    )
    readable = side == "sender" or (referral.state == Referral.State.PENDING and decision.allowed)
    found: dict[str, Any] = {
        "code": referral.code,
        "reference": referral.reference,
        "side": side,
        "kind": referral.kind,
        "state": referral.state,
        "sender": referral.organisation.name,
        "recipient": referral.recipient,
        "items": referral.items,
        "basis": referral.basis,
        "sent_on": referral.sent_on,
        "decline_reason": referral.decline_reason,
        "person": referral.person.code if side == "sender" else None,
        "person_name": referral.person.full_name if readable else "",
        "before_us": referral if readable else None,
        "sharing_allowed": decision.allowed,
        "sharing_reason": decision.reason,
    }
    if detail:
        found["note"] = referral.note if readable else ""
        found["handover_note"] = referral.handover_note if readable else ""
        found["shared"] = preview(referral.person, referral.items) if readable else None
    return found


def _referral(request: HttpRequest, code: UUID) -> tuple[Membership, Referral, str]:
    membership = member_or_404(request)
    try:
        referral, side = access.referral_for(membership, code)
    except Http404:
        raise HttpError(404, "Not found") from None
    return membership, referral, side


@router.get("/outgoing", response=list[ReferralOut])
def list_outgoing(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Referrals this organisation sent, the latest first (at most 200)."""
    membership = member_or_404(request)
    found = access.outgoing(membership).select_related(
        "person__organisation", "organisation", "recipient_organisation"
    )[:200]
    rows = [_out(r, "sender", membership) for r in found]
    audit_list(request, "referrals.list.viewed", len(rows))
    return rows


@router.get("/incoming", response=list[ReferralOut])
def list_incoming(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Referrals addressed to this organisation, the latest first (at most 200); the person's
    name only while the referral waits and sharing is allowed."""
    membership = member_or_404(request)
    found = access.incoming(membership).select_related(
        "person__organisation", "organisation", "recipient_organisation"
    )[:200]
    rows = [_out(r, "receiver", membership) for r in found]
    audit_list(request, "referrals.list.viewed", sum(1 for r in rows if r["person_name"]))
    return rows


@router.get("/decline-reasons", response=list[DeclineReasonOut])
def decline_reasons(request: HttpRequest):  # type: ignore[no-untyped-def]
    """This organisation's reasons for declining a referral."""
    membership = member_or_404(request)
    return DeclineReason.objects.filter(organisation_id=membership.organisation_id)


@router.post("", response={201: ReferralDetailOut})
def create(request: HttpRequest, payload: ReferralIn):  # type: ignore[no-untyped-def]
    """Refer (or transfer) a person: the same service and rules as the page."""
    membership = member_or_404(request)
    person = get_object_or_404(Person.objects.visible_to(membership), code=payload.person)
    recipient = None
    if payload.recipient_organisation is not None:
        recipient = Organisation.objects.filter(code=payload.recipient_organisation).first()
        if recipient is None:
            raise ValidationError(
                {"recipient_organisation": "No such organisation on this installation."}
            )
    referral = services.send_referral(
        person,
        by=membership,
        kind=payload.kind,
        recipient_organisation=recipient,
        recipient_name=payload.recipient_name,
        items=payload.items,
        note=payload.note,
        handover_note=payload.handover_note,
        meeting_code=payload.meeting,
    )
    return Status(201, _out(referral, "sender", membership, detail=True))


@router.get("/{code}", response=ReferralDetailOut)
def detail(request: HttpRequest, code: UUID):  # type: ignore[no-untyped-def]
    membership, referral, side = _referral(request, code)
    if side == "sender":
        audit_read(request, "referrals.referral.viewed", referral, person=referral.person)
    else:
        audit_read(request, "referrals.referral.viewed", referral)
        record_audit("referrals.referral.viewed_by_receiver", by=request.user,
                     organisation=referral.organisation, target=referral,
                     person=referral.person)  # fmt: skip
    return _out(referral, side, membership, detail=True)


def _answerer(request: HttpRequest, code: UUID) -> tuple[Membership, Referral]:
    membership, referral, side = _referral(request, code)
    if side != "receiver":
        raise ValidationError({"state": "Only the receiving organisation answers a referral."})
    if membership.role not in SUPERVISOR_ROLES:
        raise ValidationError({"state": "Only a coordinator or admin answers a referral."})
    return membership, referral


@router.post("/{code}/accept", response=ReferralDetailOut)
def accept(request: HttpRequest, code: UUID, payload: AcceptIn):  # type: ignore[no-untyped-def]
    """Accept: a new person record here with what was shared, and the receipt recorded."""
    membership, referral = _answerer(request, code)
    assign = None
    if payload.assign is not None:
        found = Membership.objects.staff_of(membership.organisation_id).filter(
            code=payload.assign
        ).select_related("user").first()  # fmt: skip
        if found is None:
            raise ValidationError({"assign": "Not a member of staff here."})
        assign = found.user
    referral = services.accept_referral(referral, by=membership, assign=assign)
    return _out(referral, "receiver", membership, detail=True)


@router.post("/{code}/decline", response=ReferralDetailOut)
def decline(request: HttpRequest, code: UUID, payload: DeclineIn):  # type: ignore[no-untyped-def]
    """Decline with one of this organisation's reasons (see /referrals/decline-reasons)."""
    membership, referral = _answerer(request, code)
    reason = DeclineReason.objects.filter(
        organisation_id=membership.organisation_id, code=payload.reason
    ).first()
    referral = services.decline_referral(referral, by=membership, reason=reason, note=payload.note)
    return _out(referral, "receiver", membership, detail=True)


@router.post("/{code}/withdraw", response=ReferralDetailOut)
def withdraw(request: HttpRequest, code: UUID):  # type: ignore[no-untyped-def]
    """The sender takes back a referral still waiting for an answer."""
    membership, referral, side = _referral(request, code)
    if side != "sender":
        raise ValidationError({"state": "Only the sender withdraws a referral."})
    referral = services.withdraw_referral(referral, by=membership)
    return _out(referral, side, membership, detail=True)


@router.post("/{code}/done", response=ReferralDetailOut)
def done(request: HttpRequest, code: UUID):  # type: ignore[no-untyped-def]
    """The receiver says the person is with them (or, outside Ibasho, the sender says the
    letter was handed over)."""
    membership, referral, side = _referral(request, code)
    referral = services.mark_done(referral, by=membership)
    return _out(referral, side, membership, detail=True)
