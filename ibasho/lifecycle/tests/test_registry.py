"""Every model that holds personal data has a shredding rule, or is kept on purpose with a
reason; every field a rule names exists; every encrypted field of a shredded model is emptied."""

from django.apps import apps

from ibasho.accounts.tenancy import TenantModel
from ibasho.lib.fields import EncryptedTextField
from ibasho.lifecycle.registry import KEPT, RULES

# Encrypted fields of shredded models kept on purpose, with the reason.
KEPT_FIELDS: dict[str, str] = {}


def tenant_models() -> set[str]:
    return {m._meta.label for m in apps.get_models() if issubclass(m, TenantModel)}


def test_every_personal_data_model_has_a_shredding_rule_or_a_reason_to_be_kept():
    missing = tenant_models() - set(RULES) - set(KEPT)
    assert missing == set(), f"add a shredding rule (lifecycle.registry.RULES) for {missing}"
    assert set(RULES) & set(KEPT) == set()
    assert (set(RULES) | set(KEPT)) <= tenant_models()  # no rule for a model that is gone


def test_every_rule_names_real_fields_and_a_path_to_a_person_or_household():
    for label, rule in RULES.items():
        model = apps.get_model(label)
        for name in rule.blank:
            model._meta.get_field(name)  # raises if the field was renamed
        assert rule.blank or rule.delete, label
        target = model
        for step in rule.path.split("__"):
            target = target if step == "pk" else target._meta.get_field(step).related_model
        assert target._meta.label == ("people.Household" if rule.household else "people.Person")


def test_every_encrypted_field_of_a_shredded_model_is_emptied():
    forgotten = []
    for label, rule in RULES.items():
        if rule.delete:
            continue
        for field in apps.get_model(label)._meta.concrete_fields:
            name = f"{label}.{field.name}"
            encrypted = isinstance(field, EncryptedTextField)
            if encrypted and field.name not in rule.blank and name not in KEPT_FIELDS:
                forgotten.append(name)
    assert forgotten == []


# Kept models with encrypted text that another rule removes in time.
PRUNED = {
    "notifications.Notification": "retention.prune_inbox",
    "provisions.ProvisionRecord": "retention.prune_provision_records",
    "meetings.SupportMeeting": "meetings.retention.prune_minutes",
}


def test_kept_models_hold_no_encrypted_text_except_lifecycles_own_evidence():
    for label in KEPT:
        if label.startswith("lifecycle.") or label in PRUNED:
            continue
        model = apps.get_model(label)
        encrypted = [
            f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        ]
        assert encrypted == [], f"{label} holds encrypted text: give it a shredding rule"


def test_inbox_items_go_after_their_time(org_a, admin_a):
    import datetime as dt

    from django.utils import timezone

    from ibasho.lifecycle import retention
    from ibasho.notifications.models import Notification
    from ibasho.notifications.services import notify
    from ibasho.people import restriction

    notify([admin_a], restriction.RESTRICTED_OPENED, subject="記録が開かれました", body="理由")
    notify([admin_a], restriction.RESTRICTED_OPENED, subject="記録が開かれました", body="理由")
    old = Notification.unscoped.first()
    Notification.unscoped.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=retention.INBOX_DAYS + 1)
    )
    assert retention.prune_inbox(org_a) == 1
    assert Notification.unscoped.count() == 1


def test_uploaded_files_go_a_month_after_their_import(org_a, coordinator_a):
    import datetime as dt

    from django.utils import timezone

    from ibasho.imports.models import ImportJob
    from ibasho.lifecycle import retention

    def job(days_ago):
        return ImportJob.objects.create(
            organisation=org_a, kind="people", filename="名簿.xlsx", content=b"secret",
            finished_at=timezone.now() - dt.timedelta(days=days_ago),
        )  # fmt: skip

    old, recent = job(retention.IMPORT_FILE_DAYS + 1), job(2)
    assert retention.prune_import_files(org_a) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (bytes(old.content), bytes(recent.content)) == (b"", b"secret")
