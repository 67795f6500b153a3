from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ibasho.accounts"
    verbose_name = _("Organisations and staff")

    def ready(self) -> None:
        from django.core import checks

        from ibasho.accounts import signals  # noqa: F401
        from ibasho.accounts.keycheck import keys_beside_data

        checks.register(keys_beside_data, checks.Tags.security, deploy=True)
