import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from django.db.models import Count, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from ibasho.accounts.api_auth import member_or_404
from ibasho.audit.services import audit_read
from ibasho.lib.schemas import Input, OneOf, Pages
from ibasho.programmes import services
from ibasho.programmes.models import Attendance, Enrolment, Programme, Session
from ibasho.programmes.services import MAX_MINUTES

router = Router(tags=["programmes"])


class ProgrammeOut(Schema):
    code: UUID
    kind: str
    name_ja: str
    name_en: str
    description_ja: str
    description_en: str
    mode: str
    audience: str
    women_only: bool
    place: str
    online_link: str
    schedule: str
    capacity: int | None
    enrolled: int
    free_places: int | None
    is_open: bool

    @staticmethod
    def resolve_free_places(obj: Any) -> int | None:
        return obj.free_places(obj.enrolled)  # type: ignore[no-any-return]


class SessionOut(Schema):
    code: UUID
    programme: UUID = Field(alias="programme.code")
    number: int | None
    date: dt.date
    starts_at: str | None = Field(description="local time in the organisation's zone, HH:MM:SS")
    duration_minutes: int
    online: bool
    topic: str
    cancelled: bool

    @staticmethod
    def resolve_starts_at(obj: Session) -> str | None:
        return obj.starts_at.isoformat() if obj.starts_at else None


class AttendanceOut(Schema):
    code: UUID
    session: UUID = Field(alias="session.code")
    enrolment: UUID = Field(alias="enrolment.code")
    person: UUID = Field(alias="enrolment.person.code")
    family_member: UUID | None = None
    status: str
    minutes: int

    @staticmethod
    def resolve_family_member(obj: Any) -> UUID | None:
        member = obj.enrolment.family_member
        return member.code if member else None


class AttendanceIn(Input):
    status: Annotated[str, OneOf(Attendance.Status)]
    minutes: int | None = Field(
        None, ge=1, le=MAX_MINUTES, description="defaults to the session's length"
    )


def _programmes(request: HttpRequest) -> Any:
    return Programme.objects.visible_to(member_or_404(request)).annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__left_on__isnull=True), distinct=True)
    )


@router.get("", response=list[ProgrammeOut])
@paginate(Pages)
def list_programmes(request: HttpRequest, open_only: bool = False):  # type: ignore[no-untyped-def]
    programmes = _programmes(request).order_by("name_ja", "id")
    return programmes.filter(is_open=True) if open_only else programmes


@router.get("/{code}", response=ProgrammeOut)
def read_programme(request: HttpRequest, code: UUID):  # type: ignore[no-untyped-def]
    return get_object_or_404(_programmes(request), code=code)


@router.get("/{code}/sessions", response=list[SessionOut])
@paginate(Pages)
def list_sessions(request: HttpRequest, code: UUID):  # type: ignore[no-untyped-def]
    programme = get_object_or_404(_programmes(request), code=code)
    return programme.sessions.select_related("programme")


def _session(request: HttpRequest, code: UUID) -> Session:
    return get_object_or_404(
        Session.objects.visible_to(member_or_404(request)).select_related(
            "programme", "organisation"
        ),
        code=code,
    )


def _attendance(session: Session, membership: Any) -> Any:
    return (
        Attendance.objects.visible_to(membership)
        .filter(session=session)
        .select_related("session", "enrolment__person", "enrolment__family_member")
    )


@router.get("/sessions/{code}/attendance", response=list[AttendanceOut])
def list_attendance(request: HttpRequest, code: UUID):  # type: ignore[no-untyped-def]
    session = _session(request, code)
    rows = list(_attendance(session, member_or_404(request)))
    audit_read(request, "programmes.attendance.viewed", session, count=len(rows))
    return rows


@router.put("/sessions/{code}/attendance/{enrolment}", response=AttendanceOut)
def put_attendance(request: HttpRequest, code: UUID, enrolment: UUID, payload: AttendanceIn):  # type: ignore[no-untyped-def]
    """Record or change one participant's attendance; the contact log follows."""
    session = _session(request, code)
    found = get_object_or_404(
        Enrolment.objects.visible_to(member_or_404(request))
        .current()
        .filter(programme=session.programme),
        code=enrolment,
    )
    attendance = services.record_attendance(
        session, found, status=payload.status, minutes=payload.minutes, by=request.user
    )
    return _attendance(session, member_or_404(request)).get(pk=attendance.pk)
