import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from ibasho.lib.japanese import normalise_kana
from ibasho.people.models import (
    PREFERABLE_CHANNELS,
    Consent,
    FamilyMember,
    Gender,
    Household,
    Person,
)

# Katakana (after normalising), the long-vowel mark and the middle dot used in foreign names.
KANA_ONLY = re.compile(r"^[\u30a0-\u30ff]*$")


def clean_kana(value: str) -> str:
    normalised = normalise_kana(value)
    if not KANA_ONLY.match(normalised):
        raise forms.ValidationError(_("Write the reading in hiragana or katakana."))
    return normalised


def clean_birth_year(value: int | None) -> int | None:
    this_year = timezone.localdate().year
    if value is not None and not (this_year - 120 <= value <= this_year):
        raise forms.ValidationError(
            _("Enter a year between %(low)s and %(high)s.")
            % {"low": this_year - 120, "high": this_year}
        )
    return value


def not_in_future(value: dt.date | None) -> dt.date | None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future."))
    return value


class DateInput(forms.DateInput):
    input_type = "date"


class PersonForm(forms.ModelForm):
    preferred_channels = forms.MultipleChoiceField(
        label=_("preferred contact channels"),
        choices=PREFERABLE_CHANNELS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Person
        fields = [
            "family_name", "given_name", "family_name_kana", "given_name_kana",
            "preferred_name", "birth_date", "birth_year", "gender", "prefecture",
            "municipality", "living_situation", "household", "withdrawal_since",
            "earlier_episodes", "own_words", "goals", "things_to_avoid",
            "preferred_channels", "referral_source",
        ]  # fmt: skip
        # Choices are set per form below, never from an import-time query.
        field_classes = {"household": SafeModelChoiceField}
        widgets = {
            "birth_date": DateInput,
            "withdrawal_since": DateInput,
            "earlier_episodes": forms.Textarea(attrs={"rows": 2}),
            "own_words": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 2}),
            "things_to_avoid": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organisation, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        )

    def clean_family_name_kana(self) -> str:
        return clean_kana(self.cleaned_data["family_name_kana"])

    def clean_given_name_kana(self) -> str:
        return clean_kana(self.cleaned_data["given_name_kana"])

    def clean_birth_year(self) -> int | None:
        return clean_birth_year(self.cleaned_data["birth_year"])

    def clean_birth_date(self) -> dt.date | None:
        return not_in_future(self.cleaned_data["birth_date"])

    def clean_withdrawal_since(self) -> dt.date | None:
        return not_in_future(self.cleaned_data["withdrawal_since"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born, year = data.get("birth_date"), data.get("birth_year")
        if born and year and born.year != year:
            self.add_error("birth_year", _("The birth year does not match the birth date."))
        return data


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ["name", "name_kana", "prefecture", "municipality", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean_name_kana(self) -> str:
        return clean_kana(self.cleaned_data["name_kana"])


class FamilyMemberForm(forms.ModelForm):
    class Meta:
        model = FamilyMember
        fields = [
            "name", "name_kana", "relationship", "birth_year", "health", "health_changed_on",
            "care_notes", "income_source", "contactable", "phone",
        ]  # fmt: skip
        widgets = {
            "health_changed_on": DateInput,
            "care_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_name_kana(self) -> str:
        return clean_kana(self.cleaned_data["name_kana"])

    def clean_birth_year(self) -> int | None:
        return clean_birth_year(self.cleaned_data["birth_year"])

    def clean_health_changed_on(self) -> dt.date | None:
        return not_in_future(self.cleaned_data["health_changed_on"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        # A new health status without its own date happened today: the date decides how soon
        # the household reaches the top of the risk board.
        if "health" in self.changed_data and "health_changed_on" not in self.changed_data:
            self.cleaned_data["health_changed_on"] = timezone.localdate()
        return self.cleaned_data


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["purpose", "given_by_person", "proxy", "given_on", "note"]
        field_classes = {"proxy": SafeModelChoiceField}
        widgets = {"given_on": DateInput, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, person, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        members = FamilyMember.objects.none()
        if person.household_id:
            members = FamilyMember.objects.filter(
                household_id=person.household_id, organisation_id=person.organisation_id
            )
        self.fields["proxy"].queryset = members  # type: ignore[attr-defined]

    def clean_given_on(self) -> dt.date | None:
        return not_in_future(self.cleaned_data["given_on"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("given_by_person") and data.get("proxy"):
            self.add_error(
                "proxy", _("Choose a proxy only when the person did not give consent themself.")
            )
        if not data.get("given_by_person") and not data.get("proxy"):
            self.add_error("proxy", _("Say which family member gave consent on their behalf."))
        return data


class PersonFilterForm(forms.Form):
    STATUS_CHOICES = [("open", _("Open cases")), ("closed", _("Closed cases")), ("all", _("All"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    mine = forms.BooleanField(label=_("Only my cases"), required=False)
    gender = forms.ChoiceField(
        label=_("gender"),
        required=False,
        choices=[("", _("Any gender")), *Gender.choices],
    )
    age_from = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=120)
    age_to = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=120)
