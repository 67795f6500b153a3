from django.contrib import admin

from ibasho.outcomes.models import InstrumentDefinition


@admin.register(InstrumentDefinition)
class InstrumentDefinitionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Definitions only: answers and results are personal data and stay out of the admin."""

    list_display = ["instrument_code", "version", "organisation", "active", "created_at"]
    list_filter = ["active"]
    readonly_fields = ["instrument_code", "version", "definition", "organisation", "created_by"]
