"""Restricted records. A coordinator or admin restricts a person (a staff member's relative,
someone hiding from a violent relative): then only the workers assigned to their cases and the
organisation's coordinators and admins open their records. Any other worker finds them in no
list, search, Today or API answer, and opens the person page only by breaking the glass: a typed
reason, stored encrypted, audited under its own action, access for a few hours, and every
coordinator and admin is told at once in their inbox (and by e-mail, if they chose it).

The rule is applied by the guard itself (`TenantQuerySet.visible_to`, through
`accounts.tenancy.restriction_rule`), so every door built on it follows it."""

import datetime as dt
import functools
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ibasho.accounts.models import SUPERVISOR_ROLES, Membership
from ibasho.audit.services import record_audit
from ibasho.lib import limits
from ibasho.lib.prepared import MemberSlots
from ibasho.notifications import kinds
from ibasho.notifications.services import notify
from ibasho.people.models import Case, CaseAssignment, GlassBreak, Person, Restriction

RESTRICTED_OPENED = kinds.register(
    "restricted_opened", gettext_lazy("A restricted record was opened by breaking the glass")
).key
MIN_REASON = 10


def access_hours() -> int:
    return int(settings.IBASHO_BREAK_GLASS_HOURS)


def blocked_people(membership: Membership) -> Any:
    """The ids of the restricted people this member may not open now, as a subquery that every
    guarded query of a page embeds (built once per membership object, that is per request). It
    stays SQL, run by each query that embeds it, so restrictions, cases and glass breaks made
    after it was built still count."""
    cached = membership.__dict__.get("_blocked_people")
    if cached is not None:
        return cached
    alias = router.db_for_read(Restriction)
    if isinstance(membership, MemberSlots):  # a prepared query: the time is bound per request
        now: Any = membership.now
    else:
        now = connections[alias].ops.adapt_datetimefield_value(timezone.now())
    org, user = membership.organisation_id, membership.user_id
    built = RawSQL(_blocked_sql(alias), (org, org, user, org, user, now))
    membership.__dict__["_blocked_people"] = built
    return built


@functools.cache
def _blocked_sql(alias: str) -> str:
    """Restricted people, less those whose case the member is assigned to and those they
    opened by breaking the glass. Written once as SQL: built through the ORM, its three nested
    queries cost more to compile on every request than to run."""
    quote = connections[alias].ops.quote_name
    restriction, assignment, case, glass = (
        quote(model._meta.db_table) for model in (Restriction, CaseAssignment, Case, GlassBreak)
    )
    return (
        f"SELECT r.person_id FROM {restriction} r WHERE r.organisation_id = %s"
        f" AND r.person_id NOT IN (SELECT c.person_id FROM {assignment} a"
        f" INNER JOIN {case} c ON a.case_id = c.id"
        f" WHERE a.organisation_id = %s AND a.worker_id = %s)"
        f" AND r.person_id NOT IN (SELECT g.person_id FROM {glass} g"
        f" WHERE g.organisation_id = %s AND g.user_id = %s AND g.until > %s)"
    )


def rule(membership: Membership, path: str) -> Q:
    """The guard's condition: coordinators and admins open every record of their organisation;
    others not the restricted people they are not assigned to (or opened by breaking the glass)."""
    if membership.is_supervisor:
        return Q()
    return ~Q(**{f"{path}__in" if path else "pk__in": blocked_people(membership)})


def glass_to_break(membership: Membership, code: Any) -> Person | None:
    """The restricted person with this code that this member could open by breaking the glass
    (and cannot open now), if any: what the person page offers instead of their record."""
    if membership is None or not membership.reads_personal_data or membership.is_supervisor:
        return None
    return (
        Person.unscoped.filter(
            organisation_id=membership.organisation_id,
            code=code,
            pk__in=blocked_people(membership),
        )
        .only("code", "organisation_id")
        .first()
    )


def _supervisor(by: Any, organisation_id: int) -> None:
    if not Membership.objects.holds(by, organisation_id, SUPERVISOR_ROLES):
        raise ValidationError(_("Only a coordinator or an admin can restrict a record."))


def restrict(person: Person, *, by: Any, reason: str, note: str = "") -> Restriction:
    """Restrict a person's records (or change why they are restricted)."""
    _supervisor(by, person.organisation_id)
    if reason not in Restriction.Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    limits.validate(note=(limits.check_text, note))
    with transaction.atomic():
        restriction, created = Restriction.objects.update_or_create(
            organisation_id=person.organisation_id,
            person=person,
            defaults={"reason": reason, "note": note, "restricted_by": by},
        )
        record_audit(
            "people.restricted" if created else "people.restriction_changed",
            by=by,
            target=restriction,
            person=person,
            fields=["reason", "note"],
        )
    return restriction


def lift(person: Person, *, by: Any) -> None:
    _supervisor(by, person.organisation_id)
    with transaction.atomic():
        deleted, _rows = Restriction.objects.filter(person=person).delete()
        if deleted:
            record_audit("people.restriction_lifted", by=by, target=person, person=person)


def break_glass(person: Person, *, by: Any, reason: str) -> GlassBreak:
    """Open a restricted person for a few hours, with a reason. The reason is kept (encrypted)
    for the coordinators; the audit entry says that the glass was broken, by whom, on whom."""
    reason = (reason or "").strip()
    if not Membership.objects.holds(by, person.organisation_id):
        raise ValidationError(_("Only staff who work with people can open a record."))
    if not Restriction.objects.filter(person=person).exists():
        raise ValidationError(_("This record is not restricted."))
    if len(reason) < MIN_REASON:
        raise ValidationError(
            {"reason": _("Say why you need to open this record (at least %(n)s characters).")
             % {"n": MIN_REASON}}
        )  # fmt: skip
    limits.validate(reason=(lambda v: limits.check_text(v, max_length=1000), reason))
    until = timezone.now() + dt.timedelta(hours=access_hours())
    with transaction.atomic():
        opened = GlassBreak.objects.create(
            organisation_id=person.organisation_id, person=person, user=by, reason=reason,
            until=until,
        )  # fmt: skip
        record_audit("people.glass_broken", by=by, target=opened, person=person, fields=["reason"])
        supervisors = Membership.objects.staff_of(person.organisation_id, SUPERVISOR_ROLES)
        name = str(by)
        notify(
            list(supervisors.exclude(user=by)),
            RESTRICTED_OPENED,
            subject=_("%(who)s broke the glass to open a restricted record") % {"who": name},
            body=_("Reason given: %(reason)s\nAccess until %(until)s.")
            % {
                "reason": reason,
                "until": date_format(timezone.localtime(until), "DATETIME_FORMAT"),
            },
            link=reverse("people:person_detail", args=[person.code]),
        )
    return opened


def active_glass_break(membership: Membership, person: Person) -> GlassBreak | None:
    """The member's current break-the-glass access to this person, if that is how they see it."""
    return (
        GlassBreak.objects.filter(
            person=person, user_id=membership.user_id, until__gt=timezone.now()
        )
        .order_by("-until")
        .first()
    )
