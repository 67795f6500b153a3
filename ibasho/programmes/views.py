import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ibasho.accounts.decorators import member_required
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.models import SUPERVISOR_ROLES
from ibasho.audit.services import audit_list, audit_read, record_audit
from ibasho.lib.web import confirm_page, confirmed, form_page
from ibasho.people.models import Person
from ibasho.programmes import matching, services
from ibasho.programmes.forms import (
    AttendanceForm,
    CourseStartForm,
    EnrolForm,
    NeedsForm,
    ProgrammeForm,
    SeasonForm,
    SessionForm,
)
from ibasho.programmes.models import Attendance, Enrolment, MeasurementPoint, Programme, Session


def _programmes(request: MemberRequest) -> Any:
    return Programme.objects.visible_to(request.membership)


def _with_counts(programmes: Any) -> Any:
    return programmes.annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__left_on__isnull=True), distinct=True)
    )


@member_required()
def programme_list(request: MemberRequest) -> HttpResponse:
    programmes = list(_with_counts(_programmes(request)).order_by("-is_open", "name_ja", "id"))
    for programme in programmes:
        programme.free = programme.free_places(programme.enrolled)
    return render(request, "programmes/programme_list.html", {"programmes": programmes})


@member_required(*SUPERVISOR_ROLES)
def programme_create(request: MemberRequest) -> HttpResponse:
    return _programme_form(request, Programme(organisation=request.membership.organisation))


@member_required(*SUPERVISOR_ROLES)
def programme_edit(request: MemberRequest, code: str) -> HttpResponse:
    return _programme_form(request, get_object_or_404(_programmes(request), code=code))


def _programme_form(request: MemberRequest, programme: Programme) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        action = "programmes.programme.changed" if programme.pk else "programmes.programme.created"
        with transaction.atomic():
            form.save()
            record_audit(
                action,
                by=request.user,
                target=programme,
                fields=form.changed_data,
            )
        return redirect("programmes:programme_detail", code=programme.code)
    return render(request, "programmes/programme_form.html", {"form": form, "programme": programme})


