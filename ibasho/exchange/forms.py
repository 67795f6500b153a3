from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ibasho.exchange.container import PASSPHRASE_MIN


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
