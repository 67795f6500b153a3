from django.contrib import admin

from ibasho.lib.admin import TenantAdmin
from ibasho.people.models import Case, Consent, FamilyMember, Household, Person


@admin.register(Person)
class PersonAdmin(TenantAdmin):
    list_display = ["family_name", "given_name", "family_name_kana", "gender", "municipality"]
    search_fields = ["search_text"]
    exclude = ["preferred_channels"]


@admin.register(Household)
class HouseholdAdmin(TenantAdmin):
    list_display = ["name", "municipality"]


@admin.register(FamilyMember)
class FamilyMemberAdmin(TenantAdmin):
    list_display = ["name", "relationship", "birth_year", "health"]


@admin.register(Case)
class CaseAdmin(TenantAdmin):
    list_display = ["person", "status", "opened_on", "closed_on"]


@admin.register(Consent)
class ConsentAdmin(TenantAdmin):
    list_display = ["person", "purpose", "given_on", "withdrawn_on"]
