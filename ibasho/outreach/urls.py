from django.urls import path

from ibasho.outreach.views import bookings, cases, configuration, contacts, today

app_name = "outreach"
urlpatterns = [
    path("", today.today, name="today"),
    path("due/<uuid:code>/attempt/", today.log_attempt, name="log_attempt"),
    path("due/<uuid:code>/undo/", today.undo_attempt, name="undo_attempt"),
    path("people/<uuid:code>/contacts/", contacts.contact_list, name="contact_list"),
    path("people/<uuid:code>/contacts/new/", contacts.contact_create, name="contact_create"),
    path("people/<uuid:code>/stage/", cases.stage_change, name="stage_change"),
    path("people/<uuid:code>/book/", bookings.booking_create, name="booking_create"),
    path("bookings/<uuid:code>/cancel/", bookings.booking_cancel, name="booking_cancel"),
    path("week/", bookings.week, name="week"),
    path("contacts/<uuid:code>/", contacts.contact_detail, name="contact_detail"),
    path("contacts/<uuid:code>/edit/", contacts.contact_edit, name="contact_edit"),
    path("contacts/<uuid:code>/delete/", contacts.contact_delete, name="contact_delete"),
    path("cases/<uuid:code>/plan/", cases.plan_edit, name="plan_edit"),
    path("cases/<uuid:code>/quiet/", cases.quiet_create, name="quiet_create"),
    path("cases/<uuid:code>/close/", cases.closure_request, name="closure_request"),
    path("cases/<uuid:code>/reopen/", cases.case_reopen, name="case_reopen"),
    path("quiet/", cases.quiet_list, name="quiet_list"),
    path("quiet/<uuid:code>/end/", cases.quiet_end, name="quiet_end"),
    path("quiet/<uuid:code>/decide/", cases.quiet_decide, name="quiet_decide"),
    path("closures/<uuid:code>/", cases.closure_detail, name="closure_detail"),
    path("handover/", cases.handover, name="handover"),
    path("handovers/<uuid:code>/seen/", cases.handover_seen, name="handover_seen"),
    path("settings/", configuration.settings_edit, name="settings"),
]
