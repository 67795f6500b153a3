from django.urls import path

from ibasho.lifecycle import views

app_name = "lifecycle"
urlpatterns = [
    path("", views.index, name="index"),
    path("settings/", views.settings_edit, name="settings"),
    path("batches/<uuid:code>/", views.batch_detail, name="batch_detail"),
    path("people/<uuid:code>/hold/", views.hold_create, name="hold_create"),
    path("holds/<uuid:code>/lift/", views.hold_lift, name="hold_lift"),
    path("people/<uuid:code>/request/", views.request_create, name="request_create"),
    path("requests/<uuid:code>/lift/", views.request_lift, name="request_lift"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/<uuid:code>/", views.incident_detail, name="incident_detail"),
    path("incidents/<uuid:code>/scope/", views.incident_scope, name="incident_scope"),
    path("incidents/<uuid:code>/reported/", views.incident_reported, name="incident_reported"),
    path("incidents/<uuid:code>/close/", views.incident_close, name="incident_close"),
    path("incidents/<uuid:code>/report.pdf", views.incident_report_pdf, name="incident_report"),
    path("incidents/<uuid:code>/letters.pdf", views.incident_letters_pdf, name="incident_letters"),
]
