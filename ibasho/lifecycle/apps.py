from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "ibasho.lifecycle"
    verbose_name = _("Data lifecycle")

    def ready(self) -> None:
        from ibasho.lib import suspensions
        from ibasho.lib.panels import person_panels, person_summary_panels, today_panels
        from ibasho.lifecycle import panels
        from ibasho.lifecycle.retention import suspensions_in_force

        suspensions.register(suspensions_in_force)

        today_panels.register(
            "lifecycle", order=5, template="lifecycle/_today_panel.html", context=panels.today_panel
        )
        # Above safety: a suspended record says so before anything else on the page.
        for registry in (person_panels, person_summary_panels):
            registry.register(
                "lifecycle",
                order=0,
                template="lifecycle/_person_panel.html",
                context=panels.person_panel,
            )
