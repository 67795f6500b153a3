from django.urls import path

from ibasho.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.home, name="home"),
    path("duplicates/", views.duplicate_list, name="duplicate_list"),
    path("duplicates/<uuid:code>/", views.duplicate_detail, name="duplicate_detail"),
    path("<uuid:code>/mapping/", views.mapping, name="mapping"),
    path("<uuid:code>/", views.job, name="job"),
    path("<uuid:code>/rejected.csv", views.rejected, name="rejected"),
]
