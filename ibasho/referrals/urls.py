from django.urls import path

from ibasho.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="referral_list"),
    path("settings/", views.referral_settings, name="settings"),
    path("age-limit/", views.approaching_list, name="approaching"),
    path("people/<uuid:code>/new/", views.referral_create, name="referral_create"),
    path("<uuid:code>/", views.referral_detail, name="referral_detail"),
    path("<uuid:code>/again/", views.referral_again, name="referral_again"),
    path("<uuid:code>/accept/", views.referral_accept, name="referral_accept"),
    path("<uuid:code>/decline/", views.referral_decline, name="referral_decline"),
    path("<uuid:code>/withdraw/", views.referral_withdraw, name="referral_withdraw"),
    path("<uuid:code>/done/", views.referral_done, name="referral_done"),
    path("<uuid:code>/letter.pdf", views.referral_letter, name="referral_letter"),
]
