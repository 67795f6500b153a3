from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ibasho.lib import limits
from ibasho.people.choices import FamilyMemberChoiceField, PersonChoiceField
from ibasho.people.models import Person
from ibasho.programmes.courses import TEMPLATES
from ibasho.programmes.models import Attendance, Programme, Session


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class ProgrammeForm(forms.ModelForm):
    online_link = forms.URLField(label=_("online link"), required=False, assume_scheme="https")

    class Meta:
        model = Programme
        fields = [
            "kind",
            "kind_label",
            "name_ja",
            "name_en",
            "description_ja",
            "description_en",
            "mode",
            "audience",
            "women_only",
            "place",
            "online_link",
            "schedule",
            "starts_at",
            "duration_minutes",
            "capacity",
            "min_age",
            "max_age",
            "course_template",
            "is_open",
        ]
        widgets = {
            "starts_at": TimeInput,
            "description_ja": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language()
        self.fields["course_template"].choices = [("", "---------")] + [  # type: ignore[attr-defined]
            (code, t.name(language)) for code, t in TEMPLATES.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("The maximum age is below the minimum age."))
        if data.get("course_template") and data.get("kind") != Programme.Kind.FAMILY_COURSE:
            self.add_error("course_template", _("Only family courses use a course template."))
        if data.get("mode") in (Programme.Mode.ONLINE, Programme.Mode.HYBRID) and not data.get(
            "online_link"
        ):
            self.add_error("online_link", _("Online programmes need a link."))
        return data


class SeasonForm(forms.Form):
    first = forms.DateField(
        label=_("first session"), widget=DateInput, validators=[limits.planned_day]
    )
    count = forms.IntegerField(label=_("number of sessions"), min_value=1, max_value=60, initial=12)
    every_days = forms.IntegerField(label=_("days apart"), min_value=1, max_value=366, initial=7)


class CourseStartForm(forms.Form):
    start = forms.DateField(
        label=_("first session"), widget=DateInput, validators=[limits.planned_day]
    )


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = [
            "date",
            "starts_at",
            "duration_minutes",
            "online",
            "topic",
            "homework",
            "cancelled",
        ]
        widgets = {
            "date": DateInput,
            "starts_at": TimeInput,
            "homework": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].validators.append(limits.planned_day)


class EnrolForm(forms.Form):
    person = PersonChoiceField(
        label=_("person"), queryset=Person.objects.none(), to_field_name="code"
    )
    family_member = FamilyMemberChoiceField(
        label=_("family member taking part"),
        required=False,
        to_field_name="code",
        empty_label=_("No one: the person takes part themself"),
        help_text=_("Only the chosen person's household is offered."),
    )

    def __init__(self, *args: Any, people: Any, person: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        household_id = person.household_id if person is not None else None
        self.fields["family_member"].for_household(household_id)  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    # Without a status only the note is saved.
    status = forms.ChoiceField(
        label=_("attendance"), choices=Attendance.Status.choices, required=False
    )
    minutes = forms.IntegerField(label=_("minutes"), min_value=1, max_value=1440, required=False)
    note = limits.note_field(_("note / homework"), rows=2)


class NeedsForm(forms.Form):
    online_only = forms.BooleanField(label=_("online only"), required=False)
    women_only = forms.BooleanField(label=_("women only"), required=False)
    evening = forms.BooleanField(label=_("evenings"), required=False)
    weekend = forms.BooleanField(label=_("weekends"), required=False)
    for_family = forms.BooleanField(label=_("for a family member"), required=False)
    include_full = forms.BooleanField(label=_("include full programmes"), required=False)
    kinds = forms.MultipleChoiceField(
        label=_("kinds"),
        choices=Programme.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
