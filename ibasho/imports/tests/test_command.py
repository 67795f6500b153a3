import csv
import json

import pytest
from django.core.management import CommandError, call_command

from ibasho.imports.tests.conftest import DATA
from ibasho.people.models import Person

pytestmark = pytest.mark.django_db

MAPPING = {"利用者コード": "external_id", "生まれた日": "birth_date"}


def test_import_command_with_a_mapping(org_a, coordinator_a, tmp_path, capsys):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING, ensure_ascii=False), encoding="utf-8")
    args = dict(kind="people", organisation=str(org_a.code), user="coordinator_a",
                mapping=str(mapping), no_progress=True)  # fmt: skip
    call_command("import", str(DATA / "wizard-fixed.xlsx"), **args)
    assert "3 created" in capsys.readouterr().out
    assert Person.objects.get(family_name="森").birth_date.year == 1996
    call_command("import", str(DATA / "wizard-fixed.xlsx"), **args)
    assert "3 unchanged" in capsys.readouterr().out


def test_import_command_refuses_and_writes_the_rejected_rows(org_a, coordinator_a, tmp_path):
    args = dict(kind="people", organisation=str(org_a.code), user="coordinator_a",
                mapping=json.dumps(MAPPING), no_progress=True)  # fmt: skip
    with pytest.raises(CommandError, match="2 of 3 rows"):
        call_command("import", str(DATA / "wizard.xlsx"), **args)
    assert Person.objects.count() == 0
    rejected = tmp_path / "rejected.csv"
    call_command("import", str(DATA / "wizard.xlsx"), only_valid=True, rejected=rejected,
                 **args)  # fmt: skip
    rows = list(csv.reader(rejected.open(encoding="utf-8-sig")))
    assert [r[0] for r in rows[1:]] == ["W002", "W003"] and "ふりがな" in rows[1][-1]
    assert Person.objects.count() == 1


def test_import_command_refuses_strangers_and_bad_mappings(org_a, worker_b, coordinator_a):
    path = str(DATA / "wizard.xlsx")
    with pytest.raises(CommandError):
        call_command("import", path, kind="people", organisation=str(org_a.code), user="worker_b")
    with pytest.raises(CommandError):
        call_command("import", path, kind="people", organisation="nope", user="coordinator_a")
    with pytest.raises(CommandError, match="JSON"):
        call_command("import", path, kind="people", organisation=str(org_a.code),
                     user="coordinator_a", mapping="[1, 2")  # fmt: skip
