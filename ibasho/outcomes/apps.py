from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def person_panel(request: Any, person: Any) -> dict[str, Any]:
    from ibasho.outcomes.presenters import panel_context

    return panel_context(person, request.membership.organisation)


class OutcomesConfig(AppConfig):
    name = "ibasho.outcomes"
    verbose_name = _("Outcomes")

    def ready(self) -> None:
        from ibasho.lib.panels import person_panels
        from ibasho.lib.timeline import register_timeline
        from ibasho.outcomes import timeline

        person_panels.register(
            "outcomes", order=50, template="outcomes/_person_panel.html", context=person_panel
        )
        register_timeline("outcomes", timeline.entries, timeline.KINDS)
