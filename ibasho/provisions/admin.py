"""Provision records are evidence: the admin site shows operators the coded columns (no
names) and changes none. Organisation admins read them on the audited page
(provisions:index). They are written only by `services.record_provision` and
`services.record_receipt`."""

from django.contrib import admin

from ibasho.lib.admin import OperatorRecordAdmin
from ibasho.provisions.models import ProvisionRecord


@admin.register(ProvisionRecord)
class ProvisionRecordAdmin(OperatorRecordAdmin):
    list_display = ["on", "organisation", "direction", "counterpart_name", "basis", "via"]
    list_filter = ["direction", "basis", "via"]
    fields = ("organisation", "on", "direction", "counterpart_name", "items", "basis", "via")
    readonly_fields = fields