@member_required()
def programme_detail(request: MemberRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(_programmes(request), code=code)
    enrolments = list(
        programme.enrolments.current().select_related("person", "family_member")  # type: ignore[attr-defined]
    )
    sessions = list(
        programme.sessions.annotate(
            present=Count("attendances", filter=Q(attendances__status__in=Attendance.PRESENT)),
            recorded=Count("attendances"),
        )
    )
    audit_read(request, "programmes.programme.viewed", programme, count=len(enrolments))
    context = {
        "programme": programme,
        "enrolments": enrolments,
        "free_places": programme.free_places(len(enrolments)),
        "sessions": sessions,
        "chart": attendance_chart(sessions, len(enrolments)),
        "measurement_points": programme.measurement_points.all(),
        "today": request.membership.organisation.today(),
        "can_manage": request.membership.is_supervisor,
    }
    return render(request, "programmes/programme_detail.html", context)


def attendance_chart(sessions: list[Any], enrolled: int) -> dict[str, Any]:
    """Bars 60 units high at most, one per session, scaled to the largest of attendance and
    current enrolment so that a half-full room looks half full."""
    peak = max([s.present for s in sessions] + [enrolled, 1])
    bars = []
    for i, session in enumerate(sessions):
        height = round(60 * session.present / peak)
        bars.append({"x": i * 10 + 1, "y": 60 - height, "height": height, "session": session})
    return {"width": max(len(sessions) * 10, 10), "bars": bars}


def _programme_page(
    request: MemberRequest, programme: Programme, form: Any, save: Any, title: str
) -> HttpResponse:
    done = reverse("programmes:programme_detail", args=[programme.code])
    return form_page(request, form, save, done=done, title=title, programme=programme)


@member_required(*SUPERVISOR_ROLES)
def sessions_add(request: MemberRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(_programmes(request), code=code)

    def save(**data: Any) -> None:
        services.add_sessions(programme, by=request.user, **data)

    form = SeasonForm(request.POST or None)
    return _programme_page(request, programme, form, save, _("Add a season of sessions"))


@member_required(*SUPERVISOR_ROLES)
def course_start(request: MemberRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(_programmes(request), code=code)

    def save(start: dt.date) -> None:
        services.start_family_course(programme, start=start, by=request.user)

    form = CourseStartForm(request.POST or None)
    return _programme_page(request, programme, form, save, _("Start the course"))


@member_required()
def enrol(request: MemberRequest, code: str) -> HttpResponse:
    membership = request.membership
    programme = get_object_or_404(_programmes(request), code=code)
    people = Person.objects.visible_to(membership).with_open_case()
    audit_list(request, "programmes.enrol_form.viewed", people.count(), target=programme)
    # The family member is chosen from the chosen person's household only: the person comes
    # first (from the person's page, or "Choose" on this page), then their family.
    chosen = request.POST.get("person") or request.GET.get("person") or ""
    person = people.filter(code=chosen).first() if _is_code(chosen) else None
    initial = {"person": person.code} if person else None
    form = EnrolForm(request.POST or None, people=people, person=person, initial=initial)

    def save(**data: Any) -> None:
        services.enrol(programme, by=request.user, **data)

    done = reverse("programmes:programme_detail", args=[programme.code])
    return form_page(
        request, form, save, done=done, title=_("Enrol"), template="programmes/enrol_form.html",
        programme=programme, chosen=person is not None or request.method == "POST",
    )  # fmt: skip


def _is_code(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@member_required()
@require_POST
def enrolment_leave(request: MemberRequest, code: str) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.visible_to(request.membership).select_related("programme", "person"),
        code=code,
    )
    back = reverse("programmes:programme_detail", args=[enrolment.programme.code])
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("End taking part"),
            question=_(
                "End %(name)s's taking part in %(programme)s? They leave the list from today."
            )
            % {
                "name": enrolment.family_member or enrolment.person,
                "programme": enrolment.programme,
            },
            button=_("Leave"),
            back=back,
        )
    services.leave_programme(enrolment, by=request.user)
    messages.success(request, _("Taking part has ended."))
    return redirect(back)


def _session(request: MemberRequest, code: str) -> Session:
    return get_object_or_404(
        Session.objects.visible_to(request.membership).select_related("programme"),
        code=code,
    )


def _rows(session: Session, membership: Any) -> list[dict[str, Any]]:
    """One row per current participant (that this member may open) with their attendance for
    the session, if any."""
    enrolments = (
        Enrolment.objects.visible_to(membership)
        .filter(programme=session.programme)
        .current()
        .select_related("person", "family_member")
        .prefetch_related(
            Prefetch(
                "attendances", queryset=Attendance.objects.filter(session=session), to_attr="here"
            )
        )
    )
    rows = []
    for enrolment in enrolments:
        attendance = (enrolment.here or [None])[0]
        rows.append(
            {
                "enrolment": enrolment,
                "attendance": attendance,
                "note": attendance.note if attendance else "",
                "minutes": attendance.minutes if attendance and attendance.minutes else "",
            }
        )
    return rows


@member_required()
def session_detail(request: MemberRequest, code: str) -> HttpResponse:
    session = _session(request, code)
    rows = _rows(session, request.membership)
    audit_read(request, "programmes.session.viewed", session, count=len(rows))
    context = {
        "session": session,
        "programme": session.programme,
        "rows": rows,
        "statuses": Attendance.Status.choices,
    }
    return render(request, "programmes/session_detail.html", context)


@member_required()
@require_POST
def attendance_record(request: MemberRequest, code: str, enrolment: str) -> HttpResponse:
    """A status button saves the status with the note and minutes beside it; the note's own
    save (also what Enter in a field submits) saves the note alone and never a status."""
    session = _session(request, code)
    found = get_object_or_404(
        session.programme.enrolments.current().select_related("person", "family_member"),  # type: ignore[attr-defined]
        code=enrolment,
    )
    form = AttendanceForm(request.POST)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["status"]:
                services.record_attendance(session, found, by=request.user, **data)
            else:
                services.save_attendance_note(session, found, note=data["note"], by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(
            f"{field}: {' '.join(str(e) for e in errs)}" for field, errs in form.errors.items()
        )
    if request.headers.get("HX-Request"):
        row = next(r for r in _rows(session, request.membership) if r["enrolment"].pk == found.pk)
        if error:  # what was typed stays on screen to be corrected
            row["note"] = request.POST.get("note", "")
            row["minutes"] = request.POST.get("minutes", "")
        return render(
            request,
            "programmes/_attendance_row.html",
            {"row": row, "session": session, "statuses": Attendance.Status.choices, "error": error},
            status=422 if error else 200,
        )
    if error:
        messages.error(request, error)
    return redirect("programmes:session_detail", code=session.code)


@member_required()
def session_edit(request: MemberRequest, code: str) -> HttpResponse:
    session = _session(request, code)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
                record_audit(
                    "programmes.session.changed",
                    by=request.user,
                    target=session,
                    fields=form.changed_data,
                )
                if {"date", "starts_at"} & set(form.changed_data):
                    services.reschedule_contacts(session, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            return redirect("programmes:session_detail", code=session.code)
    return render(
        request,
        "form_page.html",
        {"form": form, "programme": session.programme, "title": str(session)},
    )


@member_required()
@require_POST
def measurement_done(request: MemberRequest, code: str) -> HttpResponse:
    point = get_object_or_404(
        MeasurementPoint.objects.visible_to(request.membership).select_related("programme"),
        code=code,
    )
    if point.done_on is None:
        with transaction.atomic():
            point.done_on = request.membership.organisation.today()
            point.save(update_fields=["done_on", "updated_at"])
            record_audit(
                "programmes.measurement.done",
                by=request.user,
                target=point,
                fields=["done_on"],
            )
    return redirect("programmes:programme_detail", code=point.programme.code)


@member_required()
def menu(request: MemberRequest, code: str) -> HttpResponse:
    """The programmes that fit what a person asks for, to show them and let them choose."""
    membership = request.membership
    person = get_object_or_404(Person.objects.visible_to(membership), code=code)
    form = NeedsForm(request.GET or None)
    asked = form.cleaned_data if form.is_valid() else {}
    today = membership.organisation.today()
    programmes = list(
        _with_counts(_programmes(request)).prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.filter(date__gte=today, cancelled=False),
                to_attr="upcoming",
            )
        )
    )
    enrolled = {
        str(code)
        for code in person.enrolments.filter(left_on__isnull=True).values_list(
            "programme__code", flat=True
        )  # type: ignore[attr-defined]
    }
    needs = matching.Needs(
        online_only=asked.get("online_only", False),
        women_only=asked.get("women_only", False),
        evening=asked.get("evening", False),
        weekend=asked.get("weekend", False),
        for_family=asked.get("for_family", False),
        include_full=asked.get("include_full", False),
        kinds=frozenset(asked.get("kinds") or ()),
        woman=None if person.gender in ("other", "not_stated") else person.gender == "female",
        age=person.age_on(today),
        already_enrolled=frozenset(enrolled),
    )
    offers = {
        str(p.code): p.as_offer(p.enrolled, frozenset(s.date.weekday() for s in p.upcoming))
        for p in programmes
    }
    fitting = {o.code for o in matching.matching(offers.values(), needs)}
    for programme in programmes:
        programme.free = programme.free_places(programme.enrolled)
    audit_read(request, "programmes.menu.viewed", person, person=person)
    context = {
        "person": person,
        "form": form,
        "programmes": [p for p in programmes if str(p.code) in fitting],
        "enrolled": [p for p in programmes if str(p.code) in enrolled],
    }
    return render(request, "programmes/menu.html", context)
