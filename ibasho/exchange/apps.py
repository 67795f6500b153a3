from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "ibasho.exchange"
    label = "exchange"
    verbose_name = _("Export, import and backup")

    def ready(self) -> None:
        from ibasho.exchange.panels import person_panel
        from ibasho.lib.panels import person_panels

        person_panels.register(
            "exchange", order=90, template="exchange/_person_panel.html", context=person_panel
        )
