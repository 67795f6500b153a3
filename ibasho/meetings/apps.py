from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "ibasho.meetings"
    verbose_name = _("Support meetings")

    def ready(self) -> None:
        from ibasho.lib.panels import person_panels
        from ibasho.lifecycle import retention
        from ibasho.meetings import panels
        from ibasho.meetings.retention import prune_minutes
        from ibasho.meetings.services import MEETING  # noqa: F401  (registers the kind)

        person_panels.register(
            "meetings",
            order=80,
            template="meetings/_person_panel.html",
            context=panels.person_panel,
        )
        retention.register_pruner(prune_minutes)
