from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvisionsConfig(AppConfig):
    name = "ibasho.provisions"
    verbose_name = _("Provision records")

    def ready(self) -> None:
        from ibasho.lib.panels import person_panels
        from ibasho.provisions import panels

        person_panels.register(
            "provisions",
            order=95,
            template="provisions/_person_panel.html",
            context=panels.person_panel,
        )
