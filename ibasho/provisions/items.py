"""The groups of items a provision names: what of a person's record went to another
organisation. Referrals, support meetings and exports name the same groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemGroup(models.TextChoices):
    PROFILE = "profile", _("Profile")
    CONTACTS = "contacts", _("Contact history and notes")
    INSTRUMENTS = "instruments", _("Instruments")
    FAMILY = "family", _("Family and household")
    SAFETY = "safety", _("Safety events")


ITEM_GROUPS: tuple[str, ...] = tuple(ItemGroup.values)


def labels(items: list[str]) -> list[str]:
    """The groups' labels in the reader's language, in the order of ITEM_GROUPS."""
    names = dict(ItemGroup.choices)
    return [str(names[i]) for i in ITEM_GROUPS if i in items]
