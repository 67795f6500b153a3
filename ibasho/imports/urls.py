from django.urls import path

from ibasho.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.home, name="home"),
    path("<uuid:code>/mapping/", views.mapping, name="mapping"),
    path("<uuid:code>/", views.job, name="job"),
    path("<uuid:code>/rejected.csv", views.rejected, name="rejected"),
]
