from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamiliesConfig(AppConfig):
    name = "ibasho.families"
    verbose_name = _("Families")

    def ready(self) -> None:
        from ibasho.families import (
            panels,
            services,  # noqa: F401  (registers the notification kind)
            timeline,
        )
        from ibasho.lib.panels import (
            household_panels,
            person_facts,
            person_panels,
            person_summary_panels,
            today_panels,
        )
        from ibasho.lib.timeline import register_timeline

        # Safety first: an open safety event sits above everything else on the person's page.
        # An open event shows on the summary too: nothing about the person comes before it.
        for registry in (person_summary_panels, person_panels):
            registry.register(
                "safety",
                order=1,
                template="families/_safety_panel.html",
                context=panels.safety_panel,
            )
        # The summary says how many are open, in red, with a link to them on the full record.
        person_facts.register("safety", order=5, template="", context=panels.safety_facts)
        person_panels.register(
            "family_support",
            order=60,
            template="families/_family_panel.html",
            context=panels.family_panel,
        )
        household_panels.register(
            "family_support",
            order=10,
            template="families/_household_panel.html",
            context=panels.household_panel,
        )
        today_panels.register(
            "families",
            order=10,
            template="families/_today_panel.html",
            context=panels.today_panel,
            queries=panels.today_queries,
        )
        register_timeline("families", timeline.entries, timeline.KINDS)
