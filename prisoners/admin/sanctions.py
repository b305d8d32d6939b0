"""Sanctions targets: the companies, people, sectors, aircraft and vessels
that sanctions acts name, with their ids on the official lists."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..models import SanctionsTarget
from .model_admins import VersionedAdmin


@admin.register(SanctionsTarget)
class SanctionsTargetAdmin(VersionedAdmin):
    list_display = ["name", "target_id", "kind", "country", "ofac_id", "eu_id"]
    list_filter = ["kind"]
    search_fields = ["target_id", "name", "name_be", "name_ru", "aliases", "ofac_id", "eu_id"]
    autocomplete_fields = ["sources"]
    prepopulated_fields = {"target_id": ["name"]}
    readonly_fields = ["acts"]

    @admin.display(description=_("sanctions events"))
    def acts(self, target) -> str:
        rows = (
            [
                (reverse("admin:prisoners_sanctionsevent_change", args=[e.pk]), str(e))
                for e in target.sanctions_events.order_by(
                    "date_first", "event_id"
                ).prefetch_related("targets")
            ]
            if target.pk
            else []
        )
        if not rows:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a></li>', rows)
        )
