"""A plain admin for every model, so curators can enter data from day one."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Charge,
    Detention,
    Facility,
    Organization,
    Person,
    Release,
    ReleaseEvent,
    SanctionsEvent,
    Source,
)
from .partial_dates import PartialDateModelForm


class RecordAdmin(SimpleHistoryAdmin):
    """History on every record; a text input for each partial date."""

    form = PartialDateModelForm


class ReleaseInline(admin.StackedInline):
    model = Release
    form = PartialDateModelForm
    extra = 0


class DetentionInline(admin.StackedInline):
    model = Detention
    form = PartialDateModelForm
    extra = 0
    show_change_link = True
    filter_horizontal = ["charges", "sources"]


@admin.register(Person)
class PersonAdmin(RecordAdmin):
    list_display = ["name", "person_id", "status", "visibility", "region"]
    list_filter = ["status", "visibility", "gender", "region"]
    search_fields = ["person_id", "name", "name_be", "name_ru", "aliases", "search_text"]
    filter_horizontal = ["organizations", "sources"]
    readonly_fields = ["status"]
    inlines = [DetentionInline]


@admin.register(Detention)
class DetentionAdmin(RecordAdmin):
    list_display = ["detention_id", "person", "end_reason"]
    list_select_related = ["person"]
    search_fields = ["detention_id", "person__name"]
    raw_id_fields = ["person"]
    filter_horizontal = ["charges", "sources"]
    readonly_fields = ["end_reason"]
    inlines = [ReleaseInline]


@admin.register(Release)
class ReleaseAdmin(RecordAdmin):
    list_display = ["detention", "release_type", "release_event"]
    list_select_related = ["detention", "release_event"]
    raw_id_fields = ["detention"]


@admin.register(ReleaseEvent)
class ReleaseEventAdmin(RecordAdmin):
    list_display = ["title", "event_id", "announced_count", "published"]
    search_fields = ["event_id", "title", "negotiator"]
    filter_horizontal = ["sanctions", "sources"]


@admin.register(SanctionsEvent)
class SanctionsEventAdmin(RecordAdmin):
    list_display = ["event_id", "authority", "action", "target", "published"]
    list_filter = ["authority", "action", "published"]
    search_fields = ["event_id", "authority", "target"]
    filter_horizontal = ["sources"]


@admin.register(Organization, Facility)
class NamedAdmin(SimpleHistoryAdmin):
    search_fields = ["name"]


@admin.register(Charge)
class ChargeAdmin(SimpleHistoryAdmin):
    search_fields = ["article", "title"]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    search_fields = ["url", "title"]
