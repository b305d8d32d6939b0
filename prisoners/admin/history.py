"""History in the admin: a readable diff between versions, and finding and
restoring deleted people with their detentions, releases and sources."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..history import acting_as
from ..models import Charge, Detention, Organization, OtherId, Person, Release, Source
from ..partial_dates import PartialDate

# django-simple-history's strings that its pages translate when shown (the
# others are in templates/simple_history/): it has no Belarusian catalog,
# and its Russian one (ru_RU) is not the "ru" Django reads. Marked here so
# that our catalog carries them.
SIMPLE_HISTORY_STRINGS = (
    gettext_noop(
        "Choose a date from the list below to revert to a previous version of this object."
    ),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("changes"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
)

# Detentions removed this long before their person count as deleted with
# them (the cascade deletes them a moment before the person).
CASCADE_WINDOW = timedelta(minutes=1)


def describe_changes(new_record, old_record) -> list[str]:
    """``field: old → new`` for every field that differs, partial dates as
    written (2021-07) rather than as their three columns, choices by label,
    related records by name."""
    if old_record is None:
        return []
    model = new_record.instance_type
    partial_dates = getattr(model, "_partial_dates", {})
    lines, seen = [], set()
    for field in new_record.tracked_fields:
        date_name = next((d for d in partial_dates if field.name.startswith(f"{d}_")), None)
        if date_name:
            if date_name in seen:
                continue
            seen.add(date_name)
            label = partial_dates[date_name].verbose_name or date_name
            old, new = (_partial(record, date_name) for record in (old_record, new_record))
        else:
            label = field.verbose_name
            old, new = (_value(field, getattr(r, field.attname)) for r in (old_record, new_record))
        if old != new:
            lines.append(f"{label}: {old or '—'} → {new or '—'}")
    m2m_names = [f.name for f in new_record._history_m2m_fields]
    if m2m_names:
        delta = new_record.diff_against(old_record, included_fields=m2m_names)
        for change in delta.changes:
            field = model._meta.get_field(change.field)
            old, new = (_m2m_labels(field, rows) for rows in (change.old, change.new))
            lines.append(f"{field.verbose_name}: {old or '—'} → {new or '—'}")
    return lines


def _value(field, value) -> str:
    if value in (None, ""):
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else f"#{value} (deleted)"
    return str(value)


def _partial(record, name: str) -> str:
    first = getattr(record, f"{name}_first")
    return str(PartialDate(first, getattr(record, f"{name}_precision"))) if first else ""


def _m2m_labels(field, rows) -> str:
    column = field.m2m_reverse_field_name()
    ids = [row[column] for row in rows or []]
    return ", ".join(str(o) for o in field.related_model.objects.filter(pk__in=ids)) if ids else ""


class HistoryDiffMixin:
    """A "changes" column on simple-history's history page that also shows
    partial dates and many-to-many changes as curators typed them."""

    history_list_display = ["changes"]

    def changes(self, record) -> str:
        pk = record.instance_type._meta.pk.attname
        older = (
            record.instance_type.history.filter(
                **{pk: getattr(record, pk)},
                history_date__lte=record.history_date,
            )
            .exclude(history_id=record.history_id)
            .order_by("-history_date", "-history_id")
            .first()
        )
        return "; ".join(describe_changes(record, older)) or "—"

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        """The "changes" column replaces simple-history's own, which leaves
        out partial dates (stored in non-editable columns)."""


def deleted_people():
    """The last historical record of each person deleted and not restored."""
    history = Person.history.model
    later = history.objects.filter(id=OuterRef("id"), history_date__gt=OuterRef("history_date"))
    return (
        history.objects.filter(history_type="-")
        .exclude(id__in=Person.objects.values("pk"))
        # Merged into another person, whose other id it is now: undone from
        # the list of merges, never restored on its own.
        .exclude(person_id__in=OtherId.objects.values("other_id"))
        .exclude(Exists(later))
        .select_related("history_user")
        .order_by("-history_date")
    )


def _last_m2m(model, pk, field: str) -> list[int]:
    """The ids in ``field`` on the last version of ``pk`` that was not its
    deletion (the cascade clears the links before the '-' record is written)."""
    record = (
        model.history.filter(**{model._meta.pk.attname: pk})
        .exclude(history_type="-")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if record is None:
        return []
    column = model._meta.get_field(field).m2m_reverse_field_name()
    return [row[column] for row in getattr(record, field).values(column)]


@transaction.atomic
def restore_person(history_id: int, user) -> Person:
    """Recreate a deleted person, with the same primary key, from their last
    historical records, and the detentions, releases and links deleted with
    them. The restore is recorded in the history under ``user``."""
    record = deleted_people().filter(history_id=history_id).first()
    if record is None:
        raise Http404("No such deleted person.")
    with acting_as(user, via="restored in the admin"):
        person = record.instance
        # Read the links before saving: the save writes a version without them.
        sources = _last_m2m(Person, person.pk, "sources")
        organizations = _last_m2m(Person, person.pk, "organizations")
        person._state.adding = True
        person.save()
        person.sources.set(Source.objects.filter(pk__in=sources))
        person.organizations.set(Organization.objects.filter(pk__in=organizations))
        detention_history = Detention.history.model
        removed = (
            detention_history.objects.filter(
                person_id=person.pk,
                history_type="-",
                history_date__gte=record.history_date - CASCADE_WINDOW,
                history_date__lte=record.history_date,
            )
            .exclude(id__in=Detention.objects.values("pk"))
            .order_by("history_date")
        )
        release_history = Release.history.model
        pending = []
        for detention_record in removed:
            release_record = (
                release_history.objects.filter(detention_id=detention_record.id, history_type="-")
                .order_by("-history_date", "-history_id")
                .first()
            )
            pending.append((detention_record, release_record))
        # Released detentions first: each is closed before the next opens,
        # so "one open detention per person" holds at every step.
        pending.sort(key=lambda pair: pair[1] is None)
        for detention_record, release_record in pending:
            detention = detention_record.instance
            charges = _last_m2m(Detention, detention.pk, "charges")
            sources = _last_m2m(Detention, detention.pk, "sources")
            detention._state.adding = True
            detention.person = person
            detention.save()
            detention.charges.set(Charge.objects.filter(pk__in=charges))
            detention.sources.set(Source.objects.filter(pk__in=sources))
            if release_record is not None:
                release = release_record.instance
                release._state.adding = True
                release.detention = detention
                release.save()
        person.refresh_status()
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[person],
        action_flag=ADDITION,
        change_message=_("Restored from the history."),
        single_object=True,
    )
    return person


class DeletedPeopleMixin:
    """A "Deleted people" page linked from the person change list: editors
    (delete_person) find a deleted person there and restore them."""

    def get_urls(self):
        from django.urls import path

        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="prisoners_person_deleted",
            ),
            path(
                "deleted/<int:history_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="prisoners_person_restore",
            ),
            *super().get_urls(),
        ]

    def deleted_view(self, request):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted people"),
            "opts": self.model._meta,
            "records": deleted_people()[:500],
        }
        return TemplateResponse(request, "admin/prisoners/person/deleted.html", context)

    def restore_view(self, request, history_id: int):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:prisoners_person_deleted"))
        person = restore_person(history_id, request.user)
        self.message_user(
            request,
            _("Restored %(name)s with their detentions, releases and sources.")
            % {"name": person.name},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:prisoners_person_change", args=[person.pk]))
