"""The curators' admin.

Curators add and correct records; editors (the ``publish_*`` permissions)
also publish and delete. Publishing is enforced three times: the field is
read-only for curators, save_model() puts back the stored value whatever was
posted, and the publishing actions need the permission."""

from __future__ import annotations

from datetime import date

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.db import router, transaction
from django.db.models import Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from ..choices import Visibility
from ..models import (
    Charge,
    Detention,
    LocalName,
    Organization,
    Person,
    Release,
    ReleaseEvent,
    ReleaseType,
    SanctionsEvent,
    SentenceChange,
    Source,
    Stay,
)
from ..partial_dates import PartialDate
from .actions import (
    anonymize_people,
    publish_events,
    publish_people,
    record_release,
    unpublish_events,
    unpublish_people,
)
from .forms import (
    AdminForm,
    DetentionAdminForm,
    DetentionForm,
    DetentionInlineFormSet,
    PersonForm,
    last_source_violation,
    published_left_without_source,
)
from .history import DeletedPeopleMixin, HistoryDiffMixin
from .merge import MergeMixin, merge_people

EDITOR = "prisoners.publish_person"


class NoBulkDeleteForCuratorsMixin:
    """Curators delete within one record (a detention in its person's
    form, a release in its detention's); deleting many records at once
    across people ("delete selected") is an editor's."""

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if not request.user.has_perm(EDITOR):
            actions.pop("delete_selected", None)
        return actions


class LastSourceDeleteMixin:
    """No delete (its page or "delete selected") leaves a published person
    without a source: rules.last_source_kept refuses it, naming them."""

    def people_of(self, objs) -> list[int]:
        raise NotImplementedError

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        left_without = published_left_without_source(self.people_of(objs), **self.removed(objs))
        violation = last_source_violation(left_without)
        if violation:
            message = violation.message % violation.params
            protected = [*protected, message]
            self.message_user(request, message, messages.ERROR)
        return deleted, counts, perms_needed, protected


class VersionedAdmin(NoBulkDeleteForCuratorsMixin, HistoryDiffMixin, SimpleHistoryAdmin):
    """History with a readable diff; help text saying what is public;
    optimistic locking (AdminForm), whose check locks the rows until the
    write commits: Django's change view validates and saves in one
    transaction, and so does the revert view here."""

    form = AdminForm

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)


class RecordAdmin(VersionedAdmin):
    """A text input for each partial date; publishing needs a permission."""

    def publish_permission(self) -> str:
        return f"prisoners.publish_{self.opts.model_name}"

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(self.publish_permission())


class PublishableEventAdmin(RecordAdmin):
    """``published`` is read-only for curators and re-checked on save."""

    actions = [publish_events, unpublish_events]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            readonly.append("published")
        return readonly

    def save_model(self, request, obj, form, change):
        if not self.has_publish_permission(request):
            stored = type(obj).objects.filter(pk=obj.pk).values_list("published", flat=True)
            obj.published = stored.first() or False if change else False
        super().save_model(request, obj, form, change)


class ReleaseInline(admin.StackedInline):
    model = Release
    form = AdminForm
    extra = 0
    autocomplete_fields = ["release_event"]


