from django.urls import path

from ibasho.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("glossary/", views.glossary, name="glossary"),
    path("population/", views.population, name="population"),
    path("population/import/", views.population_import, name="population_import"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/new/", views.job_create, name="job_create"),
    path("jobs/<uuid:code>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:code>/download/", views.job_file, name="job_file"),
    path("<str:kind>/", views.report_page, name="report"),
    path("<str:kind>/<str:fmt>/", views.report_file, name="report_file"),
]
