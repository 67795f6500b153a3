"""What outreach tells staff in their inbox (and by e-mail, if they chose it): a closure
waiting for a coordinator, a case handed over to a worker, and a quiet period ending today
(a daily job, `ibasho remind_quiet_endings`, one reminder per quiet period)."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ibasho.accounts.models import SUPERVISOR_ROLES, Membership, Organisation
from ibasho.notifications import kinds
from ibasho.notifications.services import notify
from ibasho.outreach.models import Closure, Handover, QuietPeriod
from ibasho.people.models import CaseAssignment

CLOSURE_PENDING = kinds.register(
    "closure_pending", gettext_lazy("A case closure is waiting for approval")
).key
HANDOVER_RECEIVED = kinds.register(
    "handover_received", gettext_lazy("A case was handed over to you")
).key
QUIET_ENDING = kinds.register("quiet_ending", gettext_lazy("A quiet period ends today")).key


def closure_requested(closure: Closure, *, by: object) -> None:
    """Every coordinator and admin but the one who asked is told that a closure waits."""
    supervisors = Membership.objects.staff_of(closure.organisation_id, SUPERVISOR_ROLES)
    notify(
        [m for m in supervisors if m.user_id != getattr(by, "pk", None)],
        CLOSURE_PENDING,
        subject=_("%(who)s asks to close a case") % {"who": by},
        link=reverse("outreach:closure_detail", args=[closure.code]),
        organisation=closure.organisation,
    )


def handovers_received(handovers: Iterable[Handover], *, by: object) -> None:
    """Each receiving worker is told once, however many cases they received."""
    received: dict[int, list[Handover]] = {}
    for handover in handovers:
        received.setdefault(handover.to_worker_id, []).append(handover)
    for worker_id, items in received.items():
        first = items[0]
        notify(
            Membership.objects.filter(organisation_id=first.organisation_id, user_id=worker_id),
            HANDOVER_RECEIVED,
            subject=_("%(who)s handed %(n)d case(s) over to you") % {"who": by, "n": len(items)},
            body="\n".join(_("Handover note: %(note)s") % {"note": h.note} for h in items),
            link=reverse("people:person_detail", args=[first.case.person.code])
            if len(items) == 1
            else reverse("outreach:today"),
        )


def remind_quiet_endings(organisation: Organisation, today: dt.date | None = None) -> int:
    """Tell the workers of each case whose quiet period ends today; a period is reminded of
    once, however often the job runs. Returns how many periods were reminded of."""
    today = today or organisation.today()
    due = (
        QuietPeriod.unscoped.filter(
            organisation=organisation, until=today, ended_on__isnull=True, reminded_on__isnull=True
        )
        .select_related("plan__case__person")
        .order_by("pk")
    )
    count = 0
    for quiet in due:
        with transaction.atomic():
            # Taken first, so that a second run at the same moment finds nothing to do.
            taken = QuietPeriod.unscoped.filter(pk=quiet.pk, reminded_on__isnull=True).update(
                reminded_on=today
            )
            if not taken:
                continue
            workers = CaseAssignment.unscoped.filter(case_id=quiet.plan.case_id).values("worker_id")
            notify(
                Membership.objects.filter(organisation=organisation, user_id__in=workers),
                QUIET_ENDING,
                subject=_("A quiet period ends today: outreach starts again"),
                link=reverse("people:person_detail", args=[quiet.plan.case.person.code]),
            )
            count += 1
    return count
