"""The data version, and when public data last changed.

One row in the database (models.DataVersion) that every process reads, never
a process's own memory: each commit that changed a record moves its
``version`` (the page cache keys on it, so that no worker serves a page
older than the records), and each commit that changed public data sets its
``public_changed_at`` (Last-Modified, X-Data-Last-Changed, the feeds).

The row is written once a transaction commits, in one short UPDATE: held
from the first write to the commit, its lock would make every writer wait
for a long import, and could deadlock with writers that lock a person first.
Until the commit, the writing process moves a version of its own
(``Version.local``), so that it never serves its own pages from before the
change either.

What is a public change: a change to a published record, or to a record that
has just stopped being published (unpublishing is one), other than to its
private fields (privacy.PRIVATE_FIELDS); to a detention, release, other id or
source of a published person; to a published event; to an organization,
charge or facility, or a name in Belarusian or Russian (what the public
pages name). Changes to
drafts and anonymous people are not: they move the version (the figures count
anonymous people) but no public time that could date them. A person's own
``public_changed_at`` is set at the write, inside its transaction, for the
feed: their entry's updated time and order.
"""

from __future__ import annotations

import threading
from typing import NamedTuple

from django.apps import apps as global_apps
from django.db import transaction
from django.db.models import F, Q, Subquery
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.utils import timezone

from .choices import Visibility
from .privacy import public_field_names

ROW = 1
_lock = threading.Lock()
_local = 0


class Version(NamedTuple):
    shared: int  # the database row's: every process sees it once committed
    local: int  # this process's own, moved at once by its writes

    def __str__(self) -> str:
        return f"{self.shared}.{self.local}"


def data_version() -> Version:
    """The version a cached page is keyed on: one query."""
    from .models import DataVersion

    shared = DataVersion.objects.filter(pk=ROW).values_list("version", flat=True).first()
    return Version(shared or 0, _local)


def public_changed_at():
    """When public data last changed, in one query: the row's time, or a
    published person's newer one written by a transaction not yet
    committed (the row follows at commit). None before any change."""
    from .models import DataVersion, Person

    newest = (
        Person.objects.filter(visibility=Visibility.PUBLISHED)
        .order_by("-public_changed_at")
        .values("public_changed_at")[:1]
    )
    row = (
        DataVersion.objects.filter(pk=ROW)
        .annotate(person=Subquery(newest))
        .values_list("public_changed_at", "person")
        .first()
    )
    if row is None:  # a flushed test database: no row yet
        row = (None, newest.values_list("public_changed_at", flat=True).first())
    times = [t for t in row if t is not None]
    return max(times) if times else None


class _AtCommit:
    """The one UPDATE of the row a transaction makes once committed."""

    def __init__(self):
        self.public = False
        self.done = False  # run already (a test's capture leaves it listed)

    def __call__(self) -> None:
        self.done = True
        _write_row(self.public)


def _write_row(public: bool) -> None:
    from .models import DataVersion

    values = {"version": F("version") + 1}
    if public:
        values["public_changed_at"] = timezone.now()
    rows = DataVersion.objects.filter(pk=ROW)
    if not rows.update(**values):
        # The row is made by migration 0011; a flushed test database lacks it.
        DataVersion.objects.bulk_create([DataVersion(pk=ROW)], ignore_conflicts=True)
        rows.update(**values)


def bump_data_version(public: bool = False, **kwargs) -> None:
    """Move the version now in this process and, for every process, once the
    transaction commits (at once outside one); ``public``: public data
    changed too. Bulk writers, which send no signals, call it."""
    global _local
    with _lock:
        _local += 1
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _write_row(public)
        return
    pending = next(
        (f for _, f, _ in connection.run_on_commit if isinstance(f, _AtCommit) and not f.done),
        None,
    )
    if pending is None:
        pending = _AtCommit()
        transaction.on_commit(pending)
    pending.public = pending.public or public


# Which records are public, and whose entry in the feed they belong to.


def _models():
    from . import models

    return models


def _people_of(instance):
    """The people whose entry shows ``instance`` (a queryset), or None."""
    m = _models()
    if isinstance(instance, m.Person):
        return m.Person.objects.filter(pk=instance.pk)
    if isinstance(instance, (m.Detention, m.OtherId)):
        return m.Person.objects.filter(pk=instance.person_id)
    if isinstance(instance, (m.Release, m.Stay, m.SentenceChange)):
        return m.Person.objects.filter(detentions=instance.detention_id)
    if isinstance(instance, m.Source):
        return m.Person.objects.filter(
            pk__in=m.Person.objects.filter(
                Q(sources=instance.pk) | Q(detentions__sources=instance.pk)
            ).values("pk")
        )
    return None


