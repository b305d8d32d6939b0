"""Sentence changes on their own admin pages, with history, as the other
records (the detention's page has them inline: model_admins.SentenceChangeInline)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import SentenceChange
from .forms import AdminForm
from .model_admins import RecordAdmin


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
