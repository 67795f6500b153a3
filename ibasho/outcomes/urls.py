from django.urls import path

from ibasho.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("instruments/", views.instrument_list, name="instrument_list"),
    path("people/<uuid:code>/", views.person_outcomes, name="person_outcomes"),
    path("people/<uuid:code>/administrations/new/", views.administration_create,
         name="administration_create"),
    path("people/<uuid:code>/kato/new/", views.kato_create, name="kato_create"),
    path("people/<uuid:code>/recovery/new/", views.recovery_create, name="recovery_create"),
    path("administrations/<uuid:code>/", views.administration_detail,
         name="administration_detail"),
    path("administrations/<uuid:code>/rescore/", views.administration_rescore,
         name="administration_rescore"),
]  # fmt: skip
