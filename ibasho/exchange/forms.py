from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ibasho.exchange.container import PASSPHRASE_MIN
from ibasho.exchange.person import ForWhom
from ibasho.lib import limits
from ibasho.provisions.models import Basis


class ForWhomForm(forms.Form):
    for_whom = forms.ChoiceField(
        label=_("For whom"),
        choices=[
            (ForWhom.PERSON, _("The person themself (a request to disclose, 開示請求)")),
            (ForWhom.THIRD_PARTY, _("Another organisation or person (a provision, recorded)")),
        ],
        initial=ForWhom.PERSON,
        widget=forms.RadioSelect,
    )
    recipient = forms.CharField(
        label=_("Recipient"), required=False, max_length=200, validators=[limits.one_line]
    )
    basis = forms.ChoiceField(
        label=_("Legal basis"), required=False, choices=Basis.choices, initial=Basis.CONSENT
    )
    format = forms.ChoiceField(choices=[("pdf", "PDF"), ("json", "JSON")], initial="pdf")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("for_whom") == ForWhom.THIRD_PARTY and not data.get("recipient"):
            self.add_error("recipient", _("Name the recipient."))
        return data


class ExportForm(forms.Form):
    passphrase = forms.CharField(
        label=_("Passphrase"),
        min_length=PASSPHRASE_MIN,
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Whoever opens the archive needs it. It is not stored once the archive is made."
        ),
    )
    passphrase_again = forms.CharField(
        label=_("Passphrase again"), max_length=200, strip=False, widget=forms.PasswordInput
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("passphrase") != data.get("passphrase_again"):
            self.add_error("passphrase_again", _("The two passphrases differ."))
        data.pop("passphrase_again", None)
        return data
