from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ibasho.accounts.models import ApiToken, Organisation, User
from ibasho.lib import limits
from ibasho.lifecycle.models import (
    DEFAULT_AUDIT_YEARS,
    Incident,
    PersonRequest,
    RecordType,
    RetentionSettings,
)
from ibasho.lifecycle.retention import MAX_YEARS
from ibasho.people.models import Case, Person


class DateInput(forms.DateInput):
    input_type = "date"


def moment_field(label: Any, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **kwargs
    )


def years_field(label: Any, initial: int) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=1, max_value=MAX_YEARS, initial=initial)


class SettingsForm(forms.Form):
    def __init__(self, *args: Any, current: RetentionSettings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in RecordType.choices:
            self.fields[value] = years_field(label, current.years_for(value))
        self.fields["audit_years"] = years_field(
            _("audit trail kept for (years)"), current.audit_years or DEFAULT_AUDIT_YEARS
        )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "years": {value: data[value] for value in RecordType.values},
            "audit_years": data["audit_years"],
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200, validators=[limits.one_line])


class HoldForm(ReasonForm):
    case = forms.ModelChoiceField(
        label=_("case (leave empty to hold everything about the person)"),
        queryset=Case.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = Case.objects.filter(person=person)  # type: ignore[attr-defined]


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("request"), choices=PersonRequest.Kind.choices)
    received_on = forms.DateField(
        label=_("received on"), widget=DateInput, validators=[limits.record_day]
    )
    details = limits.note_field(_("how and by whom it was asked"))


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Incident.Kind.choices)
    summary = limits.note_field(_("what happened"), required=True)
    discovered_at = moment_field(_("discovered at"), validators=[limits.record_moment])
    discovered_by = forms.CharField(
        label=_("discovered by"), max_length=100, validators=[limits.one_line]
    )


class ScopeForm(forms.Form):
    token = forms.ModelChoiceField(
        label=_("API token"), queryset=ApiToken.objects.none(), required=False
    )
    user = forms.ModelChoiceField(label=_("user"), queryset=User.objects.none(), required=False)
    ip = forms.GenericIPAddressField(label=_("address"), required=False)
    start = moment_field(_("from"), validators=[limits.record_moment])
    end = moment_field(_("until"), validators=[limits.record_moment])

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["end"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        super().__init__(*args, **kwargs)
        self.fields["token"].queryset = ApiToken.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        )
        self.fields["user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__organisation=organisation
        ).distinct()


class ReportedForm(forms.Form):
    which = forms.ChoiceField(
        label=_("report"),
        choices=[
            ("preliminary", _("Preliminary report (速報)")),
            ("final", _("Final report (確報)")),
        ],
    )
    on = forms.DateField(label=_("sent on"), widget=DateInput, validators=[limits.record_day])


class CloseForm(forms.Form):
    note = limits.note_field(_("how it was resolved"), required=True)
