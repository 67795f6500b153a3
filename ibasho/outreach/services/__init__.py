"""Writes and reads of the outreach app, by topic: `contacts` (the only writer of `Contact`),
`plans` (cadences, quiet periods and the due-date refresh), `cases` (stages, closure, handover)
and `reads` (history and trust figures). Callers may import the topic module or these names."""

from ibasho.outreach.services.bookings import book, cancel_booking
from ibasho.outreach.services.cases import (
    ClosureReview,
    HandoverItem,
    acknowledge_handover,
    can_decide,
    change_stage,
    close_as_transferred,
    current_stage,
    decide_closure,
    hand_over,
    needs_second_approval,
    plan_for_new_case,
    plans_for_new_cases,
    reopen_case,
    request_closure,
    review_closure,
)
from ibasho.outreach.services.contacts import (
    CONTACT_FIELDS,
    QUICK_ATTEMPT,
    delete_contact,
    edit_contact,
    log_attempt,
    record_contact,
    sync_contact,
    undo_attempt,
    withdraw_contact,
)
from ibasho.outreach.services.plans import (
    current_quiet,
    decide_quiet_period,
    end_quiet_period,
    ensure_plan,
    refresh_plan,
    refresh_plans_for,
    set_plan,
    start_quiet_period,
)
from ibasho.outreach.services.reads import (
    History,
    last_two_way_on,
    person_history,
    trust_summary,
    trust_totals,
    trust_windows,
)

__all__ = [
    "CONTACT_FIELDS", "QUICK_ATTEMPT", "ClosureReview", "History", "HandoverItem",
    "acknowledge_handover", "book", "can_decide", "cancel_booking", "change_stage",
    "close_as_transferred",
    "current_quiet", "current_stage",
    "decide_closure", "decide_quiet_period", "delete_contact", "edit_contact",
    "end_quiet_period", "ensure_plan",
    "hand_over", "last_two_way_on", "log_attempt", "needs_second_approval", "person_history",
    "plan_for_new_case", "plans_for_new_cases", "record_contact", "refresh_plan",
    "refresh_plans_for", "review_closure",
    "reopen_case", "request_closure", "set_plan", "start_quiet_period", "sync_contact",
    "trust_summary", "trust_totals", "trust_windows", "undo_attempt", "withdraw_contact",
]  # fmt: skip
