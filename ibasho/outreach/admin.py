from django.contrib import admin

from ibasho.outreach.models import OutreachSettings

# Contacts, plans and their history hold personal data and are managed through the audited
# pages, not the admin site; only the organisation's thresholds are offered here.
admin.site.register(OutreachSettings)
