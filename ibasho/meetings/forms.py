from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ibasho.accounts.models import CASE_ROLES, Membership, Organisation
from ibasho.lib import limits
from ibasho.meetings.models import Law
from ibasho.people.models import Person
from ibasho.provisions.items import ItemGroup
from ibasho.provisions.models import Basis


class MeetingForm(forms.Form):
    title = forms.CharField(
        label=_("title"), max_length=100, validators=[limits.one_line],
        help_text=_("e.g. 川口市支援会議 (no one's name here)"),
    )  # fmt: skip
    held_on = forms.DateField(label=_("held on"), widget=forms.DateInput(attrs={"type": "date"}))
    law = forms.ChoiceField(label=_("legal basis"), choices=Law.choices)


class OrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organisation.objects.none(), to_field_name="code"
    )

    def __init__(self, *args: Any, exclude: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        field.queryset = Organisation.objects.exclude(pk__in=exclude).order_by("name")


class MemberForm(forms.Form):
    membership = forms.ModelChoiceField(
        label=_("member of staff"), queryset=Membership.objects.none(), to_field_name="code"
    )

    def __init__(self, *args: Any, organisations: list[int], exclude: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["membership"]
        field.queryset = (
            Membership.objects.active()
            .filter(organisation_id__in=organisations, role__in=CASE_ROLES)
            .exclude(pk__in=exclude)
            .select_related("user", "organisation")
            .order_by("organisation__name", "user__display_name")
        )
        field.label_from_instance = lambda m: f"{m.user} ({m.organisation.name})"


class ParticipantForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100, validators=[limits.one_line])
    affiliation = forms.CharField(
        label=_("affiliation"), max_length=200, validators=[limits.one_line]
    )


class BringForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("person"), queryset=Person.objects.none(), to_field_name="code"
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["person"]
        field.queryset = Person.objects.visible_to(membership).only(
            "code", "family_name", "given_name", "sort_key"
        )


class ShareForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("items to share"), choices=ItemGroup.choices, widget=forms.CheckboxSelectMultiple
    )
    basis = forms.ChoiceField(
        label=_("legal basis"),
        required=False,
        choices=[
            ("", _("As the record stands (consent if given, otherwise the support meeting)")),
            (Basis.SUPPORT_MEETING, _("The support meeting (chosen again)")),
            (Basis.CONSENT, _("The person's consent")),
        ],
    )


class MinutesForm(forms.Form):
    minutes = limits.note_field(_("minutes (非公開)"), rows=8)
