"""The write pass of an import, once everything checked out.

New people, with their detentions and releases, are inserted in bulk with
the columns their save() would derive (Person.derive_columns,
Detention.end_with and derive_term, then Person.derive_status);
stored records go through their model's save(), and only when something in
them changed, so importing the same files again writes nothing. Either way
one history row records who did it (saving.HistoryBatch).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.utils.translation import gettext_noop

from ..choices import KIND_OF_ACTION, SanctionsKind
from ..models import (
    Charge,
    Detention,
    EndReason,
    Facility,
    Organization,
    Person,
    Release,
    ReleaseEvent,
    SanctionsEvent,
    SanctionsTarget,
    Source,
)
from ..partial_dates import PartialDate
from .bulk_values import DETENTION_DATES, PERSON_DATES
from .changes import CREATED, UNCHANGED, UPDATED, Change, field_changes
from .columns import (
    EMPTY_DETENTION,
    FACILITIES,
    NAMES,
    PRISONERS,
    RELEASE_COLUMN_NAMES,
    RELEASE_EVENTS,
    SANCTIONS_EVENTS,
    SANCTIONS_TARGETS,
    SENTENCE_CHANGES,
    VISIBILITY_OF,
    Kind,
    detention_values,
    person_values,
)
from .event_values import release_event_values, sanctions_event_values
from .plans import (
    DETENTION_SCALARS,
    PERSON_SCALARS,
    PersonPlan,
    RowPlan,
    date_of,
    release_given,
    stays_open,
)
from .saving import HistoryBatch, Inserts, Links, References, chunks, new_record


@contextmanager
def _pending_end(detention: Detention, released_on: PartialDate | None):
    """Save a detention already ended by the release about to be saved.

    compute_end() reads the release from the database, where it is not yet: a
    detention saved first as open would break "one open detention per person"
    while the person has another, and would write a second history row. Around
    the release's own save, it spares reading back what was just written."""
    if released_on is None:
        yield
        return
    detention.compute_end = lambda: (EndReason.RELEASE, released_on)
    try:
        yield
    finally:
        del detention.compute_end


@contextmanager
def _status_later(person: Person, later: list):
    """Leave the person's status to be derived once for a whole chunk of
    people (PersonQuerySet.refresh_status, the one path that writes it),
    rather than on every save of the person and of each of their detentions."""
    person.refresh_status = lambda: None
    try:
        yield
    finally:
        del person.refresh_status
    if person.pk:
        later.append(person.pk)


# (column, many-to-many field, model of the names)
PERSON_M2M = [
    ("organizations", "organizations", Organization),
    ("person_sources", "sources", Source),
]
DETENTION_M2M = [("charges", "charges", Charge), ("sources", "sources", Source)]
# What the database refused, when the checks let a write through that it
# refuses (the importer says which, with the database's own words).
REFUSED_RECORD = gettext_noop("the database refused the record: %(error)s")
REFUSED_BULK = gettext_noop("the database refused the new records written in bulk: %(error)s")
REFUSED_IDENTITIES = gettext_noop(
    "the database refused the other ids and the people said different: %(error)s"
)
COLUMNS_OF = {
    k.name: k.by_name
    for k in (
        RELEASE_EVENTS,
        SANCTIONS_EVENTS,
        SANCTIONS_TARGETS,
        NAMES,
        FACILITIES,
        SENTENCE_CHANGES,
    )
}
# An event column that is a many-to-many field of another name.
M2M_FIELD = {"target": "targets"}
# Columns of whole days, stored as NULL when empty.
DAYS = ("effective_on", "expires_on")


