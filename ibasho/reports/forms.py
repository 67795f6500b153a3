import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ibasho.reports import definitions as d
from ibasho.reports import periods
from ibasho.reports.periods import Period


class PeriodForm(forms.Form):
    """Which period a report covers: a month, a fiscal year or a custom from–to range."""

    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            (periods.MONTH, _("Month")),
            (periods.FISCAL_YEAR, _("Fiscal year")),
            (periods.CUSTOM, _("From – to")),
        ],
        required=False,
    )
    month = forms.CharField(
        label=_("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"})
    )
    year = forms.IntegerField(label=_("Fiscal year"), required=False, min_value=1990,
                              max_value=2100)  # fmt: skip
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    rate_set = forms.ChoiceField(
        label=_("Prevalence rates"),
        choices=[(code, r.label) for code, r in d.RATE_SETS.items()],
        required=False,
    )

    def __init__(self, *args: Any, today: dt.date, start_month: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today, self.start_month = today, start_month

    def clean_month(self) -> tuple[int, int] | None:
        raw = self.cleaned_data.get("month") or ""
        if not raw:
            return None
        try:
            day = dt.date.fromisoformat(f"{raw}-01")
        except ValueError:
            raise forms.ValidationError(_("Give the month as YYYY-MM.")) from None
        return day.year, day.month

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("period") or periods.MONTH
        if kind == periods.CUSTOM:
            start, end = data.get("date_from"), data.get("date_to")
            if not start or not end:
                raise forms.ValidationError(_("Give both the first and the last day."))
            if end < start:
                raise forms.ValidationError(_("The last day is before the first."))
            data["report_period"] = Period(periods.CUSTOM, start, end)
        elif kind == periods.FISCAL_YEAR:
            year = data.get("year")
            data["report_period"] = (
                periods.fiscal_year_period(year, self.start_month)
                if year
                else periods.current_fiscal_year(self.today, self.start_month)
            )
        else:
            year, month = data.get("month") or (self.today.year, self.today.month)
            data["report_period"] = periods.month_period(year, month)
        data["rate_set"] = data.get("rate_set") or d.DEFAULT_RATE_SET
        return data


class PopulationForm(forms.Form):
    municipality = forms.CharField(label=_("Municipality"), max_length=100)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)
    age_from = forms.IntegerField(label=_("Age from"), min_value=0, max_value=120)
    age_to = forms.IntegerField(label=_("Age to"), min_value=0, max_value=120)
    population = forms.IntegerField(label=_("Population"), min_value=0)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)


class PopulationImportForm(forms.Form):
    file = forms.FileField(label=_("e-Stat CSV file"))
    year = forms.IntegerField(
        label=_("Year"),
        min_value=1900,
        max_value=2100,
        required=False,
        help_text=_("Needed when the file has no year column."),
    )
    source = forms.CharField(
        label=_("Source"), max_length=200, required=False, initial="e-Stat 住民基本台帳"
    )
