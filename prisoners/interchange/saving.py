"""Writing many records quickly without losing their history.

Stored records that change are saved one by one through their model's
save(), which keeps the rules (a detention's end, a person's status); new
records are inserted in bulk with the columns save() would derive (the
importer computes them with the models' helpers). What is batched:

- ``Inserts``: new records, inserted in bulk model by model.
- ``HistoryBatch``: one history row per record the import created or changed,
  with its many-to-many links, written in bulk. Saving with history on would
  write a row on every save() and one more on every many-to-many change: three
  rows for a new person with organizations and sources, and as many queries.
- ``Links``: the many-to-many rows of new records, inserted in bulk.
- ``References``: sources, organizations, charges and facilities named in the
  files, the new ones created in bulk with their history.

bulk_create sends no signals: whoever uses these bumps the page cache's data
version (prisoners/data_version.py) once the writing is done.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import islice

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..data_version import records_written
from ..models import Charge, Facility, Organization, Person, Source
from ..models.references import free_facility_ids

CHUNK = 500


def chunks(items: Iterable, size: int = CHUNK):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class HistoryBatch:
    """History rows waiting to be written: ``add()`` marks a record so that its
    own saves write none, ``flush()`` writes one row for each record added."""

    def __init__(self, user, via: str):
        self.user, self.via = user, via
        self.pending: dict[type, dict[int, tuple[models.Model, str]]] = defaultdict(dict)

    @staticmethod
    def quiet(instance: models.Model) -> models.Model:
        """Save ``instance`` without history rows of its own (simple-history's
        documented switch); the batch writes them."""
        instance.skip_history_when_saving = True
        return instance

    def add(self, instance: models.Model, history_type: str) -> None:
        """Record ``instance`` as created (``+``) or changed (``~``) once saved;
        a record created in this import stays ``+``."""
        self.quiet(instance)
        pending = self.pending[type(instance)]
        earlier = pending.get(id(instance))
        pending[id(instance)] = (instance, earlier[1] if earlier else history_type)

    def flush(self) -> None:
        now = timezone.now()
        # Saved people said what changed through their signals; the rest
        # were inserted in bulk, without signals.
        records_written(
            instance
            for pending in self.pending.values()
            for instance, history_type in pending.values()
            if not (isinstance(instance, Person) and history_type == "~")
        )
        for model, pending in self.pending.items():
            history_model = model.history.model
            items = list(pending.values())
            rows = [
                history_model(
                    history_date=now,
                    history_type=history_type,
                    history_user=self.user,
                    history_change_reason=self.via,
                    **{
                        f.attname: getattr(instance, f.attname)
                        for f in history_model.tracked_fields
                    },
                )
                for instance, history_type in items
            ]
            history_model.objects.bulk_create(rows)
            for field in history_model._history_m2m_fields:
                self._m2m_rows(field, rows)
        self.pending.clear()

    @staticmethod
    def _m2m_rows(field: models.ManyToManyField, rows: list) -> None:
        """Copy the many-to-many rows of each record into its history row, as
        simple-history does on save."""
        through = field.remote_field.through
        source = field.m2m_field_name() + "_id"
        target = field.m2m_reverse_field_name() + "_id"
        history_of = {row.id: row for row in rows}
        links = through.objects.filter(**{f"{source}__in": list(history_of)}).values_list(
            "id", source, target
        )
        m2m_history_model = HistoricalRecords.m2m_models[field]
        m2m_history_model.objects.bulk_create(
            m2m_history_model(id=pk, history=history_of[owner], **{source: owner, target: other})
            for pk, owner, other in links
        )


class Inserts:
    """New records inserted in bulk on flush(), model by model in the order
    each model was first added: add a person before their detentions and a
    detention before its release, and each row's foreign key is set from the
    primary key bulk_create gave its parent (PostgreSQL and SQLite return them)."""

    def __init__(self):
        self.pending: dict[type, list[models.Model]] = defaultdict(list)

    def add(self, instance: models.Model) -> None:
        self.pending[type(instance)].append(instance)

    def flush(self) -> None:
        for model, instances in self.pending.items():
            model.objects.bulk_create(instances, batch_size=CHUNK)
        self.pending.clear()


class Links:
    """Many-to-many rows of new records, inserted in bulk on flush(). The
    record may be one that Inserts has yet to write: its primary key is read
    on flush()."""

    def __init__(self):
        self.pending: dict[models.ManyToManyField, list] = defaultdict(list)

    def add(self, instance: models.Model, attribute: str, targets: Iterable) -> None:
        field = type(instance)._meta.get_field(attribute)
        self.pending[field].extend((instance, other) for other in targets)

    def flush(self) -> None:
        for field, pairs in self.pending.items():
            through = field.remote_field.through
            source = field.m2m_field_name() + "_id"
            target = field.m2m_reverse_field_name() + "_id"
            through.objects.bulk_create(
                (through(**{source: owner.pk, target: other.pk}) for owner, other in pairs),
                batch_size=CHUNK,
            )
        self.pending.clear()


class References:
    """Sources, organizations, charges and facilities by their name; the ones
    not stored yet are created in bulk, with a history row each.

    Two imports naming the same new source at the same moment both create
    it: the second's insert waits for the first to commit, then breaks the
    unique name. That insert is undone alone (a savepoint) and the names are
    taken one by one, each created or, when the other import has just
    created it, read: both imports succeed, and the source exists once."""

    FIELD = {Source: "url", Organization: "name", Charge: "article", Facility: "name"}

    def __init__(self, names: dict[type, set[str]], user, via: str):
        self.user, self.via = user, via
        self.cache: dict[type, dict[str, models.Model]] = {}
        for model, wanted in names.items():
            key = self.FIELD[model]
            found = self.cache[model] = {}
            if model is Facility:
                found.update(self._facilities(wanted))
            else:
                for chunk in chunks(wanted):
                    for obj in model.objects.filter(**{f"{key}__in": chunk}):
                        found[getattr(obj, key)] = obj
            missing = sorted(wanted - found.keys())
            if missing:
                found.update((getattr(obj, key), obj) for obj in self._create(model, key, missing))

    @staticmethod
    def _facilities(names: set[str]) -> dict[str, Facility]:
        """The stored facilities of these names, in any case (one facility).
        Compared in Python: SQLite's LOWER() folds ASCII letters only, and
        the facilities are a short list."""
        by_lower = {facility.name.lower(): facility for facility in Facility.objects.all()}
        return {name: by_lower[name.lower()] for name in names if name.lower() in by_lower}

    @staticmethod
    def _new(model: type, key: str, names: list[str]) -> list[models.Model]:
        if model is Facility:
            # One record for a name written in several cases in the files.
            names = list({name.lower(): name for name in reversed(names)}.values())
            ids = free_facility_ids(names)
            return [Facility(name=name, facility_id=ids[name]) for name in names]
        return [model(**{key: name}) for name in names]

    def _create(self, model: type, key: str, names: list[str]) -> list[models.Model]:
        """The records named, created with their history rows, or read when
        another import has created them since they were looked up."""
        new = self._new(model, key, names)
        try:
            with transaction.atomic():
                created = model.objects.bulk_create(new, batch_size=CHUNK)
        except IntegrityError:
            new, created = [], []
            for name in names:
                try:
                    with transaction.atomic():
                        # bulk_create: no signal, so no history row of its own.
                        created += model.objects.bulk_create(self._new(model, key, [name]))
                        new.append(created[-1])
                except IntegrityError:
                    new.append(
                        self._facilities({name})[name]
                        if model is Facility
                        else model.objects.get(**{key: name})
                    )
        if created:
            model.history.bulk_history_create(
                created, batch_size=CHUNK, default_user=self.user, default_change_reason=self.via
            )
        return new

    def get(self, model: type, name: str) -> models.Model:
        found = self.cache[model]
        if model is Facility and name not in found:
            found[name] = self._facilities({name})[name]
        return found[name]
