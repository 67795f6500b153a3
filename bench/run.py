"""`ibasho bench`: drive the production server (gunicorn) over HTTP against the configured
database and print latency percentiles, throughput, SQL queries per request and the serving
processes' peak memory. Speed targets live here, never in tests."""

import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from bench import load
from ibasho.accounts.models import ApiToken, Membership, Role
from ibasho.accounts.tenancy import organisation_scope
from ibasho.lib.fields import decrypt
from ibasho.people.models import Person

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Subjects:
    """What the benchmark asks for: one busy worker's view of their organisation."""

    membership: Membership
    cookie: str
    token: str
    person_codes: list[str]
    long_history_code: str | None
    long_history_contacts: int
    kana_queries: list[str]


@dataclass
class Scenario:
    name: str
    make_request: Callable[[int], load.Request]


def session_cookie(membership: Membership) -> str:
    user = membership.user
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; django_language=ja"


def busiest_worker() -> Membership:
    """The worker with the most cases in the first organisation: the heaviest Today page."""
    first = Membership.objects.order_by("organisation_id").values("organisation_id").first()
    if first is None:
        raise SystemExit("No data: load a scale first (ibasho seed --scale small).")
    membership = (
        Membership.objects.filter(role=Role.WORKER, organisation_id=first["organisation_id"])
        .annotate(n=Count("user__case_assignments"))
        .order_by("-n", "id")
        .select_related("organisation", "user")
        .first()
    )
    assert membership is not None
    return membership


def pick_subjects(rng: random.Random) -> Subjects:
    from ibasho.outreach.models import Contact

    membership = busiest_worker()
    with organisation_scope(membership.organisation_id):
        people = Person.objects.order_by("id")
        codes = [str(c) for c in people.values_list("code", flat=True)[:1000]]
        rng.shuffle(codes)
        readings = people.values_list("family_name_kana", flat=True)[:500]
        kana = sorted({r[:2] for r in readings if len(r) >= 2})
        top = Contact.objects.values("person__code").annotate(n=Count("id")).order_by("-n").first()
    _, raw = ApiToken.issue(membership, name="bench")
    return Subjects(
        membership=membership,
        cookie=session_cookie(membership),
        token=raw,
        person_codes=codes,
        long_history_code=str(top["person__code"]) if top else None,
        long_history_contacts=top["n"] if top else 0,
        kana_queries=kana or ["ヤマ"],
    )