class WritePass:
    """Writing what the files say (the Importer's last step)."""

    def write(self, user, via: str, history: bool = True) -> None:
        """``history=False`` (a dry run, rolled back) writes no history rows:
        nothing checks them, and they are a third of the time."""
        self.history = HistoryBatch(user, via, write=history)
        self.inserts = Inserts()
        self.links = Links()
        self.status_pending: list[int] = []
        self.changes: list[Change] = []
        self.references = References(self.names, user, via, history=history)
        self._write_facilities()  # facilities.FacilitiesPass
        self._write_names()  # names.NamesPass
        self._write_targets()  # targets.TargetsPass
        self._write_events(
            SANCTIONS_EVENTS, SanctionsEvent, sanctions_event_values, "sanctions events"
        )
        self._write_events(RELEASE_EVENTS, ReleaseEvent, release_event_values, "release events")
        wanted = {
            d.values["release_event"]
            for d in self.detentions.values()
            if "release_event" in d.values
        }
        self.release_event_pks = {}
        for chunk in chunks(wanted):
            self.release_event_pks.update(
                ReleaseEvent.objects.filter(event_id__in=chunk).values_list("event_id", "pk")
            )
        plans = self.progress(self.people.values(), len(self.people), "writing")
        for chunk in chunks(plans):
            stored = self._stored_people(chunk)
            new = [plan for plan in chunk if plan.person_id not in stored]
            for plan in chunk:
                self.writing = (plan.path, plan.line, REFUSED_RECORD)
                if plan.person_id in stored:
                    self._write_person(plan, stored[plan.person_id])
                else:
                    self._add_person(plan)
            if new:
                # Inserted together: the database cannot say which one it refused.
                self.writing = (new[0].path, new[0].line, REFUSED_BULK)
            self._flush()
        self._write_stays_only()
        self._write_sentence_changes()  # sentence_changes.SentenceChangesPass
        self.writing = ("-", 0, REFUSED_IDENTITIES)
        self.write_identities(user, via)
        # Bulk inserts send no signals: saving.HistoryBatch.flush() and
        # write_identities() tell the data version what they wrote; saves and
        # deletes send their own.

    def _flush(self) -> None:
        self.inserts.flush()
        self.history.flush(linked=self.links.flush())
        if self.status_pending:
            Person.objects.filter(pk__in=self.status_pending).refresh_status()
            self.status_pending = []

    def _write_events(self, kind: Kind, model, values_of, label: str) -> None:
        plans = self.events[kind]
        m2m = {"sources": Source}
        if kind is SANCTIONS_EVENTS:
            m2m["target"] = SanctionsTarget
        if kind is RELEASE_EVENTS:
            m2m["sanctions"] = SanctionsEvent
            wanted = {i for p in plans.values() for i in p.values.get("sanctions", ())}
            sanctions = {}
            for chunk in chunks(wanted):
                sanctions.update(
                    (e.event_id, e) for e in SanctionsEvent.objects.filter(event_id__in=chunk)
                )
        scalars = [c for c in kind.names if c not in m2m and c != "event_id"]
        for chunk in chunks(plans.values()):
            keys = [p.key for p in chunk]
            stored = {
                e.event_id: e
                for e in model.objects.filter(event_id__in=keys).prefetch_related(
                    *(M2M_FIELD.get(c, c) for c in m2m)
                )
            }
            for plan in chunk:
                self.writing = (plan.path, plan.line, REFUSED_RECORD)
                event = stored.get(plan.key)
                current = values_of(event) if event else {}
                final = dict(current) if event else {c.name: c.empty for c in kind.columns}
                for column in plan.present - plan.broken - {"event_id"}:
                    if column == "published" and not self.can_publish:
                        continue
                    final[column] = plan.values.get(column, kind.by_name[column].empty)
                final["published"] = bool(final["published"])
                if kind is SANCTIONS_EVENTS and not final["kind"]:
                    # A file written before kinds: the kind its action gives.
                    final["kind"] = KIND_OF_ACTION.get(final["action"], SanctionsKind.OTHER)
                changed = [c for c in scalars if final[c] != current.get(c, object())]
                if event is None:
                    event = model(event_id=plan.key)
                    self.history.add(event, "+")
                elif changed:
                    self.history.add(event, "~")
                for column in changed:
                    value = final[column]
                    setattr(event, column, value or None if column in DAYS else value)
                if changed:
                    event.save()
                m2m_changed = []
                for column, target in m2m.items():
                    if final[column] == current.get(column, ()):
                        continue
                    if target is Source:
                        objects = [self.references.get(Source, url) for url in final[column]]
                    elif target is SanctionsTarget:
                        objects = self.targets_named(final[column])
                    else:
                        objects = [sanctions[event_id] for event_id in final[column]]
                    self._set(event, M2M_FIELD.get(column, column), objects, created=not current)
                    m2m_changed.append(column)
                public = bool(current.get("published")) or final["published"]
                self._note(label, plan.key, public, changed + m2m_changed, current, final)
            self._flush()

    def _set(self, instance, attribute: str, objects: list, created: bool) -> None:
        """Set a many-to-many field: in bulk for a new record, else through the
        related manager (with one history row for the record)."""
        if created:
            self.links.add(instance, attribute, objects)
        else:
            self.history.add(instance, "~")
            getattr(instance, attribute).set(objects)

    def _count(self, label: str, created: bool, changed) -> None:
        self.counts[label][CREATED if created else UPDATED if changed else UNCHANGED] += 1

    def _note(self, label: str, key: str, public: bool, changed: list, current, final) -> None:
        """Count a record (``current`` empty: created) and note its Change
        for the preview, with the columns ``changed`` before and after."""
        self._count(label, not current, changed)
        self._change(label, key, public, changed, current, final)

    def _change(self, label: str, key: str, public: bool, changed: list, current, final) -> None:
        created = not current
        columns = COLUMNS_OF.get(label, PRISONERS.by_name)
        fields = () if created else field_changes(columns, changed, current, final)
        action = CREATED if created else UPDATED if changed else UNCHANGED
        self.changes.append(Change(label, key, action, public, fields))

    def _set_person_columns(self, person: Person, current: dict, final: dict) -> list[str]:
        """Set the person columns that differ from ``current``; their names."""
        changed = [c for c in PERSON_SCALARS if final[c] != current.get(c, object())]
        for column in changed:
            if column == "published":
                person.visibility = VISIBILITY_OF[final["published"]]
            elif column == "aliases":
                person.aliases = "; ".join(final["aliases"])
            elif column in PERSON_DATES:
                # Parsed once an import (dates.py), not again by the field.
                setattr(person, column, date_of(final[column]))
            else:
                setattr(person, column, final[column])
        return changed

    def _set_detention_columns(self, detention: Detention, current: dict, final: dict) -> list[str]:
        """Set the detention columns that differ from ``current``; their names."""
        changed = [c for c in DETENTION_SCALARS if final[c] != current[c]]
        for column in changed:
            if column == "facility":
                name = final["facility"]
                detention.facility = self.references.get(Facility, name) if name else None
            elif column in DETENTION_DATES:
                setattr(detention, column, date_of(final[column]))
            else:
                setattr(detention, column, final[column])
        return changed

    def _set_release_columns(self, release: Release, final: dict) -> None:
        release.released_on = date_of(final["released_on"])
        release.release_type = final["release_type"]
        event_id = final["release_event"]
        release.release_event_id = self.release_event_pks[event_id] if event_id else None
        release.released_to = final["released_to"]

    def _insert(self, instance) -> None:
        self.history.add(instance, "+")
        self.inserts.add(instance)

    def _add_person(self, plan: PersonPlan) -> None:
        """A new person, their detentions and releases: inserted in bulk on
        _flush(), with the columns their save() would derive, status too
        (from the detentions built here: no UPDATE of each new row after)."""
        final = self._final_person(plan, None)
        person = new_record(Person, person_id=plan.person_id)
        self._set_person_columns(person, {}, final)
        person.derive_columns()
        self._insert(person)
        self._set_m2m(person, {}, final, PERSON_M2M)
        public = final["published"] == "yes"
        self._note("people", plan.person_id, public, [], {}, final)
        detentions = []
        for row, _stored, values in self._final_detentions(plan, None):
            detention = new_record(Detention, detention_id=row.key, person=person)
            detentions.append(detention)
            self._set_detention_columns(detention, EMPTY_DETENTION, values)
            given = release_given(values)
            released_on = date_of(values["released_on"]) if given else None
            detention.end_reason, detention.ended_on = detention.end_with(released_on)
            # New: no sentence change yet (sentence_changes.csv saves its own).
            detention.derive_term(changes=[])
            self._insert(detention)
            self._set_m2m(detention, {}, values, DETENTION_M2M)
            self._note("detentions", row.key, public, [], {}, values)
            self._write_stays(detention, None, values, public)
            if given:
                release = new_record(Release, detention=detention)
                self._set_release_columns(release, values)
                self._insert(release)
                self._count("releases", True, True)
        person.derive_status(detentions)

    def _write_person(self, plan: PersonPlan, stored: Person) -> None:
        """A stored person: saved (with their detentions and releases) only
        where something changed."""
        final = self._final_person(plan, stored)
        detentions = self._final_detentions(plan, stored)
        current = person_values(stored)
        changed = self._set_person_columns(stored, current, final)
        public = "yes" in (current["published"], final["published"])
        # Closed detentions first: the one left open comes last, so that at no
        # moment does the person have two.
        detentions.sort(key=lambda d: stays_open(d[2], final["died_on"]))
        with _status_later(stored, self.status_pending):
            for row, detention, values in detentions:
                if row is not None:
                    self.writing = (row.path, row.line, REFUSED_RECORD)
                    self._write_detention(stored, row, detention, values, public)
            self.writing = (plan.path, plan.line, REFUSED_RECORD)
            if changed:
                self.history.add(stored, "~")
                stored.save()
        m2m_changed = self._set_m2m(stored, current, final, PERSON_M2M)
        self._note("people", plan.person_id, public, changed + m2m_changed, current, final)

    def _set_m2m(self, instance, current: dict, final: dict, fields) -> list[str]:
        """Set the many-to-many fields whose names differ from ``current``
        (empty for a new record); the columns that did."""
        changed = []
        for column, attribute, model in fields:
            if final[column] != current.get(column, ()):
                objects = [self.references.get(model, name) for name in final[column]]
                self._set(instance, attribute, objects, created=not current)
                changed.append(column)
        return changed

    def _write_detention(
        self, person, row: RowPlan, stored: Detention | None, final, public: bool
    ) -> None:
        """A detention of a stored person, and its release, saved; noted as
        updated when the release changes too."""
        current = detention_values(stored) if stored else EMPTY_DETENTION
        detention = stored or Detention(detention_id=row.key)
        detention.person = person
        changed = self._set_detention_columns(detention, current, final)
        given = release_given(final)
        release_columns = [c for c in RELEASE_COLUMN_NAMES if final[c] != current[c]]
        release_changed = bool(release_columns)
        if changed or stored is None:
            self.history.add(detention, "+" if stored is None else "~")
            released_on = date_of(final["released_on"]) if given else None
            with _pending_end(detention, released_on):
                detention.save()
        m2m_changed = self._set_m2m(detention, current if stored else {}, final, DETENTION_M2M)
        self._write_stays(detention, stored, final, public)
        self._count("detentions", stored is None, changed or m2m_changed)
        # A detention row carries its release: one change for both.
        everything = changed + m2m_changed + release_columns
        self._change("detentions", row.key, public, everything, current if stored else {}, final)
        release = getattr(stored, "release", None) if stored else None
        if release_changed and given:
            created = release is None
            if created:
                release = Release(detention=detention)
            self.history.add(release, "+" if created else "~")
            release.detention = detention
            self._set_release_columns(release, final)
            # The detention's end is known: no need to read it back.
            with _pending_end(detention, date_of(final["released_on"])):
                release.save()
            self._count("releases", created, True)
        elif release_changed:
            release.detention = detention
            release.delete()
            self.counts["releases"]["deleted"] += 1
        elif given:
            self._count("releases", False, False)
