"""Every page a worker, a coordinator and an admin can reach, on a 390 × 844 phone, in Japanese
and in English: nothing to press smaller than 44 × 44 CSS px, no table cell without a visible
label where the table's header row is hidden, and no interface string left untranslated.

The pages are found as a person finds them: from the home page, following every link of the
site (one page per route and role, the first one met), in the world of tests/test_every_route.py
(one record of every kind). Downloads (PDF, CSV, files) are not pages and are left out.

Rules, decided here (docs/decisions-interface.md):
- Targets: every visible a[href], button, input, select, textarea, summary and [role=button].
  A checkbox or radio counts with its label (the label is the target a thumb presses). A link
  inside running text is exempt (WCAG 2.5.8's inline exception): an inline link whose block
  holds at least 12 more characters of text than the link itself.
- Labels: where a table's header row is hidden (the phone layout), every non-empty cell shows
  its column's name before its value (data-label, rendered by ::before). Cells under an empty
  header (a column of buttons) are exempt.
- Japanese mode: no run of two or more English words (2+ letters each) in visible text,
  aria-label, placeholder or title, and no text that is exactly an English msgid of the
  catalogues. Allowed: codes and abbreviations (ALLOWED_WORDS), e-mail addresses, URLs,
  user names (with _ or digits) and the brand.
- English mode: no visible text that is exactly a Japanese msgstr of the catalogues (or a
  segment of one between separators), and no Japanese literal written into a template. People's
  names and notes are data and stay as written; 居場所 is the product's name.

The failures name the role, language, page, element and size, so that the report reads as a
to-do list; the whole report is also written to artifacts/phone-check.txt."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import polib
import pytest
from django.urls import Resolver404, resolve

from tests import test_every_route as routes

pytestmark = pytest.mark.django_db(transaction=True)

world = routes.world  # one record of every kind in organisation A

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ibasho"
REPORT = ROOT / "artifacts" / "phone-check.txt"
PHONE = {"width": 390, "height": 844}
MINIMUM = 44
MAX_PAGES = 200  # per role and language: a guard against a crawl that never ends
SKIP = re.compile(
    r"^/(admin|api|logout|static|media)/|\.(pdf|csv|xlsx|zip|json|txt)$|/(download|file)/"
    r"|/export/[^/]+/|/export\.|timeline\.pdf"
)
ALLOWED_WORDS = {
    "ibasho", "phq", "gad", "line", "k6", "k10", "hq", "craft", "csv", "pdf", "excel", "json",
    "totp", "qr", "url", "id", "api", "ok", "e-mail", "email", "sns", "dv", "wps", "doi", "who",
    "et", "al", "kato", "kanba", "teo", "world", "psychiatry", "usb", "ip", "xlsx", "cao",
    "openapi", "swagger", "ui", "google", "authenticator", "microsoft", "apple", "iphone",
    "android", "ios", "iij", "smartkey",
}  # fmt: skip
# Japanese given on purpose after an English term, as the official word: "Total contacts (延べ数)".
GLOSS = re.compile(r"(?<=[A-Za-z.)]) ?[(（][^()（）]*[\u3040-\u30ff\u3400-\u9fff][^()（）]*[)）]")
# Pages whose body is a stored document in the language it was made in, not the interface.
STORED_DOCUMENTS = {
    "reports/jobs/<uuid:code>/": "a finished report job shows the report as it was made",
    # The rows' problems are written when the file is checked, in the language of that moment.
    "imports/<uuid:code>/": "an import's row problems are kept as they were found",
    # A notification's subject and body are written when it is sent, in the sender's language.
    "notifications/": "the inbox shows each notification as it was sent",
    # What was shared at a 支援会議 is a snapshot, kept exactly as the member shared it.
    "meetings/shared/<uuid:code>/": "what was shared is kept as it was shared",
}
# Names given by people (organisations, meetings) are data, even where one is also the name
# of an organisation kind in the catalogue (ひきこもり地域支援センター): filled from the world.
DATA_NAMES: set[str] = set()
SEPARATORS = re.compile(r"\s*(?:·|:|：|、|,|\(|\)|（|）|—|/)\s*")
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]+(?:[ \t\u00a0]+[A-Za-z][A-Za-z'’-]+)+")
NOT_WORDS = re.compile(r"\S*[_\d@/]\S*|https?://\S+")

# The page-side measurement (its first line is a comment).
PROBE = (Path(__file__).parent / "phone_probe.js").read_text(encoding="utf-8").split("\n", 1)[1]


# -- what the catalogues and templates say -------------------------------------------------


def catalogues() -> tuple[set[str], set[str]]:
    """English msgids (single strings, no placeholders) and their Japanese msgstrs."""
    msgids, msgstrs = set(), set()
    for path in PACKAGE.rglob("locale/ja/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(path)):
            if entry.obsolete or "%" in entry.msgid or "{" in entry.msgid:
                continue
            msgids.add(entry.msgid.strip())
            if entry.msgstr and JAPANESE.search(entry.msgstr):
                msgstrs.add(entry.msgstr.strip())
    return msgids, msgstrs


def template_literals() -> set[str]:
    """Japanese written straight into a served template (not through the catalogues)."""
    found = set()
    tag = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}|<[^>]*>", re.S)
    for path in PACKAGE.rglob("templates/**/*.html"):
        if "pdf" in str(path.relative_to(PACKAGE)) or "email" in path.name:
            continue
        for piece in tag.split(path.read_text(encoding="utf-8")):
            for part in SEPARATORS.split(piece):
                part = part.strip()
                if JAPANESE.search(part) and part not in {"居場所", "居場所 Ibasho"}:
                    found.add(part)
    return found


MSGIDS, MSGSTRS = catalogues()
LITERALS = template_literals()


def untranslated(texts: list[str], language: str) -> list[str]:
    found = []
    for text in texts:
        if language == "ja":
            cleaned = NOT_WORDS.sub(" ", text)
            for run in ENGLISH_RUN.findall(cleaned):
                words = [w for w in run.split() if w.lower().strip("'’-") not in ALLOWED_WORDS]
                if len(words) >= 2:
                    found.append(f"English “{run[:60]}” in “{text[:60]}”")
                    break
            else:
                if text in MSGIDS and text.lower() not in ALLOWED_WORDS and len(text) > 1:
                    found.append(f"English “{text[:60]}”")
        else:
            text = GLOSS.sub("", text)
            if not JAPANESE.search(text):
                continue
            parts = {text, *(p.strip() for p in SEPARATORS.split(text))}
            # A short word (職員, 母) may be data as well as a msgstr: whole texts only.
            hits = sorted(
                p
                for p in parts
                if (p == text or len(p) >= 3)
                and (p in MSGSTRS or p in LITERALS)
                and p not in DATA_NAMES
            )
            if hits:
                found.append(f"Japanese “{hits[0][:40]}” in “{text[:60]}”")
    return found


# -- the crawl -------------------------------------------------------------------------------


def route_of(path: str) -> str | None:
    try:
        return resolve(path).route or "/"
    except Resolver404:
        return None


def crawl(page, base: str, start: str) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """Visit every route reachable by links from `start`, once each; probe each page."""
    seen_routes: set[str] = set()
    queue = [start]
    results: dict[str, dict] = {}
    while queue and len(results) < MAX_PAGES:
        url = queue.pop(0)
        path = urlsplit(url).path
        route = route_of(path)
        if route is None or route in seen_routes or SKIP.search(path):
            continue
        seen_routes.add(route)
        response = page.goto(url)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        page.wait_for_load_state("load")
        landed = urlsplit(page.url).path
        if route_of(landed) != route:  # a redirect (e.g. to a list): probe it under its own
            route = route_of(landed) or landed
            if route in results:
                continue
            seen_routes.add(route)
        probe = page.evaluate(PROBE, MINIMUM)
        probe["status"] = response.status
        probe["url"] = landed
        results[route] = probe
        for href in page.eval_on_selector_all(
            "a[href]:not([download])", "els => els.map(e => e.href)"
        ):
            parts = urlsplit(href)
            if parts.netloc and not href.startswith(base):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if route_of(parts.path) not in seen_routes:
                queue.append(target)
    return results


def findings_of(results: dict[str, dict], language: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for route, probe in sorted(results.items()):
        where = f"{probe['url']} ({route})"
        found[where] += [f"target under {MINIMUM}px: {s}" for s in probe["small"]]
        found[where] += [f"cell without a label: {c}" for c in probe["unlabelled"]]
        if route not in STORED_DOCUMENTS:
            found[where] += untranslated(probe["texts"], language)
    return {where: items for where, items in found.items() if items}


@pytest.fixture
def phone(chromium, live_server):  # type: ignore[no-untyped-def]
    contexts = []

    def open_(language: str):  # type: ignore[no-untyped-def]
        context = chromium.new_context(
            locale="ja-JP" if language == "ja" else "en-GB",
            viewport=PHONE,
            base_url=live_server.url,
            has_touch=True,
            is_mobile=True,
            device_scale_factor=2,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield open_
    for context in contexts:
        context.close()


def test_every_page_fits_a_phone_in_both_languages(world, phone, log_in, live_server):
    from ibasho.accounts.models import Organisation
    from ibasho.meetings.models import SupportMeeting

    DATA_NAMES.update(Organisation.objects.values_list("name", flat=True))
    DATA_NAMES.update(SupportMeeting.unscoped.values_list("title", flat=True))
    report: list[str] = []
    total = 0
    pages = 0
    roles = [("admin", "admin_a"), ("coordinator", "coordinator_a"), ("worker", "worker_a")]
    for language in ("ja", "en"):
        # Signed out: the sign-in page and the password reset.
        page = phone(language)
        results = crawl(page, live_server.url, "/login/")
        runs = [("signed out", results)]
        for role, username in roles:
            page = phone(language)
            log_in(page, username)
            runs.append((role, crawl(page, live_server.url, "/")))
        for who, results in runs:
            pages += len(results)
            for where, items in findings_of(results, language).items():
                total += len(items)
                report.append(f"[{who}, {language}] {where}: {len(items)}")
                report += [f"    {item}" for item in items]
    summary = f"{total} findings on {pages} pages (390×844, ja and en)"
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join([summary, *report]) + "\n", encoding="utf-8")
    print(summary)
    print("\n".join(report))
    assert pages > 60, f"the crawl reached only {pages} pages"
    assert total == 0, summary + "\n" + "\n".join(report)
