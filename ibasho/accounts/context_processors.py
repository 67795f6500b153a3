from typing import Any

from django.http import HttpRequest

from ibasho.accounts.models import Membership


def membership(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "membership", None)
    others = []
    if current is not None:
        others = list(
            Membership.objects.active()
            .filter(user=current.user)
            .exclude(pk=current.pk)
            .select_related("organisation")
        )
    return {"membership": current, "other_memberships": others}
