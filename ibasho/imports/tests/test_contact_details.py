"""A name list's 住所, 郵便番号, 電話 and メール land in the person's contact details, through the
same service as the contact details page; a postcode Japan Post does not know is refused."""

import pytest
from django.db import transaction

from ibasho.imports import columns
from ibasho.imports.readers import read_table
from ibasho.imports.services import import_rows
from ibasho.people.models import Person

pytestmark = pytest.mark.django_db

CSV = (
    "氏名,ふりがな,住所,電話,メールアドレス\n"
    "木村 花子,きむら はなこ,〒100-0001 東京都千代田区千代田1-1 さくら荘201,"
    "090-1234-5678,hana@example.jp\n"
    "森 一郎,もり いちろう,埼玉県川口市本町2-3,,\n"
)


def run(org, by, text: str, only_valid: bool = False):  # type: ignore[no-untyped-def]
    found = read_table(text.encode(), "people.csv", columns.scorer("people"))
    chosen = columns.recognise("people", found.headers)
    with transaction.atomic():
        return import_rows(org, "people", found, chosen, by=by, only_valid=only_valid)


def test_address_phone_and_email_are_kept(org_a, worker_a):
    summary = run(org_a, worker_a.user, CSV)
    assert (summary.created, summary.rejected) == (2, 0)
    kimura = Person.objects.get(family_name="木村")
    assert (kimura.prefecture, kimura.municipality) == ("13", "千代田区")
    details = kimura.contact_details
    assert (details.postcode, details.street, details.email) == (
        "100-0001", "千代田1-1 さくら荘201", "hana@example.jp",
    )  # fmt: skip
    assert [p.number for p in kimura.phones.all()] == ["090-1234-5678"]
    assert Person.objects.get(family_name="森").contact_details.street == "本町2-3"
    # Found by the phone number afterwards.
    assert list(Person.objects.search("09012345678")) == [kimura]


def test_an_unknown_postcode_is_refused_with_its_column(org_a, worker_a):
    summary = run(org_a, worker_a.user, CSV.replace("100-0001", "999-9999"), only_valid=True)
    assert summary.rejected == 1
    assert not Person.objects.filter(family_name="木村").exists()
