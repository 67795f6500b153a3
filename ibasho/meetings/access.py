"""The one guard for every meeting page and endpoint.

Tenancy hides other organisations' rows, and a meeting is where organisations meet: the
meeting belongs to the convening organisation, a person discussed to the organisation that
brought them, and members come from several. So the reads across organisations are made here,
explicitly (`unscoped`), and nowhere else: a caller gets a meeting only when they are a member
of it (listed as present, in a role that works with people, from the convening or a member
organisation). Anyone else — another member of staff of the same organisation, an analyst, a
third organisation — gets 404, as for a meeting that does not exist."""

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from ibasho.accounts.models import Membership
from ibasho.meetings.models import MeetingMember, MeetingOrganisation, SharedPerson, SupportMeeting


@dataclass(frozen=True)
class Seat:
    """A caller's place at a meeting."""

    meeting: SupportMeeting
    member: MeetingMember
    membership: Membership

    @property
    def acknowledged(self) -> bool:
        return self.member.acknowledged_at is not None

    @property
    def convenes(self) -> bool:
        """A member from the convening organisation."""
        return self.membership.organisation_id == self.meeting.organisation_id

    @property
    def manages(self) -> bool:
        """A coordinator or admin of the convening organisation: adds organisations and
        members, writes the minutes, withdraws the meeting."""
        return self.convenes and self.membership.is_supervisor


def organisation_ids(meeting: SupportMeeting) -> list[int]:
    """The convening organisation and the member organisations."""
    others = MeetingOrganisation.unscoped.filter(meeting=meeting).values_list(
        "member_id", flat=True
    )
    return [meeting.organisation_id, *others]


def organisation_names(meeting: SupportMeeting) -> list[str]:
    """The names of the organisations taking part, the convening one first."""
    others = (
        MeetingOrganisation.unscoped.filter(meeting=meeting)
        .order_by("id")
        .values_list("member__name", flat=True)
    )
    return [meeting.organisation.name, *others]


def seat(membership: Membership | None, meeting: SupportMeeting) -> Seat:
    """The caller's seat at `meeting`, or 404."""
    if membership is None or not membership.reads_personal_data or not membership.is_active:
        raise Http404
    member = (
        MeetingMember.unscoped.filter(meeting=meeting, membership=membership)
        .select_related("membership")
        .first()
    )
    if member is None or membership.organisation_id not in organisation_ids(meeting):
        raise Http404
    return Seat(meeting, member, membership)


def meeting_for(membership: Membership | None, code: Any) -> Seat:
    """The meeting with this code, as the caller may see it, or 404."""
    meeting = SupportMeeting.unscoped.filter(code=code).first()
    if meeting is None:
        raise Http404
    return seat(membership, meeting)


def shared_for(membership: Membership | None, code: Any) -> tuple[Seat, SharedPerson]:
    """A person discussed (by the entry's code) and the caller's seat at its meeting, or 404."""
    entry = SharedPerson.unscoped.filter(code=code).select_related("meeting", "person").first()
    if entry is None:
        raise Http404
    return seat(membership, entry.meeting), entry


def meetings_of(membership: Membership | None) -> list[SupportMeeting]:
    """The meetings the caller is a member of, newest first."""
    if membership is None or not membership.reads_personal_data:
        return []
    ids = MeetingMember.unscoped.filter(membership=membership).values("meeting_id")
    return list(SupportMeeting.unscoped.filter(pk__in=ids).order_by("-held_on", "-id"))
