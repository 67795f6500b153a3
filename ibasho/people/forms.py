from django import forms
from django.utils.translation import gettext_lazy as _

from ibasho.lib import limits
from ibasho.people.choices import FamilyMemberChoiceField, HouseholdChoiceField, with_size
from ibasho.people.models import (
    PREFERABLE_CHANNELS,
    Consent,
    FamilyMember,
    Gender,
    Household,
    Person,
    Restriction,
)


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
        field_classes = {"household": HouseholdChoiceField}
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
        # Households with the same name told apart: reading, municipality, size.
        self.fields["household"].queryset = with_size(  # type: ignore[attr-defined]
            Household.objects.filter(organisation=organisation)
        )


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ["name", "name_kana", "prefecture", "municipality", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


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


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["purpose", "given_by_person", "proxy", "given_on", "note"]
        field_classes = {"proxy": FamilyMemberChoiceField}
        widgets = {"given_on": DateInput, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, person, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["proxy"].for_household(person.household_id, keep=self.instance.proxy)  # type: ignore[attr-defined]


class PersonFilterForm(forms.Form):
    STATUS_CHOICES = [("open", _("Open cases")), ("closed", _("Closed cases")), ("all", _("All"))]

    q = forms.CharField(
        label=_("Search"), required=False, max_length=limits.SEARCH, validators=[limits.one_line]
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    mine = forms.BooleanField(label=_("Only my cases"), required=False)
    gender = forms.ChoiceField(
        label=_("gender"),
        required=False,
        choices=[("", _("Any gender")), *Gender.choices],
    )
    age_from = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=120)
    age_to = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=120)


class RestrictionForm(forms.Form):
    reason = forms.ChoiceField(label=_("reason"), choices=Restriction.Reason.choices)
    note = forms.CharField(
        label=_("note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[limits.no_control_characters],
    )


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to open this record?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[limits.no_control_characters],
    )
