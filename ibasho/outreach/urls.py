from django.urls import path

from ibasho.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.today, name="today"),
    path("due/<uuid:code>/attempt/", views.log_attempt, name="log_attempt"),
    path("people/<uuid:code>/contacts/", views.contact_list, name="contact_list"),
    path("people/<uuid:code>/contacts/new/", views.contact_create, name="contact_create"),
    path("people/<uuid:code>/stage/", views.stage_change, name="stage_change"),
    path("contacts/<uuid:code>/", views.contact_detail, name="contact_detail"),
    path("contacts/<uuid:code>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<uuid:code>/delete/", views.contact_delete, name="contact_delete"),
    path("cases/<uuid:code>/plan/", views.plan_edit, name="plan_edit"),
    path("cases/<uuid:code>/quiet/", views.quiet_create, name="quiet_create"),
    path("cases/<uuid:code>/close/", views.closure_request, name="closure_request"),
    path("cases/<uuid:code>/reopen/", views.case_reopen, name="case_reopen"),
    path("quiet/<uuid:code>/end/", views.quiet_end, name="quiet_end"),
    path("closures/<uuid:code>/decide/", views.closure_decide, name="closure_decide"),
    path("handover/", views.handover, name="handover"),
    path("handovers/<uuid:code>/seen/", views.handover_seen, name="handover_seen"),
    path("settings/", views.settings_edit, name="settings"),
]
