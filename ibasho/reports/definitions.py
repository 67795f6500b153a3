"""What each figure means, as data: the channel-to-method table, the age bands, the prevalence
rates used for the unreached estimate, and the glossary every figure links to. The tests check
these definitions, and the glossary page prints them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ibasho.lib.dates import age_on
from ibasho.outreach.models import Contact

Channel = Contact.Channel

KINDS: dict[str, Promise] = {
    "contacts": _("Unique people and total contacts"),
    "programmes": _("Programmes"),
    "outcomes": _("Outcomes"),
    "persistence": _("Persistence"),
    "unreached": _("The unreached"),
}

# The methods municipal offices and ひきこもり地域支援センター report by, in their order.
METHODS: tuple[tuple[str, Promise], ...] = (
    ("centre", _("Visit to the centre (来所)")),
    ("phone", _("Phone (電話)")),
    ("home_visit", _("Home visit (訪問)")),
    ("email", _("Email (メール)")),
    ("sns", _("LINE / SNS")),
    ("online", _("Online (オンライン)")),
    ("letter", _("Letter (手紙)")),
    ("accompany", _("Accompanying support (同行支援)")),
    ("group", _("Group / ibasho (グループ・居場所)")),
    ("other", _("Other")),
)

# The one table from the contact log's channels to the report's methods. A family consultation
# is counted as 来所: it is held at the centre. No channel records 同行支援 (going with the person
# to an office or clinic) yet, so that row is always 0 and says so.
CHANNEL_METHOD: dict[str, str] = {
    Channel.CENTRE_VISIT: "centre",
    Channel.FAMILY_CONSULTATION: "centre",
    Channel.PHONE: "phone",
    Channel.DOOR_VISIT: "home_visit",
    Channel.EMAIL: "email",
    Channel.MESSAGE: "sns",
    Channel.VIDEO_CALL: "online",
    Channel.LETTER: "letter",
    Channel.POSTCARD: "letter",
    Channel.GROUP_SESSION: "group",
}
METHODS_WITHOUT_SOURCE = frozenset({"accompany"})


def method_of(channel: str) -> str:
    """The report's method for a contact channel; a channel added later lands in "other"."""
    return CHANNEL_METHOD.get(channel, "other")


# With whom the contact was. Contacts with another agency (関係機関) have no field in the contact
# log yet, so that row is always 0 and says so. Unanswered attempts are their own row.
WITH_WHOM: tuple[tuple[str, Promise], ...] = (
    ("person", _("The person (本人)")),
    ("family", _("Family (家族)")),
    ("agency", _("Related agencies (関係機関)")),
    ("nobody", _("Attempt, nobody reached")),
)
WITH_WHOM_WITHOUT_SOURCE = frozenset({"agency"})


def with_whom(reached: str) -> str:
    names: dict[str, str] = {Contact.Reached.PERSON: "person", Contact.Reached.FAMILY: "family"}
    return names.get(reached, "nobody")


AGE_BANDS: tuple[tuple[str, Promise], ...] = (
    ("-19", _("Up to 19")),
    ("20s", _("20s")),
    ("30s", _("30s")),
    ("40s", _("40s")),
    ("50s", _("50s")),
    ("60-", _("60 and over")),
    ("unknown", _("Unknown")),
)


def age_band(day: dt.date, birth_date: dt.date | None, birth_year: int | None) -> str:
    """The age band on `day` (the contact's date, never today)."""
    age = age_on(day, birth_date, birth_year)
    if age is None:
        return "unknown"
    if age < 20:
        return "-19"
    if age >= 60:
        return "60-"
    return f"{age // 10 * 10}s"


NEW_OR_CONTINUING: tuple[tuple[str, Promise], ...] = (
    ("new", _("New (first contact in this period)")),
    ("continuing", _("Continuing")),
)

