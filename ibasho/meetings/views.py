"""Support meeting pages. Every page finds its meeting through `access` (the one guard): a
caller who is not a member gets 404, whatever their organisation and role."""

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import SUPERVISOR_ROLES
from ibasho.audit.services import audit_list, audit_read, record_audit
from ibasho.lib.web import saved
from ibasho.meetings import access, forms, services
from ibasho.meetings.models import MeetingMember, OutsideParticipant, SharedPerson


@member_required()
def index(request: MemberRequest) -> HttpResponse:
    meetings = access.meetings_of(request.membership)
    audit_list(request, "meetings.list.viewed", 0)
    return render(
        request,
        "meetings/index.html",
        {"meetings": meetings, "can_convene": request.membership.is_supervisor},
    )


@member_required(*SUPERVISOR_ROLES)
def create(request: MemberRequest) -> HttpResponse:
    form = forms.MeetingForm(request.POST or None)
    made: dict[str, Any] = {}

    def save(**data: Any) -> None:
        made["meeting"] = services.create_meeting(request.membership, **data)

    if saved(request, form, save):
        return redirect("meetings:detail", code=made["meeting"].code)
    title = _("Convene a support meeting")
    return render(request, "form_page.html", {"form": form, "title": title})


def _page(request: MemberRequest, seat: access.Seat, **bound: Any) -> HttpResponse:
    meeting = seat.meeting
    members = list(
        MeetingMember.unscoped.filter(meeting=meeting)
        .select_related("membership__user", "membership__organisation")
        .order_by("id")
    )
    organisations = access.organisation_ids(meeting)
    context: dict[str, Any] = {
        "seat": seat,
        "meeting": meeting,
        "members": members,
        "organisations": access.organisation_names(meeting),
        "participants": OutsideParticipant.unscoped.filter(meeting=meeting).order_by("id"),
    }
    if seat.acknowledged:
        entries = list(
            SharedPerson.unscoped.filter(meeting=meeting)
            .select_related("person", "person__organisation")
            .order_by("id")
        )
        context["entries"] = entries
        context["bring"] = bound.get("bring") or forms.BringForm(membership=request.membership)
        context["minutes_form"] = bound.get("minutes") or forms.MinutesForm(
            initial={"minutes": meeting.minutes}
        )
        if seat.manages:
            context["organisation_form"] = bound.get("organisation") or forms.OrganisationForm(
                exclude=organisations
            )
            context["member_form"] = bound.get("member") or forms.MemberForm(
                organisations=organisations, exclude=[m.membership_id for m in members]
            )
            context["participant_form"] = bound.get("participant") or forms.ParticipantForm()
        _audit_people(request, seat, entries)
    else:
        audit_read(request, "meetings.meeting.viewed", meeting, count=0)
    return render(request, "meetings/detail.html", context)


def _audit_people(request: MemberRequest, seat: access.Seat, entries: list[SharedPerson]) -> None:
    """A meeting page shows the people discussed: the reader's organisation records the read,
    and so does each person's own organisation (who read about its person, from where)."""
    audit_read(request, "meetings.meeting.viewed", seat.meeting, count=len(entries))
    if request.method != "GET":
        return
    for entry in entries:
        if entry.organisation_id != seat.membership.organisation_id:
            record_audit(
                "meetings.meeting.viewed", by=request.user, organisation=entry.person.organisation,
                target=entry, person=entry.person,
            )  # fmt: skip


@member_required()
def detail(request: MemberRequest, code: Any) -> HttpResponse:
    return _page(request, access.meeting_for(request.membership, code))


@require_POST
@member_required()
def acknowledge(request: MemberRequest, code: Any) -> HttpResponse:
    seat = access.meeting_for(request.membership, code)
    services.acknowledge(seat)
    return redirect("meetings:detail", code=seat.meeting.code)


def _post(request: MemberRequest, code: Any, name: str, form: Any, save: Any) -> HttpResponse:
    seat = access.meeting_for(request.membership, code)
    bound = form(seat)
    if saved(request, bound, lambda **data: save(seat, **data)):
        return redirect("meetings:detail", code=seat.meeting.code)
    return _page(request, seat, **{name: bound})


@require_POST
@member_required()
def add_organisation(request: MemberRequest, code: Any) -> HttpResponse:
    return _post(
        request, code, "organisation",
        lambda seat: forms.OrganisationForm(
            request.POST, exclude=access.organisation_ids(seat.meeting)
        ),
        lambda seat, organisation: services.add_organisation(seat, organisation),
    )  # fmt: skip


@require_POST
@member_required()
def add_member(request: MemberRequest, code: Any) -> HttpResponse:
    return _post(
        request, code, "member",
        lambda seat: forms.MemberForm(
            request.POST, organisations=access.organisation_ids(seat.meeting), exclude=[]
        ),
        lambda seat, membership: services.add_member(seat, membership),
    )  # fmt: skip


@require_POST
@member_required()
def add_participant(request: MemberRequest, code: Any) -> HttpResponse:
    return _post(
        request, code, "participant", lambda seat: forms.ParticipantForm(request.POST),
        lambda seat, **data: services.add_outside_participant(seat, **data),
    )  # fmt: skip


@require_POST
@member_required()
def bring(request: MemberRequest, code: Any) -> HttpResponse:
    return _post(
        request, code, "bring",
        lambda seat: forms.BringForm(request.POST, membership=request.membership),
        lambda seat, person: services.bring_person(seat, person),
    )  # fmt: skip


@require_POST
@member_required()
def minutes(request: MemberRequest, code: Any) -> HttpResponse:
    return _post(
        request, code, "minutes", lambda seat: forms.MinutesForm(request.POST),
        lambda seat, minutes: services.save_minutes(seat, minutes),
    )  # fmt: skip


@require_POST
@member_required()
def withdraw(request: MemberRequest, code: Any) -> HttpResponse:
    seat = access.meeting_for(request.membership, code)
    if not seat.manages:
        raise Http404
    services.withdraw_meeting(seat.meeting, by=request.user)
    return redirect("meetings:detail", code=seat.meeting.code)


@member_required()
def shared(request: MemberRequest, code: Any) -> HttpResponse:
    """What was shared about one person, read-only, for the meeting's purpose only. Every
    view is audited, in the reader's organisation and in the person's."""
    seat, entry = access.shared_for(request.membership, code)
    if not seat.acknowledged:
        return redirect("meetings:detail", code=seat.meeting.code)
    form = None
    if entry.person.organisation_id == seat.membership.organisation_id:
        form = forms.ShareForm(request.POST or None, initial={"items": entry.items})

        def save(items: list[str], basis: str) -> None:
            services.share(seat, entry, items=items, basis=basis or None)

        if saved(request, form, save):
            return redirect("meetings:shared", code=entry.code)
    elif request.method == "POST":
        raise Http404
    audit_read(request, "meetings.shared.viewed", entry, person=entry.person)
    if request.method == "GET" and entry.organisation_id != seat.membership.organisation_id:
        record_audit(
            "meetings.shared.viewed", by=request.user, organisation=entry.person.organisation,
            target=entry, person=entry.person,
        )  # fmt: skip
    return render(
        request,
        "meetings/shared.html",
        {
            "seat": seat,
            "meeting": seat.meeting,
            "entry": entry,
            "form": form,
            "consent": services.sharing_consent(entry.person) if form is not None else None,
        },
    )
