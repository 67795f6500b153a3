import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from ibasho.families.models import (
    BehaviourChange,
    ContingencyPlan,
    CrisisContact,
    HouseholdCircumstances,
    RiskSettings,
    SafetyEvent,
)
from ibasho.outreach.models import Contact
from ibasho.people.models import FamilyMember, Person


class DateInput(forms.DateInput):
    input_type = "date"


def not_in_future(value: dt.date | None) -> dt.date | None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future."))
    return value


class ConsultationForm(forms.Form):
    family_member = forms.ModelChoiceField(
        label=_("family member"), queryset=FamilyMember.objects.none()
    )
    person = forms.ModelChoiceField(label=_("about"), queryset=Person.objects.none())
    occurred_at = forms.DateTimeField(
        label=_("when"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    duration_minutes = forms.IntegerField(
        label=_("minutes"), min_value=1, max_value=1440, initial=60
    )
    direction = forms.ChoiceField(
        label=_("direction"), choices=Contact.Direction.choices, initial=Contact.Direction.INCOMING
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_step = forms.CharField(label=_("next step"), required=False, max_length=300)

    def __init__(self, *args: Any, household: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["occurred_at"] = timezone.localtime().strftime(
            "%Y-%m-%dT%H:%M"
        )
        super().__init__(*args, **kwargs)
        self.fields["family_member"].queryset = household.members.all()  # type: ignore[attr-defined]
        self.fields["person"].queryset = household.people.all()  # type: ignore[attr-defined]

    def clean_occurred_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["occurred_at"]
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError(_("This time is in the future."))
        return value


class HealthForm(forms.Form):
    health = forms.ChoiceField(label=_("health and care"), choices=FamilyMember.Health.choices)
    since = forms.DateField(
        label=_("since"), widget=DateInput, required=False, help_text=_("Today if left empty.")
    )

    def clean_since(self) -> dt.date | None:
        return not_in_future(self.cleaned_data["since"])


class CircumstancesForm(forms.ModelForm):
    class Meta:
        model = HouseholdCircumstances
        fields = ["income_stopping", "no_outside_contact", "violence"]


class ContingencyPlanForm(forms.ModelForm):
    class Meta:
        model = ContingencyPlan
        fields = [
            "who_to_notify",
            "money_and_housing",
            "utilities_and_accounts",
            "public_assistance",
            "abilities_and_wishes",
            "last_reviewed_on",
            "review_every_months",
        ]
        widgets = {
            "who_to_notify": forms.Textarea(attrs={"rows": 3}),
            "money_and_housing": forms.Textarea(attrs={"rows": 3}),
            "utilities_and_accounts": forms.Textarea(attrs={"rows": 3}),
            "abilities_and_wishes": forms.Textarea(attrs={"rows": 3}),
            "last_reviewed_on": DateInput,
        }

    def clean_last_reviewed_on(self) -> dt.date | None:
        return not_in_future(self.cleaned_data["last_reviewed_on"])

    def clean_review_every_months(self) -> int:
        value: int = self.cleaned_data["review_every_months"]
        if not 1 <= value <= 24:
            raise forms.ValidationError(_("Between 1 and 24 months."))
        return value


class BehaviourChangeForm(forms.ModelForm):
    class Meta:
        model = BehaviourChange
        fields = ["kind", "occurred_on", "reported_by", "note"]
        # Choices come from the view (the person's household), never from an import-time query.
        field_classes = {"reported_by": SafeModelChoiceField}
        widgets = {"occurred_on": DateInput, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reported_by"].queryset = members  # type: ignore[attr-defined]

    def clean_occurred_on(self) -> dt.date | None:
        return not_in_future(self.cleaned_data["occurred_on"])


class SafetyEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=SafetyEvent.Kind.choices)
    severity = forms.TypedChoiceField(
        label=_("severity"), choices=SafetyEvent.Severity.choices, coerce=int
    )
    description = forms.CharField(
        label=_("what happened"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("how it was resolved"), widget=forms.Textarea(attrs={"rows": 3})
    )


class RiskSettingsForm(forms.ModelForm):
    class Meta:
        model = RiskSettings
        fields = [
            "parent_age_watch",
            "parent_age_high",
            "person_age",
            "withdrawn_years",
            "top_days",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        watch, high = data.get("parent_age_watch"), data.get("parent_age_high")
        if watch is not None and high is not None and watch > high:
            self.add_error("parent_age_watch", _("This must not be above the age of high concern."))
        for name in ("parent_age_watch", "parent_age_high", "person_age", "withdrawn_years"):
            if data.get(name) == 0:
                self.add_error(name, _("This must be at least 1."))
        return data


CrisisContactFormSet: type[forms.BaseModelFormSet] = forms.modelformset_factory(  # type: ignore[type-arg]
    CrisisContact, fields=["name", "phone", "hours", "note", "order"], extra=1, can_delete=True
)