def _touch(instance) -> bool:
    """Note a change to ``instance``: the published people it belongs to
    changed now. Whether the public could see the change."""
    m = _models()
    if isinstance(instance, (m.Organization, m.Charge, m.Facility, m.LocalName)):
        return True
    if isinstance(instance, (m.ReleaseEvent, m.SanctionsEvent)):
        return instance.published or getattr(instance, "_published_before", False)
    if isinstance(instance, m.SanctionsTarget):
        # Public through the published acts that name it (privacy.sanctions_targets).
        return m.SanctionsEvent.objects.filter(targets=instance.pk, published=True).exists()
    public = False
    if isinstance(instance, m.Source):
        public = (
            any(
                model.objects.filter(sources=instance.pk, published=True).exists()
                for model in (m.ReleaseEvent, m.SanctionsEvent)
            )
            or m.SanctionsTarget.objects.filter(
                sources=instance.pk, sanctions_events__published=True
            ).exists()
        )
    people = _people_of(instance)
    if people is None:
        return public
    now = timezone.now()
    touched = people.filter(visibility=Visibility.PUBLISHED).update(public_changed_at=now)
    if touched and isinstance(instance, m.Person):
        instance.public_changed_at = now  # a later save() of it must not undo it
    return public or touched > 0


def _public_fields(person) -> list[str]:
    return public_field_names(type(person))


def _before_save(sender, instance, raw=False, **kwargs) -> None:
    """What the public saw of a person or an event before this save."""
    m = _models()
    if raw or instance.pk is None:
        return
    if isinstance(instance, m.Person):
        stored = m.Person.objects.filter(pk=instance.pk).values(
            *_public_fields(instance), "public_changed_at"
        )
        before = stored.first()
        if before is not None:
            # Never write back a time older than one set since this was read.
            instance.public_changed_at = before.pop("public_changed_at")
        instance._public_before = before
    elif isinstance(instance, (m.ReleaseEvent, m.SanctionsEvent)):
        instance._published_before = (
            type(instance).objects.filter(pk=instance.pk, published=True).exists()
        )


def _saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    m = _models()
    if isinstance(instance, m.Person) and not created:
        before = getattr(instance, "_public_before", None)
        after = m.Person.objects.filter(pk=instance.pk).values(*_public_fields(instance)).first()
        public = False
        if before != after:  # a private field alone changes nothing public
            was_public = (before or {}).get("visibility") == Visibility.PUBLISHED
            public = _touch(instance) or was_public
        bump_data_version(public=public)
        return
    bump_data_version(public=_touch(instance))


def _deleting(sender, instance, **kwargs) -> None:
    """Before a delete, while what the record belongs to is still there."""
    m = _models()
    if isinstance(instance, m.Person):
        bump_data_version(public=instance.visibility == Visibility.PUBLISHED)
    else:
        bump_data_version(public=_touch(instance))


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if not action.startswith("post_") or instance._meta.apps is not global_apps:
        return  # before the change, or not a record (a group's permissions, a migration)
    if instance._meta.app_label != "prisoners":
        return
    if reverse and pk_set is None:
        # Cleared from the other side: who lost a link is no longer known.
        bump_data_version(public=True)
        return
    records = [instance]
    if reverse:
        records = list(model.objects.filter(pk__in=pk_set))
    records_written(records)


def records_written(instances) -> None:
    """Note ``instances`` as changed (each one: no short cut), such as the
    records an import wrote in bulk, which sends no signals. The people
    themselves and those of detentions, releases, stays, sentence changes and
    other ids are touched in one UPDATE (one a record was most of a large
    import's write: a fifth for people, half for stays)."""
    m = _models()
    people, detentions, others, persons = set(), set(), [], []
    for instance in instances:
        if isinstance(instance, m.Person):
            people.add(instance.pk)
            persons.append(instance)
        elif isinstance(instance, (m.Detention, m.OtherId)):
            people.add(instance.person_id)
        elif isinstance(instance, (m.Release, m.Stay, m.SentenceChange)):
            detentions.add(instance.detention_id)
        else:
            others.append(instance)
    public = False
    for instance in others:
        public = _touch(instance) or public
    if people or detentions:
        # Two questions, each answered from an index: one with an OR across
        # the join to detentions read both tables whole, each batch of a
        # large import.
        published = m.Person.objects.filter(visibility=Visibility.PUBLISHED)
        ids = set(published.filter(pk__in=people).values_list("pk", flat=True))
        ids.update(published.filter(detentions__in=detentions).values_list("pk", flat=True))
        now = timezone.now()
        public = m.Person.objects.filter(pk__in=ids).update(public_changed_at=now) > 0 or public
        for person in persons:
            if person.pk in ids:
                person.public_changed_at = now  # a later save() of it must not undo it
    bump_data_version(public=public)


def connect_signals() -> None:
    for model in global_apps.get_app_config("prisoners").get_models():
        if getattr(model, "derived", False):
            continue  # stored figures follow the records; they are not records
        uid = f"data-version-{model._meta.label}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid + "-pre-save")
        post_save.connect(_saved, sender=model, dispatch_uid=uid + "-save")
        pre_delete.connect(_deleting, sender=model, dispatch_uid=uid + "-delete")
    m2m_changed.connect(_links_changed, dispatch_uid="data-version-m2m")
