import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ibasho.accounts.models import Membership, User
from ibasho.lib import limits
from ibasho.outreach.models import (
    CloseReason,
    Contact,
    OutreachPlan,
    OutreachSettings,
    QuietPeriod,
    Stage,
)
from ibasho.people.choices import FamilyMemberChoiceField
from ibasho.people.models import LOGGED_CHANNELS, Person

# The channels a plan can schedule; group sessions and family consultations happen, but are
# not knocked on.
PLANNED_CHANNELS = [
    (value, label)
    for value, label in LOGGED_CHANNELS
    if value not in {Contact.Channel.GROUP_SESSION, Contact.Channel.FAMILY_CONSULTATION}
]


def staff_of(organisation: Any) -> Any:
    """The organisation's active staff who work with people, as users to choose from."""
    memberships = Membership.objects.staff_of(organisation.pk)
    return (
        User.objects.filter(memberships__in=memberships)
        .order_by("display_name_kana", "username")
        .distinct()
    )


class ContactForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Contact
        fields = [
            "occurred_at", "channel", "direction", "reached", "family_member", "outcome",
            "duration_minutes", "second_staff", "note", "next_step",
        ]  # fmt: skip
        # Choices are set per form below, never from an import-time query.
        field_classes = {"family_member": FamilyMemberChoiceField}
        widgets = {
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "note": forms.Textarea(attrs={"rows": 4, "maxlength": limits.NOTE}),
        }

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Who was reached: the person's household only, by relation; the dead and departed
        # greyed (kept when this contact already names them).
        family = cast(FamilyMemberChoiceField, self.fields["family_member"])
        family.for_household(person.household_id, keep=self.instance.family_member)
        staff = cast(forms.ModelChoiceField, self.fields["second_staff"])  # type: ignore[type-arg]
        staff.queryset = staff_of(person.organisation)
        self.fields["duration_minutes"].widget.attrs.update({"inputmode": "numeric", "max": 1440})

    def clean_occurred_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["occurred_at"]
        # The form shows minutes only; an untouched time must not count as an edit.
        stored = self.instance.occurred_at if self.instance.pk else None
        if stored is not None and value == stored.replace(second=0, microsecond=0):
            return stored
        return value


class PlanForm(forms.ModelForm):  # type: ignore[type-arg]
    """The backoff rule plus, for each channel, how often (in days) it is used."""

    class Meta:
        model = OutreachPlan
        fields = ["backoff_factor", "backoff_ceiling_days"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = {c.channel: c.every_days for c in self.instance.cadences.all()}
        for value, label in PLANNED_CHANNELS:
            self.fields[f"every_{value}"] = forms.IntegerField(
                label=label,
                required=False,
                min_value=1,
                max_value=366,
                initial=current.get(value),
                help_text=_("Every how many days; leave empty if not used."),
            )

    def cadences(self) -> dict[str, int]:
        return {
            value: self.cleaned_data[f"every_{value}"]
            for value, _label in PLANNED_CHANNELS
            if self.cleaned_data.get(f"every_{value}")
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.case.is_open and not self.cadences():
            raise forms.ValidationError(
                _(
                    "An open case needs at least one way of reaching out. Outreach can slow "
                    "down, but it does not stop."
                )
            )
        return data


class QuietPeriodForm(forms.Form):
    asked_by = forms.ChoiceField(
        label=_("Who asked for the pause"),
        choices=QuietPeriod.AskedBy.choices,
        widget=forms.RadioSelect,
    )
    until = forms.DateField(label=_("Quiet until"), widget=forms.DateInput(attrs={"type": "date"}))
    continuing = forms.MultipleChoiceField(
        label=_("Channels the person agreed may continue"),
        choices=PLANNED_CHANNELS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = limits.note_field(_("What the person asked for"))


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("stage"), choices=Stage.choices)
    changed_on = forms.DateField(
        label=_("since"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[limits.record_day],
    )
    note = limits.note_field(_("note"))


class ClosureForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("reason"), choices=CloseReason.choices, widget=forms.RadioSelect
    )
    reason_text = limits.note_field(_("details"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == CloseReason.OTHER and not data.get("reason_text", "").strip():
            self.add_error("reason_text", _("Explain the reason."))
        return data


class ReopenForm(forms.Form):
    note = limits.note_field(_("why it is reopened"), required=True)


class OutreachSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = OutreachSettings
        fields = [
            "no_attempt_days", "no_two_way_days", "backoff_factor", "backoff_ceiling_days",
            "default_channel", "default_every_days", "quiet_max_days",
        ]  # fmt: skip


class HandoverForm(forms.Form):
    """The departing worker's open cases: which to hand over (or all of them), to whom (one
    worker for all, or one per case), a note every new worker reads first, and a note per case."""

    every_case = forms.BooleanField(label=_("Hand over every case listed"), required=False)
    all_to: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("To (for every chosen case)"), queryset=None, required=False
    )
    shared_note = limits.note_field(
        _("Note for every chosen case"),
        attrs={"placeholder": _("Why the cases move, what holds for all of them")},
    )

    def __init__(self, *args: Any, cases: list[Any], staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cases = cases
        self.fields["all_to"].queryset = staff  # type: ignore[attr-defined]
        for case in cases:
            key = case.code.hex
            self.fields[f"move_{key}"] = forms.BooleanField(label=str(case.person), required=False)
            self.fields[f"to_{key}"] = forms.ModelChoiceField(
                label=_("to (if not the worker above)"), queryset=staff, required=False
            )
            self.fields[f"note_{key}"] = limits.note_field(
                _("handover note for this case"),
                attrs={"placeholder": _("What worked, what to avoid, trust so far")},
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "case": case,
                "move": self[f"move_{case.code.hex}"],
                "to": self[f"to_{case.code.hex}"],
                "note": self[f"note_{case.code.hex}"],
            }
            for case in self.cases
        ]

    def _chosen(self, data: dict[str, Any]) -> list[Any]:
        every = data.get("every_case")
        return [case for case in self.cases if every or data.get(f"move_{case.code.hex}")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = self._chosen(data)
        shared = (data.get("shared_note") or "").strip()
        for case in chosen:
            key = case.code.hex
            if not (data.get(f"to_{key}") or data.get("all_to")):
                self.add_error(f"to_{key}", _("Choose the new worker."))
            if not (shared or (data.get(f"note_{key}") or "").strip()):
                self.add_error(f"note_{key}", _("Write what the new worker should know."))
        if not chosen:
            raise forms.ValidationError(_("Choose at least one case to hand over."))
        return data

    def selected(self) -> list[tuple[Any, Any, str]]:
        """(case, new worker, note): a case's own worker and note over the shared ones, the
        shared note first when both are written."""
        data = self.cleaned_data
        shared = data["shared_note"].strip()
        chosen = []
        for case in self._chosen(data):
            key = case.code.hex
            own = data[f"note_{key}"].strip()
            note = "\n\n".join(part for part in (shared, own) if part)
            chosen.append((case, data[f"to_{key}"] or data["all_to"], note))
        return chosen


class BookingForm(forms.Form):
    """A visit or a call planned for a date and time."""

    day = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("time"), widget=forms.TimeInput(attrs={"type": "time"}))
    channel = forms.ChoiceField(label=_("channel"), choices=PLANNED_CHANNELS)
    worker: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("who goes"), queryset=None)
    note = limits.note_field(_("what for"))

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = staff  # type: ignore[attr-defined]
