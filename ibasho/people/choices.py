"""Pickers that cannot pick wrong. A family member is chosen from one household only, sorted by
relation; the dead and those who moved out are shown greyed with the reason and cannot be
chosen. Households and people with the same name are told apart by reading, age and
municipality, e.g. 青木家（アオキ・さいたま市・3人）."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django_scopes.forms import SafeModelChoiceField

from ibasho.people.models import FamilyMember, Household, Person

R = FamilyMember.Relationship
RELATION_ORDER = [
    R.MOTHER, R.FATHER, R.SPOUSE, R.SIBLING, R.GRANDPARENT, R.CHILD, R.OTHER_RELATIVE, R.OTHER,
]  # fmt: skip
# No longer someone a consultation or a course can be with.
GONE = frozenset({FamilyMember.Health.DIED, FamilyMember.Health.MOVED_OUT})


def _described(name: str, details: list[str]) -> str:
    shown = [d for d in details if d]
    if not shown:
        return name
    separator = pgettext("between the details of a label", ", ")
    return _("%(name)s (%(details)s)") % {"name": name, "details": separator.join(shown)}


def _age(age: int | None) -> str:
    return _("%(age)d y") % {"age": age} if age is not None else ""


def gone_reason(member: FamilyMember) -> str:
    """Why the member cannot be chosen, or "" if they can."""
    if member.health not in GONE:
        return ""
    label = member.get_health_display()
    if member.health_changed_on:
        return _("%(status)s on %(day)s") % {
            "status": label,
            "day": member.health_changed_on.strftime("%Y-%m-%d"),
        }
    return str(label)


def member_label(member: FamilyMember, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    details = [str(member.get_relationship_display()), _age(member.age_on(today))]
    label = _described(member.name, details)
    reason = gone_reason(member)
    return _("%(label)s — %(reason)s") % {"label": label, "reason": reason} if reason else label


def household_label(household: Household) -> str:
    """The household's name with its reading, municipality and how many live in it (from
    `with_size`, when the queryset was annotated)."""
    size = getattr(household, "size", None)
    details = [
        household.name_kana,
        household.municipality,
        ngettext("%(n)d person", "%(n)d people", size) % {"n": size} if size else "",
    ]
    return _described(household.name, details)


def person_label(person: Person, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    details = [person.full_name_kana, _age(person.age_on(today)), person.municipality]
    return _described(person.full_name, details)


def with_size(households: QuerySet[Household]) -> QuerySet[Household]:
    """Households annotated with how many people and family members they hold."""
    return households.annotate(
        size=Count("people", distinct=True) + Count("members", distinct=True)
    )


def by_relation(members: QuerySet[FamilyMember]) -> QuerySet[FamilyMember]:
    order = Case(
        *(When(relationship=r, then=Value(n)) for n, r in enumerate(RELATION_ORDER)),
        default=Value(len(RELATION_ORDER)),
        output_field=IntegerField(),
    )
    return members.annotate(relation_order=order).order_by("relation_order", "birth_year", "id")


def refuse_if_gone(member: FamilyMember | None, on: dt.date, field: str = "family_member") -> None:
    """For a service: a consultation or enrolment on `on` with a member who had died or moved
    out by then is refused (one dated before that day is history, and accepted)."""
    if member is None or member.health not in GONE:
        return
    since = member.health_changed_on
    if since is None or since <= on:
        raise ValidationError(
            {
                field: _("%(name)s cannot take part: %(reason)s.")
                % {"name": member.name, "reason": gone_reason(member)}
            }
        )


class MemberSelect(forms.Select):
    """A select whose options for members who cannot be chosen are disabled (greyed)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.disabled_values: set[str] = set()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):  # type: ignore[no-untyped-def]
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        key = str(getattr(value, "value", value))
        if key in self.disabled_values and not selected:
            option["attrs"]["disabled"] = True
        return option


class FamilyMemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Members of one household (`for_household`), sorted by relation; the dead and those who
    moved out are greyed with the reason (kept when a record already names them)."""

    widget = MemberSelect

    def __init__(self, queryset: Any = None, **kwargs: Any) -> None:
        # Never an import-time query: the choices are set per form (`for_household`).
        kwargs.setdefault("empty_label", gettext_lazy("Please choose"))
        super().__init__(FamilyMember.objects.none(), **kwargs)
        self.today = timezone.localdate()
        self.gone: set[str] = set()

    def for_household(self, household_id: int | None, *, keep: Any = None) -> None:
        members = (
            by_relation(FamilyMember.objects.filter(household_id=household_id))
            if household_id
            else FamilyMember.objects.none()
        )
        key = self.to_field_name or "pk"
        keep_key = str(getattr(keep, key, keep)) if keep is not None else None
        self.gone = {
            str(getattr(m, key))
            for m in members
            if m.health in GONE and str(getattr(m, key)) != keep_key
        }
        self.queryset = members
        self.widget.disabled_values = self.gone  # type: ignore[attr-defined]

    def label_from_instance(self, obj: FamilyMember) -> str:
        return member_label(obj, self.today)

    def clean(self, value: Any) -> Any:
        if value not in self.empty_values and str(value) in self.gone:
            raise ValidationError(_("This family member cannot be chosen."), code="gone")
        return super().clean(value)


class HouseholdChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj: Household) -> str:
        return household_label(obj)


class PersonChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return person_label(obj)
