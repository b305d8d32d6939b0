"""Sentence changes in the admin: an inline of the detention's page (Django
has no inline within the person's detention inline), and their own pages
with history, as the other records."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import SentenceChange
from .forms import AdminForm
from .model_admins import DetentionAdmin, RecordAdmin


class SentenceChangeInline(admin.TabularInline):
    model = SentenceChange
    form = AdminForm
    extra = 0
    show_change_link = True
    autocomplete_fields = ["sources"]
    fields = ["changed_on", "kind", "sentence_type", "sentence_months", "sources", "_version"]


# The detention's page: its release, then how its sentence changed.
DetentionAdmin.inlines = [*DetentionAdmin.inlines, SentenceChangeInline]


@admin.register(SentenceChange)
class SentenceChangeAdmin(RecordAdmin):
    form = AdminForm
    list_display = ["detention", "changed_on_display", "kind", "sentence_type", "sentence_months"]
    list_select_related = ["detention"]
    list_filter = ["kind"]
    search_fields = ["detention__detention_id", "detention__person__name"]
    autocomplete_fields = ["detention", "sources"]

    @admin.display(description=_("changed on"), ordering="changed_on_first")
    def changed_on_display(self, change) -> str:
        return change.changed_on.display() if change.changed_on else "—"
