"""`ibasho bench --pages`: the server's CPU per request for the pages a worker opens all day
(Today as a worker and as a coordinator, the person page, the person's timeline), measured in
this process through Django's test client: a few warm-up requests, then N requests timed with
`time.process_time`, so the figure is this process's own CPU (Python, templates, the database
driver) and not the database server's nor the machine's other tenants'.

`--profile DIR` also writes a pyinstrument profile of each page (text and HTML) to DIR, the
way docs/scaling.md shows where the time goes."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings

from bench.run import busiest_worker, session_cookie
from ibasho.accounts.models import Membership, Role
from ibasho.accounts.tenancy import organisation_scope, scopes_disabled

WARM_UP = 5


@dataclass
class Page:
    name: str
    url: str
    client: Client


@dataclass
class PageFigure:
    name: str
    url: str
    requests: int
    cpu_ms: float  # mean
    cpu_median_ms: float
    wall_ms: float  # median
    queries: int
    status: int


def signed_in_client(membership: Membership) -> Client:
    """A client carrying a session made the way a sign-in leaves it (no second factor owed)."""
    client = Client(HTTP_HOST="localhost")
    name, _, value = session_cookie(membership).split(";")[0].partition("=")
    client.cookies[name] = value
    client.cookies["django_language"] = "ja"
    return client


def coordinator_of(organisation_id: int) -> Membership | None:
    return (
        Membership.objects.active()
        .filter(role=Role.COORDINATOR, organisation_id=organisation_id)
        .select_related("organisation", "user")
        .order_by("id")
        .first()
    )


def pages() -> list[Page]:
    from ibasho.outreach.models import Contact

    worker = busiest_worker()
    coordinator = coordinator_of(worker.organisation_id)
    as_worker = signed_in_client(worker)
    found = [Page("today_worker", "/outreach/", as_worker)]
    if coordinator is not None:
        found.append(Page("today_coordinator", "/outreach/", signed_in_client(coordinator)))
    with organisation_scope(worker.organisation_id):
        # The longest history among the worker's own people: the heaviest page they open.
        top = (
            Contact.objects.filter(person__cases__workers=worker.user)
            .values("person__code")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
    if top is not None:
        code = top["person__code"]
        found.append(Page("person_page", f"/people/{code}/", as_worker))
        found.append(Page("timeline", f"/people/{code}/timeline/", as_worker))
    return found


def measure(page: Page, requests: int) -> PageFigure:
    status = 0
    for _ in range(WARM_UP):
        status = page.client.get(page.url).status_code
    with override_settings(DEBUG=True):
        reset_queries()
        page.client.get(page.url)
        queries = len(connection.queries)
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(requests):
        cpu_started, wall_started = time.process_time(), time.perf_counter()
        page.client.get(page.url)
        cpu.append(time.process_time() - cpu_started)
        wall.append(time.perf_counter() - wall_started)
    return PageFigure(
        name=page.name,
        url=page.url,
        requests=requests,
        cpu_ms=round(sum(cpu) * 1000 / requests, 1),
        cpu_median_ms=round(statistics.median(cpu) * 1000, 1),
        wall_ms=round(statistics.median(wall) * 1000, 1),
        queries=queries,
        status=status,
    )


def profile(page: Page, requests: int, directory: Path) -> Path:
    """A pyinstrument profile of `requests` requests of the page (after warm-up)."""
    from pyinstrument import Profiler  # optional: pip install pyinstrument

    for _ in range(WARM_UP):
        page.client.get(page.url)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(requests):
        page.client.get(page.url)
    profiler.stop()
    directory.mkdir(parents=True, exist_ok=True)
    text = directory / f"{page.name}.txt"
    text.write_text(profiler.output_text(unicode=True, show_all=False, short_mode=False))
    (directory / f"{page.name}.html").write_text(profiler.output_html())
    return text


def run(requests: int, profile_to: Path | None = None, only: list[str] | None = None) -> list[Any]:
    call_command("collectstatic", interactive=False, verbosity=0)
    # The test client's host; the production settings are otherwise left as they are.
    allowed = [*settings.ALLOWED_HOSTS, "localhost"]
    figures: list[Any] = []
    with override_settings(ALLOWED_HOSTS=allowed, SECURE_SSL_REDIRECT=False):
        for page in pages():
            if only and page.name not in only:
                continue
            figures.append(measure(page, requests))
            if profile_to is not None:
                profile(page, requests, profile_to)
    return figures


def repeat(name: str, requests: int) -> None:
    """The warm-up and `requests` requests of one page, nothing timed: for counting a page's
    instructions under valgrind (scripts/bench-instructions), where `run`'s collecting of
    static files would cost more than the pages."""
    allowed = [*settings.ALLOWED_HOSTS, "localhost"]
    with override_settings(ALLOWED_HOSTS=allowed, SECURE_SSL_REDIRECT=False):
        page = next(page for page in pages() if page.name == name)
        for _ in range(WARM_UP + requests):
            page.client.get(page.url)


def table(figures: list[PageFigure], describe: Callable[[], str] | None = None) -> str:
    lines = [describe()] if describe else []
    lines.append(
        f"{'page':<20}{'requests':>9}{'CPU ms':>8}{'median':>8}{'wall ms':>9}{'SQL':>5}"
        f"{'status':>7}  url"
    )
    for f in figures:
        lines.append(
            f"{f.name:<20}{f.requests:>9}{f.cpu_ms:>8}{f.cpu_median_ms:>8}{f.wall_ms:>9}"
            f"{f.queries:>5}"
            f"{f.status:>7}  {f.url}"
        )
    return "\n".join(lines)


def describe_database() -> str:
    from bench.run import counts

    with scopes_disabled():
        return f"pages on {connection.vendor}: {counts()}"
