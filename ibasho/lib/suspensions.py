"""People whose records may not be used now (利用停止 at their request). A higher app registers
where suspensions are kept; outreach asks here before recording a contact and leaves these
people out of Today, without knowing the app that keeps them."""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

# Each source gives a queryset of `person_id` values: the people suspended now.
_sources: list[Callable[[], QuerySet[Any]]] = []


def register(source: Callable[[], QuerySet[Any]]) -> None:
    if source not in _sources:
        _sources.append(source)


def without_suspended(queryset: QuerySet[Any], path: str) -> QuerySet[Any]:
    """The queryset less the rows whose person (reached by `path`) is suspended."""
    for source in _sources:
        queryset = queryset.exclude(**{f"{path}__in": source()})
    return queryset


def is_suspended(person: Any) -> bool:
    return any(source().filter(person_id=person.pk).exists() for source in _sources)


def suspended_among(person_ids: Iterable[int]) -> set[int]:
    """Which of these people are suspended: one query per source, however many are asked
    about (an imported history asks about thousands)."""
    wanted = list(person_ids)
    found: set[int] = set()
    for start in range(0, len(wanted), 2000):
        chunk = wanted[start : start + 2000]
        for source in _sources:
            found.update(source().filter(person_id__in=chunk).values_list("person_id", flat=True))
    return found


def refuse_if_suspended(person: Any, *, suspended: set[int] | None = None) -> None:
    """Refuse to record anything new for a suspended person. `suspended` is the answer of
    `suspended_among` for a batch the person belongs to, when the caller asked once for all."""
    if (person.pk in suspended) if suspended is not None else is_suspended(person):
        raise ValidationError(
            _("Use of this person's record is suspended at their request: nothing new can be "
              "recorded until the suspension is lifted."),
            code="suspended",
        )  # fmt: skip
