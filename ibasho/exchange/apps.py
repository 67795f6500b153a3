from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "ibasho.exchange"
    label = "exchange"
    verbose_name = _("Export, import and backup")
