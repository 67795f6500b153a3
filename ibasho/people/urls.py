from django.urls import path

from ibasho.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("overview/", views.organisation_overview, name="organisation_overview"),
    path("postcode/", views.postcode_lookup, name="postcode_lookup"),
    path("households/", views.household_list, name="household_list"),
    path("<uuid:code>/", views.person_detail, name="person_detail"),
    path("<uuid:code>/records/", views.person_records, name="person_records"),
    path("<uuid:code>/visit/", views.visit_card, name="visit_card"),
    path("<uuid:code>/contact-details/", views.contact_details_edit, name="contact_details_edit"),
    path("<uuid:code>/edit/", views.person_edit, name="person_edit"),
    path("<uuid:code>/audit/", views.person_audit, name="person_audit"),
    path("<uuid:code>/timeline/", views.person_timeline, name="person_timeline"),
    path("<uuid:code>/timeline.pdf", views.person_timeline_pdf, name="person_timeline_pdf"),
    path("<uuid:code>/break-glass/", views.break_glass, name="break_glass"),
    path("<uuid:code>/restriction/", views.person_restriction, name="person_restriction"),
    path("<uuid:code>/household/new/", views.household_create, name="household_create"),
    path("<uuid:code>/consents/new/", views.consent_create, name="consent_create"),
    path("households/<uuid:code>/", views.household_detail, name="household_detail"),
    path("households/<uuid:code>/edit/", views.household_edit, name="household_edit"),
    path(
        "households/<uuid:code>/members/new/",
        views.family_member_create,
        name="family_member_create",
    ),
    path("family-members/<uuid:code>/edit/", views.family_member_edit, name="family_member_edit"),
    path("consents/<uuid:code>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
