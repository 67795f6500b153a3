from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "ibasho.outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from ibasho.lib.panels import person_panels
        from ibasho.outreach.services import plan_for_new_case
        from ibasho.outreach.views import person

        person_panels.register(
            "outreach",
            order=10,
            template="outreach/_person_panel.html",
            context=person.person_panel,
        )
        post_save.connect(
            plan_for_new_case, sender="people.Case", dispatch_uid="outreach.plan_for_new_case"
        )