class StayInline(admin.StackedInline):
    """A detention's stays in facilities: the detention's facility is the
    last one's (Stay.save writes it), so it is edited here only. Stacked:
    a tabular row's fields have no labels of their own (WCAG)."""

    model = Stay
    form = AdminForm
    extra = 0
    autocomplete_fields = ["facility", "sources"]
    fields = ["facility", "started_on", "ended_on", "sources", "_version"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("facility")


class SentenceChangeInline(admin.StackedInline):
    """How the detention's sentence changed (Django has no inline within the
    person's detention inline: they are on the detention's page). Stacked:
    a tabular row's fields have no labels of their own (WCAG)."""

    model = SentenceChange
    form = AdminForm
    extra = 0
    show_change_link = True
    autocomplete_fields = ["sources"]
    fields = ["changed_on", "kind", "sentence_type", "sentence_months", "sources", "_version"]


class DetentionInline(admin.StackedInline):
    """A person's detentions, each with its release on the same row; the
    facility is read here and edited as stays on the detention's page."""

    model = Detention
    form = DetentionForm
    formset = DetentionInlineFormSet
    extra = 0
    show_change_link = True
    autocomplete_fields = ["charges", "sources"]
    readonly_fields = ["facility_and_stays"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "detention_id",
                    "detained_on",
                    "charges",
                    ("sentence_type", "sentence_months"),
                    "sentenced_on",
                    "expected_release_on",
                    "facility_and_stays",
                    "sources",
                    "_version",
                ]
            },
        ),
        (
            _("Release"),
            {"fields": ["released_on", "release_type", "release_event", "released_to"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("facility", "release")

    @admin.display(description=_("facility"))
    def facility_and_stays(self, detention) -> str:
        return facility_and_stays(detention)


def facility_and_stays(detention) -> str:
    """The detention's facility (its last stay's), with the way to its stays."""
    if detention.pk is None:
        return _("Save the detention, then record where the person is held on its page.")
    return format_html(
        '{} (<a href="{}#stays-group">{}</a>)',
        detention.facility or "—",
        reverse("admin:prisoners_detention_change", args=[detention.pk]),
        _("edit the stays in facilities"),
    )


class RecognizedFilter(admin.SimpleListFilter):
    title = _("recognized")
    parameter_name = "recognized"

    def lookups(self, request, model_admin):
        return [("yes", _("yes")), ("no", _("no"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.recognized()
        if self.value() == "no":
            return queryset.not_recognized()
        return queryset


class ReleaseTypeFilter(admin.SimpleListFilter):
    title = _("release type")
    parameter_name = "release_type"

    def lookups(self, request, model_admin):
        return ReleaseType.choices

    def queryset(self, request, queryset):
        if self.value():
            releases = Release.objects.filter(
                detention__person=OuterRef("pk"), release_type=self.value()
            )
            return queryset.filter(Exists(releases))
        return queryset


def _latest(model, person_path: str, order: str, column: str) -> Subquery:
    """``column`` of the person's row latest by ``order``.

    Ordered by an expression on purpose: ordered by the column itself,
    PostgreSQL walks the whole date index backwards looking for the person's
    rows; this way it reads the person's few rows through the person index
    and sorts them."""
    rows = model.objects.filter(**{person_path: OuterRef("pk")}, **{f"{order}__isnull": False})
    latest_first = Coalesce(order, Value(date.min)).desc()
    return Subquery(rows.order_by(latest_first).values(column)[:1])


@admin.register(Person)
class PersonAdmin(MergeMixin, DeletedPeopleMixin, RecordAdmin):
    form = PersonForm
    inlines = [DetentionInline]
    list_display = [
        "name",
        "name_be",
        "person_id",
        "status",
        "latest_detention",
        "latest_release",
        "visibility",
    ]
    list_filter = [
        "status",
        "visibility",
        RecognizedFilter,
        "region",
        "gender",
        ReleaseTypeFilter,
        "letters",
        "letters_withheld",
    ]
    date_hierarchy = "recognized_on_first"
    search_fields = ["person_id"]  # widened in get_search_results
    search_help_text = _(
        "Any spelling of the name (Latin, Belarusian, Russian, aliases), or an id."
    )
    autocomplete_fields = ["organizations", "sources"]
    actions = [record_release, publish_people, unpublish_people, anonymize_people, merge_people]
    # Counting 100,000 rows twice per page is wasted work.
    show_full_result_count = False
    list_per_page = 50

    def get_queryset(self, request):
        people = super().get_queryset(request)
        d, r = "detained_on_first", "released_on_first"
        return people.annotate(
            latest_detained_first=_latest(Detention, "person", d, d),
            latest_detained_precision=_latest(Detention, "person", d, "detained_on_precision"),
            latest_released_first=_latest(Release, "detention__person", r, r),
            latest_released_precision=_latest(
                Release, "detention__person", r, "released_on_precision"
            ),
            latest_release_type=_latest(Release, "detention__person", r, "release_type"),
        )

    @admin.display(description=_("latest detention"), ordering=F("latest_detained_first"))
    def latest_detention(self, person) -> str:
        return _partial_display(person.latest_detained_first, person.latest_detained_precision)

    @admin.display(description=_("latest release"), ordering=F("latest_released_first"))
    def latest_release(self, person) -> str:
        if not person.latest_released_first:
            return "—"
        when = _partial_display(person.latest_released_first, person.latest_released_precision)
        return f"{when} ({ReleaseType(person.latest_release_type).label})"

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        matches = queryset.search(search_term) | queryset.filter(person_id=search_term.strip())
        return matches, False

    def get_fieldsets(self, request, obj=None):
        identity = ["person_id", "name", "name_be", "name_ru", "aliases"]
        if obj is None:
            identity.append("not_duplicate")
        return [
            (None, {"fields": identity}),
            (
                _("Facts (public once published)"),
                {
                    "fields": [
                        "gender",
                        "born",
                        "died_on",
                        "region",
                        "occupation",
                        "organizations",
                        "recognized_on",
                        "recognition_withdrawn_on",
                        "bio",
                        "bio_be",
                        "bio_ru",
                    ]
                },
            ),
            (
                _("Letters"),
                {
                    "fields": [
                        "letters",
                        "letters_checked_on",
                        "letters_addressee",
                        "letters_withheld",
                    ],
                    "description": _(
                        "The person's page shows where to write (the address of the facility "
                        "of their open detention and the addressee) while letters reach them, "
                        "unless withheld."
                    ),
                },
            ),
            (_("Publishing"), {"fields": ["visibility", "sources", "status", "_version"]}),
            (pgettext_lazy("curator-only fields", "Private"), {"fields": ["internal_notes"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["status"]
        if not self.has_publish_permission(request):
            readonly.append("visibility")
        if obj is not None and ever_published(obj):
            readonly.append("person_id")
        return readonly

    def save_model(self, request, obj, form, change):
        if not self.has_publish_permission(request):
            stored = Person.objects.filter(pk=obj.pk).values_list("visibility", flat=True)
            obj.visibility = (stored.first() if change else None) or Visibility.DRAFT
        if change and ever_published(obj):
            stored = Person.objects.filter(pk=obj.pk).values_list("person_id", flat=True)
            obj.person_id = stored.first() or obj.person_id
        super().save_model(request, obj, form, change)

    def has_add_release_permission(self, request) -> bool:
        return request.user.has_perm("prisoners.add_release")


def ever_published(person: Person) -> bool:
    """Published now or in any version: its id is then a public URL."""
    if person.pk is None:
        return False
    return (
        Person.objects.filter(pk=person.pk, visibility=Visibility.PUBLISHED).exists()
        or person.history.filter(visibility=Visibility.PUBLISHED).exists()
    )


def _partial_display(first, precision) -> str:
    return PartialDate(first, precision).display() if first else "—"


@admin.register(Detention)
class DetentionAdmin(LastSourceDeleteMixin, RecordAdmin):
    form = DetentionAdminForm
    list_display = ["detention_id", "person", "detained_on_display", "end_reason"]
    list_select_related = ["person"]
    search_fields = ["detention_id", "person__person_id", "person__name"]
    autocomplete_fields = ["person", "charges", "sources"]
    readonly_fields = ["end_reason", "ended_on_display", "facility", "expected_release_display"]
    inlines = [ReleaseInline, StayInline, SentenceChangeInline]

    @admin.display(description=_("detained on"), ordering="detained_on_first")
    def detained_on_display(self, detention) -> str:
        return detention.detained_on.display() if detention.detained_on else "—"

    @admin.display(description=_("ended on"))
    def ended_on_display(self, detention) -> str:
        return detention.ended_on.display() if detention.ended_on else "—"

    @admin.display(description=_("expected release"))
    def expected_release_display(self, detention) -> str:
        """Derived on save: the recorded date, else the arrest plus the current term."""
        return detention.expected_release.display() if detention.expected_release else "—"

    def people_of(self, objs) -> list[int]:
        return [d.person_id for d in objs]

    def removed(self, objs) -> dict:
        return {"without_detentions": [d.pk for d in objs]}


@admin.register(Release)
class ReleaseAdmin(RecordAdmin):
    list_display = ["detention", "release_type", "release_event"]
    list_select_related = ["detention", "release_event"]
    list_filter = ["release_type"]
    search_fields = ["detention__detention_id", "detention__person__name"]
    autocomplete_fields = ["detention", "release_event"]


@admin.register(ReleaseEvent)
class ReleaseEventAdmin(PublishableEventAdmin):
    list_display = ["title", "event_id", "date_display", "announced_count", "recorded", "published"]
    list_filter = ["published"]
    date_hierarchy = "date_first"
    # Meta.ordering is dropped from the GROUP BY of the recorded count.
    ordering = ["-date_first", "event_id"]
    search_fields = ["event_id", "title", "negotiator"]
    autocomplete_fields = ["sanctions", "sources"]
    readonly_fields = ["counts", "people_released"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(recorded_releases=Count("releases"))

    @admin.display(description=_("date"), ordering="date_first")
    def date_display(self, event) -> str:
        return event.date.display() if event.date else "—"

    @admin.display(description=_("recorded"), ordering="recorded_releases")
    def recorded(self, event) -> int:
        return event.recorded_releases

    @admin.display(description=_("announced against recorded"))
    def counts(self, event) -> str:
        recorded = event.releases.count() if event.pk else 0
        announced = "—" if event.announced_count is None else event.announced_count
        return _("announced %(announced)s, recorded %(recorded)s (every visibility)") % {
            "announced": announced,
            "recorded": recorded,
        }

    @admin.display(description=_("people released"))
    def people_released(self, event) -> str:
        if not event.pk:
            return "—"
        releases = event.releases.select_related("detention__person").order_by(
            "detention__person__name"
        )
        rows = [
            (
                reverse("admin:prisoners_person_change", args=[r.detention.person_id]),
                r.detention.person.name,
                r.detention.person.get_visibility_display(),
                r.get_release_type_display(),
            )
            for r in releases
        ]
        if not rows:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", '<li><a href="{}">{}</a> ({}, {})</li>', rows),
        )


@admin.register(SanctionsEvent)
class SanctionsEventAdmin(PublishableEventAdmin):
    list_display = ["event_id", "date_display", "authority", "kind", "targets_display", "published"]
    list_filter = ["authority", "kind", "action", "published"]
    date_hierarchy = "date_first"
    search_fields = ["event_id", "authority", "targets__name", "sector", "legal_reference"]
    autocomplete_fields = ["targets", "sources"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("targets")

    @admin.display(description=_("targets"))
    def targets_display(self, event) -> str:
        return "; ".join(t.name for t in event.targets.all()) or "—"

    readonly_fields = ["linked_release_events"]

    @admin.display(description=_("date"), ordering="date_first")
    def date_display(self, event) -> str:
        return event.date.display() if event.date else "—"

    @admin.display(description=_("linked release events"))
    def linked_release_events(self, event) -> str:
        if not event.pk:
            return "—"
        rows = [
            (reverse("admin:prisoners_releaseevent_change", args=[e.pk]), e.title)
            for e in event.release_events.all()
        ]
        if not rows:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a></li>', rows)
        )


@admin.register(Organization)
class NamedAdmin(VersionedAdmin):
    list_display = ["name", "name_be", "name_ru"]
    search_fields = ["name", "name_be", "name_ru"]


@admin.register(Charge)
class ChargeAdmin(VersionedAdmin):
    list_display = ["article", "title", "title_be", "title_ru"]
    search_fields = ["article", "title", "title_be", "title_ru"]


@admin.register(LocalName)
class LocalNameAdmin(VersionedAdmin):
    list_display = ["name", "kind", "name_be", "name_ru"]
    list_filter = ["kind"]
    search_fields = ["name", "name_be", "name_ru"]


@admin.register(Source)
class SourceAdmin(LastSourceDeleteMixin, VersionedAdmin):
    search_fields = ["url", "title"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # A source backs records across people and events: deleting it is an
        # editor's; a curator takes it off the one record instead.
        return super().has_delete_permission(request, obj) and request.user.has_perm(EDITOR)

    def people_of(self, objs) -> list[int]:
        pks = [s.pk for s in objs]
        own = Person.sources.through.objects.filter(source__in=pks)
        on_detention = Detention.sources.through.objects.filter(source__in=pks)
        return [
            *own.values_list("person_id", flat=True),
            *on_detention.values_list("detention__person_id", flat=True),
        ]

    def removed(self, objs) -> dict:
        return {"without_sources": [s.pk for s in objs]}
