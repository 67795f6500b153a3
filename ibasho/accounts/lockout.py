"""Failed sign-ins. An account is locked after IBASHO_LOCK_ACCOUNT_AFTER failures from
anywhere, for one minute, then two, four… up to an hour: guessing stays slow while a colleague
who mistyped, or an attacker who typed someone's name, only delays the owner a little. An
address (the client's, see `client_ip`) that failed IBASHO_LOCK_ADDRESS_AFTER times in the last
hour on any accounts is refused on its own, without locking the accounts it tried."""

import datetime as dt
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ibasho.accounts.http import client_ip

LONGEST = dt.timedelta(hours=1)
ADDRESS_WINDOW = dt.timedelta(hours=1)


def _failures(**match: Any) -> int:
    found = AccessAttempt.objects.filter(**match).aggregate(n=Sum("failures_since_start"))
    return int(found["n"] or 0)


def delay_after(failures: int) -> dt.timedelta:
    extra = max(0, failures - settings.IBASHO_LOCK_ACCOUNT_AFTER)
    return min(dt.timedelta(minutes=2 ** min(extra, 10)), LONGEST)


def cool_off(request: HttpRequest | None = None) -> dt.timedelta:
    username = getattr(request, "axes_credentials", None) or {}
    name = username.get("username") if isinstance(username, dict) else None
    if not name and request is not None:
        name = request.POST.get("username") if request.method == "POST" else None
    return delay_after(_failures(username=name) if name else 0)


def address_blocked(request: HttpRequest) -> bool:
    ip = client_ip(request)
    if not ip:
        return False
    since = timezone.now() - ADDRESS_WINDOW
    return _failures(ip_address=ip, attempt_time__gte=since) >= settings.IBASHO_LOCK_ADDRESS_AFTER


def lockout_page(request: HttpRequest, *, minutes: int, address: bool = False) -> HttpResponse:
    context = {"minutes": max(1, minutes), "address": address}
    return render(request, "registration/locked_out.html", context, status=429)


def locked_out(request: HttpRequest, response: Any = None, credentials: Any = None) -> HttpResponse:
    """Axes' answer to a locked account: how long, and who can unlock it."""
    return lockout_page(request, minutes=int(cool_off(request).total_seconds() // 60))
