"""Which fields of which records are personal, and what shredding leaves of them.

Lifecycle sits above every domain app, so this one table can name their models. A rule empties
the fields that identify or narrate (names, readings, contact details, free text, answers) and
keeps the coded values that reports count (dates, categories, durations, totals), so that past
reports give the same totals after shredding. `KEPT` names the models with no personal data of
their own, and why; tests/… fail when a personal-data model is in neither list, or when an
encrypted field is neither emptied nor kept on purpose."""

from dataclasses import dataclass

from ibasho.lifecycle.models import RecordType


@dataclass(frozen=True)
class Rule:
    record_type: str
    # The lookup from the model to the person whose record it is; for a household's records,
    # the lookup to the household (shredded once every person of the household is).
    path: str
    blank: tuple[str, ...] = ()
    delete: bool = False
    household: bool = False


T = RecordType
RULES: dict[str, Rule] = {
    # Birth date: the year is kept (age bands from the year alone); the day goes.
    "people.Person": Rule(
        T.IDENTITY,
        "pk",
        (
            "family_name",
            "given_name",
            "family_name_kana",
            "given_name_kana",
            "preferred_name",
            "birth_date",
            "withdrawal_since",
            "earlier_episodes",
            "own_words",
            "goals",
            "things_to_avoid",
            "preferred_channels",
            "sort_key",
            "search_text",
        ),
    ),
    "people.Consent": Rule(T.IDENTITY, "person", ("note",)),
    # How to reach the person, their phones and benefits: every value goes, the rows stay
    # empty (a benefit's dates are kept, as a consent's are).
    "people.ContactDetails": Rule(
        T.IDENTITY,
        "person",
        (
            "postcode",
            "street",
            "directions",
            "email",
            "line_name",
            "emergency_name",
            "emergency_relation",
            "emergency_phone",
            "medical_name",
            "medical_phone",
        ),
    ),  # fmt: skip
    "people.Phone": Rule(T.IDENTITY, "person", ("label", "number", "number_hash")),
    "people.Benefit": Rule(T.IDENTITY, "person", ("kind", "grade")),
    "people.Household": Rule(
        T.FAMILY, "pk", ("name", "name_kana", "municipality", "notes", "sort_key"), household=True
    ),
    "people.FamilyMember": Rule(
        T.FAMILY,
        "household",
        (
            "name",
            "name_kana",
            "phone",
            "phone_hash",
            "care_notes",
            "health",
            "health_changed_on",
            "income_source",
        ),
        household=True,
    ),
    "families.ContingencyPlan": Rule(
        T.FAMILY,
        "household",
        (
            "who_to_notify",
            "money_and_housing",
            "utilities_and_accounts",
            "abilities_and_wishes",
            "public_assistance",
        ),
        household=True,
    ),
    "families.HouseholdCircumstances": Rule(
        T.FAMILY,
        "household",
        ("income_stopping", "no_outside_contact", "violence"),
        household=True,
    ),  # fmt: skip
    "outreach.Contact": Rule(T.CONTACTS, "person", ("note", "next_step")),
    "outreach.StageChange": Rule(T.CONTACTS, "person", ("note",)),
    "outreach.QuietPeriod": Rule(T.CONTACTS, "plan__case__person", ("note",)),
    "outreach.Closure": Rule(T.CONTACTS, "case__person", ("reason_text", "reopen_note")),
    "outreach.Handover": Rule(T.CONTACTS, "case__person", ("note",)),
    # Why a record was restricted, and who broke the glass and why: the audit trail keeps that
    # it happened; once the person's record is shredded the reasons go with it.
    "people.Restriction": Rule(T.IDENTITY, "person", delete=True),
    "people.GlassBreak": Rule(T.IDENTITY, "person", delete=True),
    # A possible duplicate names the two records: it goes with the person.
    "people.PossibleDuplicate": Rule(T.IDENTITY, "person", delete=True),
    # A booked visit is a plan, not a count: nothing reports it, so it goes.
    "outreach.Booking": Rule(T.CONTACTS, "person", delete=True),
    # Earlier versions of notes: nothing in them is counted, so they go.
    "outreach.ContactRevision": Rule(T.CONTACTS, "contact__person", delete=True),
    "outreach.WithdrawnContact": Rule(T.CONTACTS, "person", delete=True),
    # The total stays (reports pair first and latest totals); answers and band go.
    "outcomes.Administration": Rule(T.OUTCOMES, "person", ("answers", "band")),
    "outcomes.RecoveryRating": Rule(T.OUTCOMES, "person", ("levels",)),
    # Earlier scorings and the Kato answers and classification are special-care data that no
    # report counts (reports pair administrations' current totals): they go.
    "outcomes.PreviousScore": Rule(T.OUTCOMES, "administration__person", delete=True),
    "outcomes.KatoAssessment": Rule(T.OUTCOMES, "person", delete=True),
    "families.SafetyEvent": Rule(
        T.SAFETY, "person", ("kind", "source", "description", "resolution")
    ),
    "families.BehaviourChange": Rule(T.SAFETY, "person", ("note",)),
    "programmes.Attendance": Rule(T.PROGRAMMES, "enrolment__person", ("note",)),
    # What a support meeting was shown about the person goes with the person's identity; the
    # item groups shared stay (the provision records name them too).
    "meetings.SharedPerson": Rule(T.IDENTITY, "person", ("snapshot",)),
    # A referral keeps its dates, state, recipient and shared groups (what went where is
    # also in the provision records); its messages go.
    "referrals.Referral": Rule(T.CONTACTS, "person", ("note", "handover_note", "decline_note")),
    # What came "before us" is the receiver's own record of the person: shredded with it.
    "referrals.ReceivedHistory": Rule(
        T.CONTACTS, "person", ("note", "handover_note", "history", "source_name")
    ),
}

