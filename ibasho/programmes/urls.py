from django.urls import path

from ibasho.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("new/", views.programme_create, name="programme_create"),
    path("<uuid:code>/", views.programme_detail, name="programme_detail"),
    path("<uuid:code>/edit/", views.programme_edit, name="programme_edit"),
    path("<uuid:code>/sessions/new/", views.sessions_add, name="sessions_add"),
    path("<uuid:code>/course/start/", views.course_start, name="course_start"),
    path("<uuid:code>/enrol/", views.enrol, name="enrol"),
    path("enrolments/<uuid:code>/leave/", views.enrolment_leave, name="enrolment_leave"),
    path("sessions/<uuid:code>/", views.session_detail, name="session_detail"),
    path("sessions/<uuid:code>/edit/", views.session_edit, name="session_edit"),
    path(
        "sessions/<uuid:code>/attendance/<uuid:enrolment>/",
        views.attendance_record,
        name="attendance_record",
    ),
    path("measurements/<uuid:code>/done/", views.measurement_done, name="measurement_done"),
    path("for/<uuid:code>/", views.menu, name="menu"),
]
