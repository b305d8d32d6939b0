"""Writing many records quickly without losing their history.

Records are still saved one by one through their model's save(), which keeps
the rules (a detention's end, a person's status); what is batched is the rest:

- ``HistoryBatch``: one history row per record the import created or changed,
  with its many-to-many links, written in bulk. Saving with history on would
  write a row on every save() and one more on every many-to-many change: three
  rows for a new person with organizations and sources, and as many queries.
- ``Links``: the many-to-many rows of new records, inserted in bulk.
- ``References``: sources, organizations, charges and facilities named in the
  files, the new ones created in bulk with their history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import islice

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..models import Charge, Facility, Organization, Source

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


class Links:
    """Many-to-many rows of new records, inserted in bulk on flush()."""

    def __init__(self):
        self.pending: dict[models.ManyToManyField, list] = defaultdict(list)

    def add(self, instance: models.Model, attribute: str, targets: Iterable) -> None:
        field = type(instance)._meta.get_field(attribute)
        through = field.remote_field.through
        source = field.m2m_field_name() + "_id"
        target = field.m2m_reverse_field_name() + "_id"
        self.pending[field].extend(
            through(**{source: instance.pk, target: other.pk}) for other in targets
        )

    def flush(self) -> None:
        for field, rows in self.pending.items():
            field.remote_field.through.objects.bulk_create(rows, batch_size=CHUNK)
        self.pending.clear()


class References:
    """Sources, organizations, charges and facilities by their name; the ones
    not stored yet are created in bulk, with a history row each."""

    FIELD = {Source: "url", Organization: "name", Charge: "article", Facility: "name"}

    def __init__(self, names: dict[type, set[str]], user, via: str):
        self.cache: dict[type, dict[str, models.Model]] = {}
        for model, wanted in names.items():
            key = self.FIELD[model]
            found = self.cache[model] = {}
            for chunk in chunks(wanted):
                for obj in model.objects.filter(**{f"{key}__in": chunk}):
                    found[getattr(obj, key)] = obj
            new = [model(**{key: name}) for name in sorted(wanted - found.keys())]
            if new:
                model.objects.bulk_create(new, batch_size=CHUNK)
                model.history.bulk_history_create(
                    new, batch_size=CHUNK, default_user=user, default_change_reason=via
                )
                found.update((getattr(obj, key), obj) for obj in new)

    def get(self, model: type, name: str) -> models.Model:
        return self.cache[model][name]