# Organisation-keyed models that hold no one's personal data beyond what the rules above
# remove, with the reason they are kept whole.
KEPT: dict[str, str] = {
    "imports.ImportJob": "an import's counts and row errors (rows and columns, never values); "
    "its uploaded file is erased IMPORT_FILE_DAYS after it finished (retention)",
    "imports.ColumnMapping": "the organisation's remembered column headings; no personal data",
    "imports.ImportedRow": "a row's external id and the record it became, so that a re-import "
    "finds it; the record itself is shredded by its own rule",
    "notifications.Notification": "a staff member's inbox item, deleted after INBOX_DAYS (180) "
    "by the daily job (retention.prune_inbox)",
    "people.Case": "opening and closing dates and status: what reports and retention count",
    "outreach.OutreachPlan": "due dates of a closed case; no text",
    "outreach.Cadence": "channel and interval of a closed case; no text",
    "outcomes.InstrumentDefinition": "the organisation's questionnaire, not about a person",
    "programmes.Programme": "the organisation's programme, not about a person",
    "programmes.Session": "a programme's session, not about a person",
    "programmes.Enrolment": "dates of taking part, which reports count; no text",
    "programmes.MeasurementPoint": "a programme's schedule, not about a person",
    "families.RiskSettings": "the organisation's thresholds",
    "families.CrisisContact": "the organisation's directory of crisis lines",
    "referrals.DeclineReason": "the organisation's list of reasons to decline a referral",
    "referrals.ReferralSettings": "the organisation's age limit for referrals",
    # Lifecycle's own records: the trail of what was held, requested, shredded and breached.
    "lifecycle.LegalHold": "the reason a hold stood, kept as evidence; no personal details",
    "lifecycle.PersonRequest": "the request is evidence of how it was answered (APPI Art. 35)",
    "lifecycle.ShreddingBatch": "what was shredded and who confirmed it",
    "lifecycle.BatchItem": "which record types of which (now nameless) person were shredded",
    "lifecycle.Incident": "a breach record must outlive the data it concerns",
    "lifecycle.AffectedPerson": "who a breach reached, kept with the incident",
    # The law asks for the record of a provision to outlive the data provided (APPI Art. 29,
    # 30): its snapshot of the person's name and birth date stays until
    # retention.prune_provision_records deletes the record.
    "meetings.SupportMeeting": "the meeting: date, law and title, the legal basis of what was "
    "shared; its minutes (非公開) are emptied IBASHO_MEETING_MINUTES_YEARS after it "
    "(meetings.retention.prune_minutes)",
    "meetings.MeetingOrganisation": "which organisations took part; no personal data",
    "meetings.MeetingMember": "which staff were present and when they acknowledged the duty "
    "of confidentiality",
    "meetings.OutsideParticipant": "staff of other agencies present, by name; not people supported",
    "provisions.ProvisionRecord": "evidence of a provision or receipt, kept "
    "IBASHO_PROVISION_RECORD_YEARS after its date and the person's shredding",
}
