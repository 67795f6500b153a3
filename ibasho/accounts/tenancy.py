"""Tenancy as a guard, not a convention.

Every record of personal data belongs to one organisation. Its model's default manager
(`objects`) only answers inside a scope naming that organisation: a web request gets its scope
from the signed-in membership (`ActiveMembershipMiddleware`), an API request from its token
(`ibasho.accounts.api_auth`). Outside a scope a query on `objects` raises `ScopeError` instead
of reading every organisation's rows. Ops code that is truly cross-organisation (bulk loading,
maintenance) says so with `scopes_disabled()` or uses the explicit `unscoped` manager.

Inside the scope, `visible_to(membership)` stays the role guard: analysts get nothing. It is
also where restricted records are held back: a model about one person names the way to that
person (`person_path`), and the rule for who may open a restricted person is registered by the
people app (`restriction_rule`), so that every list, page and API answer built on `visible_to`
follows it without knowing it."""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django_scopes import ScopedManager, scope, scopes_disabled
from django_scopes.manager import DisabledQuerySet
from django_scopes.state import state

from ibasho.lib import limits

__all__ = [
    "TenantManager",
    "TenantModel",
    "TenantQuerySet",
    "organisation_scope",
    "scopes_disabled",
]

_M = TypeVar("_M", bound=models.Model)


# Given a membership and the path from a model to its person ("" for the person itself), the
# condition that leaves out the restricted people this member may not open; None: no rule yet.
restriction_rule: list[Callable[[Any, str], models.Q]] = []


class TenantQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """The access guard for personal data: an organisation's records, for the roles that work
    with people, less the restricted people's records this member may not open. Analysts and
    strangers get nothing."""

    def visible_to(self, membership):  # type: ignore[no-untyped-def]
        if membership is None or not membership.reads_personal_data:
            return self.none()
        found = self.filter(organisation_id=membership.organisation_id)
        path = getattr(self.model, "person_path", None)
        if path is not None and restriction_rule:
            found = found.filter(restriction_rule[0](membership, path))
        return found


class RefusedQuerySet(DisabledQuerySet):
    """What the default manager gives outside a scope. django-scopes refuses evaluation and
    filtering; this also refuses the calls it lets through that would still read rows."""

    exists = DisabledQuerySet.error
    contains = DisabledQuerySet.error
    exclude = DisabledQuerySet.error
    in_bulk = DisabledQuerySet.error
    explain = DisabledQuerySet.error
    bulk_update = DisabledQuerySet.error
    select_related = DisabledQuerySet.error
    prefetch_related = DisabledQuerySet.error
    distinct = DisabledQuerySet.error
    defer = DisabledQuerySet.error
    alias = DisabledQuerySet.error


if TYPE_CHECKING:
    _ScopedManager = models.Manager
else:
    # django-scopes builds its manager class in a function; this is that class.
    _ScopedManager = type(ScopedManager(organisation="organisation"))


class TenantManager(_ScopedManager[_M]):
    """Filters every query by the organisation of the active scope; refuses without one.
    Creating a record (`create`) and an empty queryset (`none`, for form fields declared at
    import time) need no scope. A model with its own queryset declares
    `objects = TenantManager.from_queryset(ItsQuerySet)()`."""

    _refused_classes: ClassVar[dict[type, type]] = {}

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()
        if not isinstance(queryset, DisabledQuerySet):
            return queryset
        # Keep the model's own queryset methods (visible_to, search, …) so that calling one
        # out of scope says "scope" rather than "no such attribute".
        base: type = self._queryset_class  # type: ignore[attr-defined]
        refused = self._refused_classes.get(base)
        if refused is None:
            refused = type(f"Refused{base.__name__}", (RefusedQuerySet, base), {})
            self._refused_classes[base] = refused
        return refused(self.model, using=self._db, missing_scopes=queryset.missing_scopes)


class TenantModel(models.Model):
    """A record owned by one organisation. The organisation key is in every unique constraint
    (and so in every lookup by code) so that tables can be distributed by organisation.

    Subclasses with their own queryset declare both managers again with it."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    code = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager.from_queryset(TenantQuerySet)()
    # Every organisation's rows: for ops, bulk loading and migrations only.
    unscoped = TenantQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="%(app_label)s_%(class)s_org_code"
            )
        ]

    def clean_fields(self, exclude: Any = None) -> None:
        """Django's checks, then the text limits (control characters, lengths) on the rest."""
        errors: dict[str, Any] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        skip = set(exclude or ()) | set(errors)
        names = [f.name for f in self._meta.concrete_fields if f.name not in skip]
        errors.update(limits.text_problems(self, names))
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """The last guard, whatever the door: text the database would refuse or a page could
        not show is never written (PostgreSQL refuses NUL; SQLite would store it)."""
        problems = limits.text_problems(self, kwargs.get("update_fields"))
        if problems:
            raise ValidationError(problems)
        super().save(*args, **kwargs)


@contextmanager
def organisation_scope(organisation_id: int | None) -> Iterator[None]:
    """Queries on tenant models see that organisation's rows only; with none, they are refused
    (whatever scope was active around this one)."""
    if organisation_id is not None:
        with scope(organisation=organisation_id):
            yield
        return
    token = state.set({"_enabled": True})
    try:
        yield
    finally:
        state.reset(token)