def scenarios(subjects: Subjects, today: dt.date) -> list[Scenario]:
    page = {"Cookie": subjects.cookie}
    api = {"Authorization": f"Bearer {subjects.token}"}
    kana, codes = subjects.kana_queries, subjects.person_codes
    found = [
        Scenario("today_page", lambda i: load.Request("GET", "/outreach/", headers=page)),
        Scenario("search_by_kana", lambda i: load.Request(
            "GET", f"/people/?q={quote(kana[i % len(kana)])}&status=all", headers=page)),
        Scenario("queue_api", lambda i: load.Request(
            "GET", f"/api/v1/outreach/queue?date={today.isoformat()}", headers=api)),
        Scenario("create_contact_api", lambda i: load.Request(
            "POST", "/api/v1/contacts", headers={**api, "Content-Type": "application/json"},
            body=json.dumps({
                "person": codes[i % len(codes)], "channel": "letter", "reached": "nobody",
                "outcome": "letter_left", "duration_minutes": 5,
            }).encode())),
    ]  # fmt: skip
    if subjects.long_history_code:
        url = f"/people/{subjects.long_history_code}/"
        found.insert(
            1,
            Scenario("person_page_long_history", lambda i: load.Request("GET", url, headers=page)),
        )
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "IBASHO_QUERY_COUNT_HEADER": "1", "IBASHO_LOG_LEVEL": "WARNING"}
    command = [
        sys.executable, "-m", "gunicorn", "ibasho.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
        "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("The server did not start within 60 s.")


def server_pids(pid: int) -> list[int]:
    """The server's master and its worker processes."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid] + ([int(p) for p in children.read_text().split()] if children.exists() else [])


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the server's processes have used so far. Per request, it shows
    the server's own cost apart from what the load generator and other tenants of the machine
    take, so it moves far less from run to run than latency does."""
    ticks = 0
    for each in server_pids(pid):
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def peak_memory_mb(pid: int) -> dict[str, float]:
    """Peak resident memory (VmHWM) of the server's master and each worker process."""
    peaks = {}
    for each in server_pids(pid):
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks[str(each)] = int(line.split()[1]) / 1024
    return {
        "master_mb": round(peaks.get(str(pid), 0.0), 1),
        "largest_worker_mb": round(
            max((v for k, v in peaks.items() if k != str(pid)), default=0.0), 1
        ),
        "total_mb": round(sum(peaks.values()), 1),
    }


QUEUE_SQL = """
SELECT c.id, c.code, c.channel, c.next_due_on, c.unanswered, per.id, per.family_name,
       per.given_name, per.family_name_kana, per.given_name_kana, per.things_to_avoid
FROM outreach_cadence c
JOIN outreach_outreachplan p ON p.id = c.plan_id
JOIN people_case k ON k.id = p.case_id
JOIN people_caseassignment a ON a.case_id = k.id
JOIN people_person per ON per.id = k.person_id
WHERE c.organisation_id = %s AND c.next_due_on <= %s AND k.status = 'open'
  AND a.worker_id = %s
ORDER BY c.next_due_on, c.unanswered DESC, per.sort_key, c.id
LIMIT %s
"""


def today_sql_ratio(subjects: Subjects, today: dt.date, repeats: int = 30) -> dict[str, Any]:
    """The queryset the Today page evaluates against a hand-written SQL query returning the
    same rows, timed alternately in this process (medians)."""
    from ibasho.outreach.models import Cadence
    from ibasho.outreach.views.today import TODAY_ROWS

    membership = subjects.membership
    params: list[Any] = [membership.organisation_id, today, membership.user_id, TODAY_ROWS]
    app_times, sql_times, decrypt_times = [], [], []
    app_rows: list[Any] = []
    sql_rows: list[Any] = []
    for _ in range(repeats):
        started = time.perf_counter()
        with organisation_scope(membership.organisation_id):
            queue = Cadence.objects.visible_to(membership).queue(membership.user, today)
            app_rows = queue[:TODAY_ROWS].rows()
        app_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(QUEUE_SQL, params)
            sql_rows = cursor.fetchall()
        sql_times.append(time.perf_counter() - started)
        # The page must also decrypt each row's "things to avoid"; raw SQL cannot.
        started = time.perf_counter()
        for row in sql_rows:
            if row[10]:
                decrypt(row[10])
        decrypt_times.append(time.perf_counter() - started)
    app, sql = statistics.median(app_times), statistics.median(sql_times)
    decrypting = statistics.median(decrypt_times)
    return {
        "rows": len(app_rows),
        "same_rows": [r.id for r in app_rows] == [r[0] for r in sql_rows],
        "app_ms": round(app * 1000, 2),
        "sql_ms": round(sql * 1000, 2),
        "ratio": round(app / sql, 2) if sql else None,
        "sql_plus_decrypt_ms": round((sql + decrypting) * 1000, 2),
        "ratio_to_sql_plus_decrypt": round(app / (sql + decrypting), 2) if sql else None,
    }


def run(
    *,
    label: str,
    requests: int,
    concurrencies: tuple[int, ...],
    workers: int,
    threads: int,
    seed: int,
    today: dt.date,
) -> dict[str, Any]:
    rng = random.Random(seed)
    call_command("collectstatic", interactive=False, verbosity=0)
    subjects = pick_subjects(rng)
    port = free_port()
    server = start_server(port, workers, threads)
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        for scenario in scenarios(subjects, today):
            load.run(base, scenario.make_request, concurrency=2, requests_per_connection=5)
            for concurrency in concurrencies:
                per_connection = max(1, requests // concurrency)
                cpu_before = server_cpu_seconds(server.pid)
                result = load.run(
                    base,
                    scenario.make_request,
                    concurrency=concurrency,
                    requests_per_connection=per_connection,
                )
                cpu = server_cpu_seconds(server.pid) - cpu_before
                rows.append(
                    {
                        "scenario": scenario.name,
                        "concurrency": concurrency,
                        **result.summary(),
                        "server_cpu_ms": round(cpu * 1000 / max(1, len(result.latencies_ms)), 1),
                        "first_error": result.errors[:1],
                    }
                )
        memory = peak_memory_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = {
        "label": label,
        "database": connection.vendor,
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "counts": counts(),
        "server": {"workers": workers, "threads": threads},
        "long_history_contacts": subjects.long_history_contacts,
        "results": rows,
        "today_queue_vs_sql": today_sql_ratio(subjects, today),
        "peak_memory": memory,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{label}-{connection.vendor}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2)
    )
    return report


def counts() -> dict[str, int]:
    from ibasho.accounts.models import Organisation
    from ibasho.outreach.models import Contact

    return {
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "contacts": Contact.objects.count(),
    }


def table(report: dict[str, Any]) -> str:
    lines = [
        f"{report['label']} on {report['database']}: {report['counts']}",
        f"{'scenario':<26}{'conc':>5}{'reqs':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'req/s':>8}{'CPU ms':>8}{'SQL':>5}{'errors':>8}",
    ]
    for row in report["results"]:
        lines.append(
            f"{row['scenario']:<26}{row['concurrency']:>5}{row['requests']:>7}"
            f"{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}{row['rps']:>8}"
            f"{row['server_cpu_ms']:>8}{row['queries']:>5}{row['errors']:>8}"
        )
    ratio = report["today_queue_vs_sql"]
    lines.append(
        f"Today queue: app {ratio['app_ms']} ms vs hand-written SQL {ratio['sql_ms']} ms "
        f"= {ratio['ratio']}x; with the notes decrypted {ratio['sql_plus_decrypt_ms']} ms "
        f"= {ratio['ratio_to_sql_plus_decrypt']}x ({ratio['rows']} rows, same rows: "
        f"{ratio['same_rows']})"
    )
    memory = report["peak_memory"]
    lines.append(
        f"Peak memory: master {memory['master_mb']} MB, largest worker "
        f"{memory['largest_worker_mb']} MB, all server processes {memory['total_mb']} MB"
    )
    return "\n".join(lines)
