from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "ibasho.programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from ibasho.lib.agenda import AgendaSource, register_agenda
        from ibasho.lib.panels import person_panels
        from ibasho.lib.timeline import register_timeline
        from ibasho.programmes import timeline
        from ibasho.programmes.panels import facilitated, facilitated_sessions, person_panel

        person_panels.register(
            "programmes", order=70, template="programmes/_person_panel.html", context=person_panel
        )
        register_agenda("programmes.sessions", AgendaSource(facilitated, facilitated_sessions))
        register_timeline("programmes", timeline.entries, timeline.KINDS)
