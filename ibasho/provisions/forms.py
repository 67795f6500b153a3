from django import forms
from django.utils.translation import gettext_lazy as _

from ibasho.provisions.models import Basis, Direction


class FilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    direction = forms.ChoiceField(
        label=_("direction"), required=False, choices=[("", _("All")), *Direction.choices]
    )
    basis = forms.ChoiceField(
        label=_("legal basis"), required=False, choices=[("", _("All")), *Basis.choices]
    )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end comes before the start."))
        return data
