from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ibasho.accounts.models import PREFECTURE_CHOICES
from ibasho.lib import limits
from ibasho.people.choices import FamilyMemberChoiceField, HouseholdChoiceField, with_size
from ibasho.people.models import (
    PREFERABLE_CHANNELS,
    Benefit,
    Consent,
    ContactDetails,
    FamilyMember,
    Gender,
    Household,
    Person,
    Restriction,
)
from ibasho.people.services import ADDRESS_FIELDS, CONTACT_FIELDS, MAX_BENEFITS, MAX_PHONES


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
        label=_("Search"), required=False, max_length=limits.SEARCH, validators=[limits.one_line],
        help_text=_("A name or reading, a family member's name, a household, or a phone number"),
    )  # fmt: skip
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


class ContactDetailsForm(forms.Form):
    """The contact details page: the address (filled from the postcode), phones, e-mail and
    LINE, the emergency and medical contacts, benefits and certificates. A fixed number of
    phone and benefit rows; empty rows are left out."""

    PHONE_ROWS = 3
    BENEFIT_ROWS = 3

    def __init__(self, *args, person, **kwargs):  # type: ignore[no-untyped-def]
        details = getattr(person, "contact_details", None)
        phones = list(person.phones.all())
        benefits = list(person.benefits.all())
        initial = {"prefecture": person.prefecture, "municipality": person.municipality}
        for name in CONTACT_FIELDS:
            initial[name] = getattr(details, name, "") if details else ""
        for index, phone in enumerate(phones, start=1):
            initial[f"phone_{index}_label"] = phone.label
            initial[f"phone_{index}_number"] = phone.number
        for index, benefit in enumerate(benefits, start=1):
            for name in ("kind", "grade", "valid_from", "valid_until"):
                initial[f"benefit_{index}_{name}"] = getattr(benefit, name)
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        model = ContactDetails
        self.fields["postcode"] = forms.CharField(
            label=_("postcode"), required=False, max_length=10, validators=[limits.one_line],
            help_text=_("The prefecture, municipality and town are filled from it."),
            widget=forms.TextInput(attrs={
                "inputmode": "numeric", "autocomplete": "postal-code", "data-postcode": "",
            }),
        )  # fmt: skip
        self.fields["prefecture"] = forms.ChoiceField(
            label=_("prefecture"), required=False,
            choices=[("", _("Choose one")), *PREFECTURE_CHOICES],
        )  # fmt: skip
        self.fields["municipality"] = forms.CharField(
            label=_("municipality"), required=False, max_length=100, validators=[limits.one_line]
        )
        for name in CONTACT_FIELDS:
            if name == "postcode":
                continue
            field: Any = model._meta.get_field(name).formfield()  # type: ignore[union-attr]
            field.required = False
            self.fields[name] = field
        self.fields["directions"].widget = forms.Textarea(attrs={"rows": 2})
        self.fields["email"].widget.input_type = "email"
        for name in ("emergency_phone", "medical_phone"):
            self.fields[name].widget.input_type = "tel"
        self.phone_rows = []
        for index in range(1, max(self.PHONE_ROWS, len(phones) + 1) + 1):
            if index > MAX_PHONES:
                break
            label, number = f"phone_{index}_label", f"phone_{index}_number"
            self.fields[label] = forms.CharField(
                label=_("label"), required=False, max_length=30, validators=[limits.one_line],
                help_text=_("e.g. 携帯, 自宅, 母の携帯"),
            )  # fmt: skip
            self.fields[number] = forms.CharField(
                label=_("phone number"), required=False, max_length=30,
                validators=[limits.one_line], widget=forms.TextInput(attrs={"type": "tel"}),
            )  # fmt: skip
            self.phone_rows.append((self[label], self[number]))
        self.benefit_rows = []
        for index in range(1, max(self.BENEFIT_ROWS, len(benefits) + 1) + 1):
            if index > MAX_BENEFITS:
                break
            prefix = f"benefit_{index}_"
            self.fields[prefix + "kind"] = forms.ChoiceField(
                label=_("kind"), required=False, choices=[("", "—"), *Benefit.Kind.choices]
            )
            self.fields[prefix + "grade"] = forms.CharField(
                label=_("grade or detail"), required=False, max_length=100,
                validators=[limits.one_line],
            )  # fmt: skip
            self.fields[prefix + "valid_from"] = forms.DateField(
                label=_("from"), required=False, widget=DateInput
            )
            self.fields[prefix + "valid_until"] = forms.DateField(
                label=_("until"), required=False, widget=DateInput
            )
            self.benefit_rows.append(
                [self[prefix + n] for n in ("kind", "grade", "valid_from", "valid_until")]
            )

    def address_fields(self) -> list[Any]:
        return [self[n] for n in ("postcode", "prefecture", "municipality", "street", "directions")]

    def reach_fields(self) -> list[Any]:
        return [self[n] for n in ("email", "line_name")]

    def emergency_fields(self) -> list[Any]:
        names = ("emergency_name", "emergency_relation", "emergency_phone")
        return [self[n] for n in names]

    def medical_fields(self) -> list[Any]:
        return [self[n] for n in ("medical_name", "medical_phone")]

    def values(self) -> dict[str, Any]:
        """The service's arguments from the cleaned data."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            name: data.get(name) or "" for name in (*CONTACT_FIELDS, *ADDRESS_FIELDS)
        }
        values["phones"] = [
            {
                "label": data.get(f"phone_{i}_label") or "",
                "number": data.get(f"phone_{i}_number") or "",
            }
            for i in range(1, len(self.phone_rows) + 1)
        ]
        values["benefits"] = [
            {
                "kind": data.get(f"benefit_{i}_kind") or "",
                "grade": data.get(f"benefit_{i}_grade") or "",
                "valid_from": data.get(f"benefit_{i}_valid_from"),
                "valid_until": data.get(f"benefit_{i}_valid_until"),
            }
            for i in range(1, len(self.benefit_rows) + 1)
        ]
        return values


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Household name"), required=False, max_length=limits.SEARCH,
        validators=[limits.one_line],
    )  # fmt: skip
    municipality = forms.ChoiceField(label=_("municipality"), required=False)

    def __init__(self, *args, municipalities, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [  # type: ignore[attr-defined]
            ("", _("Every municipality")),
            *[(m, m) for m in municipalities],
        ]
