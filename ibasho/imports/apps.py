from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "ibasho.imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from ibasho.imports.views import duplicates_panel
        from ibasho.lib.panels import person_panels, person_summary_panels

        # Before the rest of the page: a coordinator should settle who this is first.
        for registry in (person_panels, person_summary_panels):
            registry.register(
                "duplicates",
                order=0,
                template="imports/_duplicates_panel.html",
                context=duplicates_panel,
            )
