import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ibasho.accounts.models import Membership

BEFORE_CODES = [("accounts", "0002_membership_code")]


@pytest.mark.django_db(transaction=True)
def test_existing_memberships_each_get_their_own_code():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_CODES)
    old = executor.loader.project_state(BEFORE_CODES).apps
    organisation = old.get_model("accounts", "Organisation").objects.create(
        name="旧団体", prefecture="13"
    )
    User = old.get_model("accounts", "User")
    for n in range(3):
        user = User.objects.create(username=f"old{n}")
        old.get_model("accounts", "Membership").objects.create(
            organisation=organisation, user=user, role="worker"
        )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    codes = list(Membership.objects.values_list("code", flat=True))
    assert len(codes) == 3 and None not in codes and len(set(codes)) == 3
