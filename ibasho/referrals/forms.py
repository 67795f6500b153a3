from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ibasho.accounts.models import CASE_ROLES, Organisation, User
from ibasho.lib import limits
from ibasho.meetings.models import SharedPerson, SupportMeeting
from ibasho.provisions.items import ItemGroup
from ibasho.referrals.models import DeclineReason, Referral, ReferralSettings


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"), choices=Referral.Kind.choices, initial=Referral.Kind.REFERRAL,
        widget=forms.RadioSelect,
    )  # fmt: skip
    recipient_organisation = forms.ModelChoiceField(
        label=_("receiving organisation on Ibasho"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    recipient_name = forms.CharField(
        label=_("or an organisation outside Ibasho (a printed letter)"),
        required=False,
        max_length=200,
        validators=[limits.one_line],
    )
    items = forms.MultipleChoiceField(
        label=_("what is shared"),
        choices=ItemGroup.choices,
        initial=[ItemGroup.PROFILE],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The profile is always shared: the receiver must know whom they receive."),
    )
    note = limits.note_field(_("message to the receiving organisation"))
    handover_note = limits.note_field(
        _("handover note (for a transfer)"),
        help_text=_("What the receiving worker should read first."),
    )

    meeting = forms.ChoiceField(
        label=_("or under a support meeting (支援会議)"),
        required=False,
        help_text=_("A meeting the person was discussed at, of which the receiver is a member."),
    )

    def __init__(self, *args: Any, organisation: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The meetings the person was discussed at (brought by this organisation).
        shared = SharedPerson.objects.filter(
            organisation_id=organisation.pk, person=person, shared_at__isnull=False
        ).values_list("meeting_id", flat=True)
        meetings = SupportMeeting.unscoped.filter(pk__in=list(shared), withdrawn_at__isnull=True)
        self.fields["meeting"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(m.code), str(m)) for m in meetings.order_by("-held_on")
        ]
        field = self.fields["recipient_organisation"]
        field.queryset = Organisation.objects.exclude(pk=organisation.pk).order_by(  # type: ignore[attr-defined]
            "name_kana", "name"
        )


class AcceptForm(forms.Form):
    assign = forms.ModelChoiceField(
        label=_("worker who takes the person on"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Required for a transfer: the case and its handover note go to them."),
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assign"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__organisation=organisation,
            memberships__is_active=True,
            memberships__role__in=CASE_ROLES,
        ).order_by("display_name_kana", "username")
        self.fields["assign"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.display_name or user.username
        )


class DeclineForm(forms.Form):
    reason = forms.ModelChoiceField(label=_("reason"), queryset=DeclineReason.objects.none())
    note = limits.note_field(_("note to the sender"))

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = DeclineReason.objects.filter(  # type: ignore[attr-defined]
            organisation_id=organisation.pk, active=True
        )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ReferralSettings
        fields = ["age_limit", "months_ahead"]
        help_texts = {
            "age_limit": _("People reaching this age are listed ahead, to prepare a referral."),
            "months_ahead": _("How many months before the birthday they are listed."),
        }


class DeclineReasonForm(forms.Form):
    label = forms.CharField(label=_("new reason"), max_length=100, validators=[limits.one_line])
