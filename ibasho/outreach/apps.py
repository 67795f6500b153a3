from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "ibasho.outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from ibasho.lib.agenda import AgendaSource, register_agenda
        from ibasho.lib.panels import person_facts, person_panels, visit_facts
        from ibasho.lib.timeline import register_timeline
        from ibasho.outreach import timeline
        from ibasho.outreach.services import plan_for_new_case, plans_for_new_cases
        from ibasho.outreach.views import person, summary
        from ibasho.outreach.views.bookings import booked, booked_items
        from ibasho.people.signals import case_opened, cases_opened

        person_panels.register(
            "outreach",
            order=10,
            template="outreach/_person_panel.html",
            context=person.person_panel,
        )
        person_facts.register("outreach", order=10, template="", context=summary.person_facts)
        visit_facts.register("outreach", order=10, template="", context=summary.visit_facts)
        register_agenda("outreach.bookings", AgendaSource(booked, booked_items))
        case_opened.connect(plan_for_new_case, dispatch_uid="outreach.plan_for_new_case")
        cases_opened.connect(plans_for_new_cases, dispatch_uid="outreach.plans_for_new_cases")
        register_timeline(timeline.SOURCE, timeline.entries, timeline.KINDS, timeline.build)
