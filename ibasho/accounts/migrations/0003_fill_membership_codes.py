# Each existing membership gets its own code (a default on AddField would give them all one).

import uuid

from django.db import migrations


def fill_codes(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    memberships = list(Membership.objects.filter(code__isnull=True).only("id"))
    for membership in memberships:
        membership.code = uuid.uuid4()
    Membership.objects.bulk_update(memberships, ["code"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_membership_code"),
    ]

    operations = [
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
    ]