# Milestones and thresholds of the outcome figures.
MILESTONE_MINUTES = 20 * 60
# A family-course participant completed the course when they attended at least this share of
# the sessions held, and the course's last session fell in the period.
COURSE_COMPLETION_SHARE = Decimal(2) / Decimal(3)
# Contacts that mean the person took part in something outside their home.
OUTSIDE_HOME_CHANNELS = frozenset({Channel.CENTRE_VISIT, Channel.GROUP_SESSION})

DEFAULT_THRESHOLD = 5
# Custom periods longer than this are computed as a background job.
LONGEST_INLINE_DAYS = 400


@dataclass(frozen=True)
class RateBand:
    age_from: int
    age_to: int
    percent: Decimal


@dataclass(frozen=True)
class RateSet:
    """National prevalence of the hikikomori state (広義) by age band, from one survey."""

    code: str
    label: Promise
    year: int
    source: str
    bands: tuple[RateBand, ...]

    def rate_for(self, age_from: int, age_to: int) -> Decimal:
        """The rate for a population band, by the years it shares with each rate band
        (a 60–64 band inside 40–64 takes that rate whole; 60–69 takes half of it)."""
        years = age_to - age_from + 1
        total = Decimal(0)
        for band in self.bands:
            overlap = min(age_to, band.age_to) - max(age_from, band.age_from) + 1
            if overlap > 0:
                total += band.percent / 100 * overlap / years
        return total

    @property
    def age_from(self) -> int:
        return min(b.age_from for b in self.bands)

    @property
    def age_to(self) -> int:
        return max(b.age_to for b in self.bands)


CAO = "内閣府"
RATE_SETS: dict[str, RateSet] = {
    r.code: r
    for r in (
        RateSet(
            "cao2022",
            _("Cabinet Office 2022 (15–39: 2.05 %, 40–64: 2.02 %)"),
            2022,
            f"{CAO}「こども・若者の意識と生活に関する調査」（令和4年度、2023年3月公表）",
            (RateBand(15, 39, Decimal("2.05")), RateBand(40, 64, Decimal("2.02"))),
        ),
        RateSet(
            "cao2015_2018",
            _("Cabinet Office 2015 and 2018 (15–39: 1.57 %, 40–64: 1.45 %)"),
            2018,
            f"{CAO}「若者の生活に関する調査」（平成27年度）・「生活状況に関する調査」（平成30年度）",
            (RateBand(15, 39, Decimal("1.57")), RateBand(40, 64, Decimal("1.45"))),
        ),
        RateSet(
            "cao2010",
            _("Cabinet Office 2010 (15–39: 1.79 %)"),
            2010,
            f"{CAO}「若者の意識に関する調査（ひきこもりに関する実態調査）」（平成22年）",
            (RateBand(15, 39, Decimal("1.79")),),
        ),
    )
}
DEFAULT_RATE_SET = "cao2022"


@dataclass(frozen=True)
class Term:
    key: str
    title: Promise
    text: Promise


