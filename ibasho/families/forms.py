from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ibasho.families.models import (
    BehaviourChange,
    ContingencyPlan,
    CrisisContact,
    HouseholdCircumstances,
    RiskSettings,
    SafetyEvent,
)
from ibasho.lib import limits
from ibasho.outreach.models import Contact
from ibasho.people.choices import FamilyMemberChoiceField, PersonChoiceField
from ibasho.people.models import FamilyMember, Person


class DateInput(forms.DateInput):
    input_type = "date"


class ConsultationForm(forms.Form):
    family_member = FamilyMemberChoiceField(label=_("family member"))
    person = PersonChoiceField(label=_("about"), queryset=Person.objects.none())
    occurred_at = forms.DateTimeField(
        label=_("when"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        validators=[limits.record_moment],
    )
    duration_minutes = forms.IntegerField(
        label=_("minutes"), min_value=1, max_value=1440, initial=60
    )
    direction = forms.ChoiceField(
        label=_("direction"), choices=Contact.Direction.choices, initial=Contact.Direction.INCOMING
    )
    note = limits.note_field(_("note"))
    next_step = forms.CharField(
        label=_("next step"), required=False, max_length=300, validators=[limits.one_line]
    )

    def __init__(self, *args: Any, household: Any, membership: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["occurred_at"] = timezone.localtime().strftime(
            "%Y-%m-%dT%H:%M"
        )
        super().__init__(*args, **kwargs)
        # The household's members only, by relation; the dead and departed greyed.
        self.fields["family_member"].for_household(household.pk)  # type: ignore[attr-defined]
        # Only the people of the household this member may open (restricted records).
        self.fields["person"].queryset = Person.objects.visible_to(  # type: ignore[attr-defined]
            membership
        ).filter(household=household)


class HealthForm(forms.Form):
    health = forms.ChoiceField(label=_("health and care"), choices=FamilyMember.Health.choices)
    since = forms.DateField(
        label=_("since"),
        widget=DateInput,
        help_text=_("The day it changed: an earlier day entered from old records raises no alert."),
        validators=[limits.past_day],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A new event: today unless the user says otherwise.
        self.fields["since"].initial = timezone.localdate()


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
        field_classes = {"reported_by": FamilyMemberChoiceField}
        widgets = {"occurred_on": DateInput, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, household_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reported_by"]
        field.for_household(household_id, keep=self.instance.reported_by)  # type: ignore[attr-defined]


CHOOSE: list[tuple[Any, Any]] = [("", _("Please choose"))]


class SafetyEventForm(forms.Form):
    """No kind or urgency is chosen for the worker: a default would be recorded unread."""

    kind = forms.ChoiceField(label=_("kind"), choices=CHOOSE + SafetyEvent.Kind.choices)
    severity = forms.TypedChoiceField(
        label=_("severity"), choices=CHOOSE + SafetyEvent.Severity.choices, coerce=int
    )
    description = limits.note_field(
        _("what happened"), help_text=_("Required when the danger is immediate.")
    )


class ResolveForm(forms.Form):
    resolution = limits.note_field(_("what was done"), required=True)


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
