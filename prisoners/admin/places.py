"""Facilities and the letter-writing guide: where people are held and how
to write to them."""

from __future__ import annotations

from django.contrib import admin

from ..models import Facility, Guide
from .model_admins import VersionedAdmin


@admin.register(Facility)
class FacilityAdmin(VersionedAdmin):
    list_display = ["name", "facility_id", "kind", "region", "address_checked_on"]
    list_filter = ["kind"]
    search_fields = ["name", "name_be", "name_ru", "facility_id", "region"]
    autocomplete_fields = ["sources"]
    fields = [
        "name",
        "facility_id",
        ("name_be", "name_ru"),
        "kind",
        "region",
        "address_be",
        "address_ru",
        "address_checked_on",
        "sources",
        "_version",
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Empty: made from the name on save (Facility.save).
        form.base_fields["facility_id"].required = False
        return form


@admin.register(Guide)
class GuideAdmin(VersionedAdmin):
    """The public guides (/write/): editors change them, curators read them
    (the roles of migration 0020). Each is seeded by its key: nobody adds
    or deletes one."""

    list_display = ["__str__"]
    readonly_fields = ["key"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
