from django.urls import path

from ibasho.exchange import views

app_name = "exchange"
urlpatterns = [
    path("people/<uuid:code>/", views.person_export, name="person_export"),
    path(
        "people/<uuid:code>/json/",
        views.person_export_file,
        {"fmt": "json"},
        name="person_export_json",
    ),
    path(
        "people/<uuid:code>/pdf/",
        views.person_export_file,
        {"fmt": "pdf"},
        name="person_export_pdf",
    ),
    path("organisation/", views.organisation_export, name="organisation_export"),
    path(
        "organisation/<uuid:code>/download/",
        views.organisation_export_file,
        name="organisation_export_file",
    ),
]