GLOSSARY: tuple[Term, ...] = (
    Term(
        "unique_people",
        _("Unique people (実人数)"),
        _(
            "Each person counted once in the period, however many contacts they had. In a "
            "breakdown a person is counted under their value on their first contact in the "
            "period (their age band on that day, their stage on that day); by method and by "
            "whom, a person counts once under each method or party they had a contact with, "
            "so those rows add up to more than the total."
        ),
    ),
    Term(
        "total_contacts",
        _("Total contacts (延べ数)"),
        _(
            "Every recorded contact in the period, answered or not: a letter left, an "
            "unanswered visit and an hour's talk each count once. A contact that reached only "
            "the family counts under 'with whom: family'. In a breakdown each contact counts "
            "under its own value on its own day (age on the contact's date, not today)."
        ),
    ),
    Term(
        "two_way_hours",
        _("Hours of two-way contact"),
        _(
            "The minutes of contacts in which the person themself was reached and answered "
            "(talked, replied, took part), in hours. Family contacts and attempts are not "
            "counted."
        ),
    ),
    Term(
        "new_continuing",
        _("New and continuing"),
        _(
            "New: the person's first contact with the organisation falls in the period. "
            "Continuing: they had a contact before the period began."
        ),
    ),
    Term(
        "method",
        _("Method"),
        _(
            "Contact channels grouped as municipal reports group them: centre visits and "
            "family consultations are 来所; letters and postcards 手紙; video calls オンライン; "
            "LINE/SNS messages LINE/SNS; group sessions グループ・居場所. No channel records "
            "accompanying support (同行支援) yet, so it is reported as 0."
        ),
    ),
    Term(
        "with_whom",
        _("With whom"),
        _(
            "Who was reached: the person (本人) or a family member (家族). Contacts with "
            "related agencies (関係機関) are not recorded in the contact log yet and are "
            "reported as 0. Attempts in which nobody was reached are shown on their own row."
        ),
    ),
    Term(
        "age_band",
        _("Age band"),
        _(
            "Age on the day of the contact, from the birth date, or from the birth year when "
            "only that is known (the age reached during that year)."
        ),
    ),
    Term(
        "attributes",
        _("Gender, referral source, municipality"),
        _("As recorded on the person's record when the report is made."),
    ),
    Term(
        "stage",
        _("Stage"),
        _(
            "The person's stage of the stepwise support model on the day of the contact "
            "(the latest stage change on or before that day)."
        ),
    ),
    Term(
        "sessions",
        _("Programme sessions and participants"),
        _(
            "Sessions held: sessions in the period that were not cancelled. Participants "
            "(実人数): each person or family member who attended at least one session, counted "
            "once. Attendances (延べ数): each attendance, in person, online or in part."
        ),
    ),
    Term(
        "course_completed",
        _("Family courses completed"),
        _(
            "Participants of a family course whose last session fell in the period and who "
            "attended at least two thirds of the sessions held."
        ),
    ),
    Term(
        "instruments",
        _("Instruments and paired change"),
        _(
            "Instruments administered: completed questionnaires dated in the period. Change: "
            "for each person (or family member) and instrument with at least two "
            "administrations up to the end of the period, the latest total minus the first "
            "one; people with a single administration are left out (paired only)."
        ),
    ),
    Term(
        "milestones",
        _("Milestones"),
        _(
            "Reached 20 hours: the person's two-way hours since their first contact passed 20 "
            "hours during the period. Stage forward: a stage change in the period to a later "
            "step of the model. Outside home: attended a programme session in person, or came "
            "to the centre or a group and took part, in the period."
        ),
    ),
    Term(
        "persistence",
        _("Persistence"),
        _(
            "Across everyone the organisation has reached out to up to the end of the period: "
            "attempts before the first reply (unanswered contacts before the first two-way "
            "contact; family contacts are not attempts), days from the first attempt to the "
            "first two-way contact, days from the first contact to 20 hours of two-way "
            "contact, and consistency: of the 12 weeks up to the end of the period, how many "
            "held a two-way contact (people with an open case who have ever answered)."
        ),
    ),
    Term(
        "unreached",
        _("Estimated people in a hikikomori state and the gap"),
        _(
            "An estimate, not a count: the municipality's population in each age band times "
            "the national prevalence rate for that band from the chosen survey. Known: people "
            "of that municipality recorded by the organisation with a case open at some time "
            "in the period, aged within the survey's age range at the end of the period, or "
            "of unknown age. Gap: the estimate minus the known people."
        ),
    ),
    Term(
        "suppression",
        _("Small-cell suppression"),
        _(
            "A count of people or contacts from 1 to one below the threshold (5 unless the "
            "organisation set another) is shown as '<5'. So that it cannot be worked out from "
            "the totals, as many further cells as needed are hidden too and shown as 'x'. "
            "Hours and averages of a hidden group are hidden with it. Analysts and every "
            "export (CSV, Excel, PDF, API) always get the suppressed figures."
        ),
    ),
)
