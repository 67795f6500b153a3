from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ibasho.imports import columns
from ibasho.imports.models import Kind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=Kind.choices)
    file = forms.FileField(label=_("File (.xlsx or .csv)"))


class MappingForm(forms.Form):
    """One choice per column heading of the file: the field it fills, or nothing."""

    def __init__(
        self, *args: Any, kind: str, headers: list[str], mapping: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— not imported —"))] + [(t.key, t.label) for t in columns.TARGETS[kind]]
        self.headers = [h for h in headers if h]
        for index, header in enumerate(self.headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=mapping.get(header, "")
            )

    def mapping(self) -> dict[str, str]:
        return {h: self.cleaned_data[f"column_{i}"] for i, h in enumerate(self.headers)}


class ConfirmForm(forms.Form):
    only_valid = forms.BooleanField(
        label=_(
            "Import only the valid rows (the rejected ones can be downloaded with their errors)"
        ),
        required=False,
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Are they the same person?"),
        choices=[
            ("same", _("The same person: merge the records, keeping all history")),
            ("not_same", _("Not the same person: do not ask again")),
        ],
        widget=forms.RadioSelect,
    )
