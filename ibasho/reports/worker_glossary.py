"""The figures a worker reads on Today, the person page and the trust panel, explained once.

They sit on the same Definitions page as the report figures (one glossary, two sections), so a
"?" beside any figure of the app leads to one place. Anchors are the keys below; templates link
to them with `_glossary_link.html`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ibasho.outreach.models import Stage
from ibasho.reports.definitions import Term

WORKER_TERMS: tuple[Term, ...] = (
    Term(
        "trust_hours",
        _("Two-way hours and the 20-hour milestone (20時間)"),
        _(
            "The minutes of contacts in which the person themself was reached and answered "
            "(talked, replied, took part), added up in hours since the case began. Trust is "
            "time: about 20 hours of two-way contact is the milestone the bar moves toward. "
            "Contacts with the family only and unanswered attempts are counted separately and "
            "never add to it."
        ),
    ),
    Term(
        "consistency",
        _("Consistency (継続性)"),
        _(
            "How many of the last weeks held at least one two-way contact with the person. The "
            "weeks are rolling seven-day windows, the latest ending today, so a week that has "
            "only just begun does not count as missed."
        ),
    ),
    Term(
        "family_hours",
        _("Family-support hours"),
        _("The minutes of contacts with the family, in hours: support that counts, shown apart."),
    ),
    Term(
        "attempts",
        _("Attempts and attempts before the first response"),
        _(
            "Contacts that did not reach the person or their family: a letter left, a door not "
            "opened, a call not answered. Before the first response, the number of attempts "
            "made until the person answered for the first time."
        ),
    ),
    Term(
        "no_answer",
        _("No answer (応答なし)"),
        _(
            "One tap on Today records an unanswered attempt on that channel. Each unanswered "
            "attempt in a row lengthens the interval to the next one (by the organisation's "
            "setting: one and a half times, up to six weeks, unless changed), so outreach "
            "slows down gently but never stops while the case is open. A "
            "tap made by mistake can be undone by the worker for ten minutes."
        ),
    ),
    Term(
        "overdue",
        _("Due and overdue (超過)"),
        _(
            "A channel is due on its next date in the outreach plan; a badge counts the days "
            "past it. Any two-way contact, on any channel, moves every channel's next date on: "
            "after a face-to-face meeting there is no phone call due tomorrow."
        ),
    ),
    Term(
        "stages",
        _("Stages of support"),
        _(
            "Where the person is in the stepwise support model: %(stages)s. People move both "
            "ways; a step back is not a failure."
        ),
    ),
    Term(
        "score",
        _("Scores (スコア)"),
        _(
            "The total of a questionnaire (K6, PHQ-9 and the others), scored as its authors "
            "publish it, with the band it falls in. Items whose wording has not been checked "
            "against the published form are marked with an asterisk. A score describes the "
            "answers on that day; it is not a diagnosis."
        ),
    ),
    Term(
        "kato",
        _("Kato classification"),
        _(
            "The criteria of Kato, Kanba and Teo (2020) for pathological social withdrawal: "
            "going out on fewer than four days a week for six months or more with distress or "
            "impairment is hikikomori (mild at two or three days out, moderate at none or one, "
            "severe when the person rarely leaves their room); three to six months is "
            "pre-hikikomori."
        ),
    ),
)


def worker_terms() -> list[tuple[str, str, str]]:
    """(anchor, title, text) with the stages named in the current language."""
    stages = "、".join(str(label) for _, label in Stage.choices)
    found = []
    for term in WORKER_TERMS:
        text = str(term.text)
        if term.key == "stages":
            text = text % {"stages": stages}
        found.append((term.key, str(term.title), text))
    return found
