from django.urls import path

from ibasho.provisions import views

app_name = "provisions"
urlpatterns = [
    path("", views.index, name="index"),
    path("records.csv", views.export_csv, name="export_csv"),
    path("records.pdf", views.export_pdf, name="export_pdf"),
    path("people/<uuid:code>/", views.person, name="person"),
]
