from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "ibasho.people"
    verbose_name = _("People and households")

    def ready(self) -> None:
        from ibasho.accounts.tenancy import restriction_rule
        from ibasho.people import restriction

        restriction_rule[:] = [restriction.rule]
