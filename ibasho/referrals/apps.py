from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "ibasho.referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from ibasho.lib.panels import person_panels, person_summary_panels
        from ibasho.referrals import notices, panels

        notices.register_kinds()
        # Before everything else about the person, on the summary and the full record alike:
        # where they came from, and how much patience it took before us.
        for registry in (person_summary_panels, person_panels):
            registry.register(
                "before_us", order=2, template="referrals/_before_us_panel.html",
                context=panels.before_us_panel,
            )  # fmt: skip
        person_panels.register(
            "referrals", order=85, template="referrals/_person_panel.html",
            context=panels.person_panel,
        )  # fmt: skip
