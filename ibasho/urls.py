from django.contrib import admin
from django.urls import include, path

from ibasho.api import api

admin.site.site_header = "Ibasho"
admin.site.site_title = "Ibasho"

urlpatterns = [
    path("", include("ibasho.accounts.urls")),
    path("people/", include("ibasho.people.urls")),
    path("programmes/", include("ibasho.programmes.urls")),
    path("families/", include("ibasho.families.urls")),
    path("outreach/", include("ibasho.outreach.urls")),
    path("outcomes/", include("ibasho.outcomes.urls")),
    path("reports/", include("ibasho.reports.urls")),
    path("lifecycle/", include("ibasho.lifecycle.urls")),
    path("notifications/", include("ibasho.notifications.urls")),
    path("export/", include("ibasho.exchange.urls")),
    path("imports/", include("ibasho.imports.urls")),
    path("provisions/", include("ibasho.provisions.urls")),
    path("meetings/", include("ibasho.meetings.urls")),
    path("referrals/", include("ibasho.referrals.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler500 = "ibasho.lib.outage.server_error"
