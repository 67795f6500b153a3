import json
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ibasho.lib import limits
from ibasho.outcomes import kato, recovery, scoring
from ibasho.outcomes.models import Respondent, current_language
from ibasho.people.choices import FamilyMemberChoiceField

# Reasons from the pure engines, in words a worker reads (the engines speak English codes).
ANSWER_REASONS = {
    "missing": _("An answer is required."),
    "out_of_range": _("Choose one of the listed answers."),
    "not_a_number": _("Choose one of the listed answers."),
    "too_many_missing": _("Too many questions are unanswered for this instrument."),
}


class DateInput(forms.DateInput):
    input_type = "date"


class AdministrationForm(forms.Form):
    """Fields built from an instrument definition: one radio group per item."""

    administered_on = forms.DateField(
        label=_("date"), widget=DateInput, validators=[limits.record_day]
    )
    respondent = forms.ChoiceField(label=_("who answered"), choices=Respondent.choices)
    family_member = FamilyMemberChoiceField(
        label=_("about a family member"),
        required=False,
        empty_label=_("No: about the person"),
        help_text=_("Choose a family member when the answers are about them (e.g. a parent's K6)."),
    )

    def __init__(self, *args: Any, definition: scoring.Definition, person: Any, **kwargs: Any):
        kwargs.setdefault("initial", {}).setdefault("administered_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.result: scoring.Score | None = None
        lang = current_language()
        self.fields["family_member"].for_household(person.household_id)  # type: ignore[attr-defined]
        if len(definition.band_sets) > 1:
            self.fields["band_set"] = forms.ChoiceField(
                label=_("cut-off"),
                choices=[(b.key, b.label.get(lang) or b.key) for b in definition.band_sets],
                initial=definition.default_band_set,
                required=False,  # empty means the definition's default
            )
        for item in definition.items:
            self.fields[f"item_{item.number}"] = forms.TypedChoiceField(
                # "*" refers to the one note under the instructions: said once per instrument.
                label=f"{item.number}. {item.label_in(lang)}"
                + ("" if item.wording_checked else " *"),
                choices=[(o.value, f"{o.value} {o.label_in(lang)}") for o in item.options],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )

    def has_unverified_wording(self) -> bool:
        return not all(item.wording_checked for item in self.definition.items)

    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{item.number}"] for item in self.definition.items]

    def other_fields(self) -> list[forms.BoundField]:
        return [f for f in self.visible_fields() if not f.name.startswith("item_")]

    def answers(self) -> list[int | None]:
        return [self.cleaned_data.get(f"item_{item.number}") for item in self.definition.items]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            self.result = scoring.score(
                self.definition, self.answers(), band_set=cleaned.get("band_set") or None
            )
        except scoring.AnswerError as error:
            for issue in error.issues:
                message = ANSWER_REASONS.get(issue.reason, issue.message)
                if issue.item is None:
                    self.add_error(None, message)
                else:
                    self.add_error(f"item_{issue.item}", message)
        return cleaned


class KatoForm(forms.Form):
    assessed_on = forms.DateField(label=_("date"), widget=DateInput, validators=[limits.record_day])
    days_out_per_week = forms.IntegerField(
        label=_("days out of the home per week"),
        min_value=0,
        max_value=7,
        help_text=_("On how many days a week do they usually leave the home?"),
    )
    rarely_leaves_room = forms.BooleanField(label=_("rarely leaves their own room"), required=False)
    continuous_months = forms.IntegerField(
        label=_("months in this state, continuously"), min_value=0, max_value=1200
    )
    impairment_or_distress = forms.BooleanField(
        label=_("significant impairment or distress"),
        required=False,
        help_text=_("In daily life, or felt by the person, because of the isolation."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("assessed_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def answers(self) -> kato.KatoAnswers:
        data = self.cleaned_data
        return kato.KatoAnswers(
            days_out_per_week=data["days_out_per_week"],
            rarely_leaves_room=data["rarely_leaves_room"],
            continuous_months=data["continuous_months"],
            impairment_or_distress=data["impairment_or_distress"],
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            kato.validate(self.answers())
        except kato.KatoInputError as error:
            message = {
                "rarely_leaves_room": _(
                    "Someone who rarely leaves their room cannot go out on 2 or more days a week."
                ),
            }.get(error.field, _("This value is not possible."))
            self.add_error(error.field, message)
        return cleaned


class RecoveryForm(forms.Form):
    """Each domain rated by the person and by the worker, side by side; blanks allowed."""

    rated_on = forms.DateField(label=_("date"), widget=DateInput, validators=[limits.record_day])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("rated_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.profile = recovery.load_profile()
        lang = current_language()
        for domain in self.profile.domains:
            choices = [("", "—")] + [
                (level, f"{level}: {domain.anchor(level, lang)}")
                for level in range(self.profile.low, self.profile.high + 1)
            ]
            for rater, label in (("self", _("Own rating")), ("worker", _("Worker"))):
                self.fields[f"{rater}_{domain.key}"] = forms.TypedChoiceField(
                    label=label, choices=choices, coerce=int, empty_value=None, required=False
                )

    def rows(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField]]:
        lang = current_language()
        return [
            (d.key, d.name_in(lang), self[f"self_{d.key}"], self[f"worker_{d.key}"])
            for d in self.profile.domains
        ]

    def ratings(self) -> dict[str, dict[str, object]]:
        return {
            rater: {d.key: self.cleaned_data.get(f"{rater}_{d.key}") for d in self.profile.domains}
            for rater in ("self", "worker")
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and all(
            value is None for by_rater in self.ratings().values() for value in by_rater.values()
        ):
            raise forms.ValidationError(_("Rate at least one domain."))
        return cleaned


class InstrumentDefinitionForm(forms.Form):
    definition = forms.CharField(
        label=_("definition (JSON)"),
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        help_text=_("The same format as the shipped instruments; see docs/decisions-outcomes.md."),
    )

    def clean_definition(self) -> object:
        raw = self.cleaned_data["definition"]
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Not valid JSON (line %(line)s): %(reason)s")
                % {"line": error.lineno, "reason": error.msg}
            ) from error
        limits.check_json(data)
        try:
            scoring.parse_definition(data)
        except scoring.DefinitionError as error:
            raise forms.ValidationError(
                _("%(where)s: %(reason)s") % {"where": error.where, "reason": error.reason}
            ) from error
        return data
