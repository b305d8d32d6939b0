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

from django.db import IntegrityError, connections, models, router, transaction
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

    def __init__(self, user, via: str, write: bool = True):
        self.user, self.via, self.write = user, via, write
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

    def flush(self, linked: dict | None = None) -> None:
        """``linked``: the many-to-many rows Links.flush() has just written,
        those of the records created here (history ``+``) in full."""
        if not self.write:
            self.pending.clear()
            return
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
            write_history(model, pending.values(), self.user, self.via, now, linked)
        self.pending.clear()


def write_history(
    model: type, items: Iterable[tuple], user, via: str, now=None, linked: dict | None = None
) -> None:
    """One history row for each ``(record, history type)`` of ``model``, with
    its many-to-many links, as simple-history writes on save. A created
    record's links are taken from ``linked`` (HistoryBatch.flush) when given."""
    now = now or timezone.now()
    user_id = user.pk if user is not None else None
    history_model = model.history.model
    tracked = [f.attname for f in history_model.tracked_fields]
    columns = ["history_date", "history_type", "history_user_id", "history_change_reason"]
    items = list(items)
    values = [
        (now, history_type, user_id, via, *(getattr(record, a) for a in tracked))
        for record, history_type in items
    ]
    ids = insert_rows(history_model, columns + tracked, values)
    at = len(columns) + tracked.index("id")
    owners = {history_id: row[at] for history_id, row in zip(ids, values, strict=True)}
    created = {record.pk for record, history_type in items if history_type == "+"}
    for field in history_model._history_m2m_fields:
        _m2m_history(field, owners, created if linked is not None else set(), linked or {})


def _m2m_history(
    field: models.ManyToManyField, owners: dict[int, int], created: set, linked: dict
) -> None:
    """Copy the many-to-many rows of each record into its history row
    (``owners``: the record's pk by its history row's), as simple-history
    does on save. The ``created`` records' rows are the ones ``linked``
    holds (Links.flush(): a new record has no others), not read back."""
    through = field.remote_field.through
    source = field.m2m_field_name() + "_id"
    target = field.m2m_reverse_field_name() + "_id"
    history_of = {owner: history_id for history_id, owner in owners.items()}
    m2m_history_model = HistoricalRecords.m2m_models[field]
    rows = [
        (pk, history_of[owner], owner, other)
        for pk, owner, other in linked.get(field, ())
        if owner in created and owner in history_of
    ]
    stored = [owner for owner in history_of if owner not in created]
    for chunk in chunks(stored):
        links = through.objects.filter(**{f"{source}__in": chunk}).values_list("id", source, target)
        rows += [(pk, history_of[owner], owner, other) for pk, owner, other in links]
    insert_rows(m2m_history_model, ["id", "history_id", source, target], rows, ids=False)


def insert_rows(model: type, columns: list[str], rows: list[tuple], ids: bool = True) -> list:
    """Insert ``rows`` (values of ``columns``, as Python values) into
    ``model``'s table; the primary keys given, in order, when ``ids``.
    PostgreSQL gets them by COPY, with keys taken from the table's sequence
    first: bulk_create would build a model instance and adapt each value of
    every row, most of a large import's time. Other databases: bulk_create."""
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        objs = model.objects.bulk_create(
            (model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=CHUNK
        )
        return [obj.pk for obj in objs] if ids else []
    table, pk = model._meta.db_table, model._meta.pk.column
    quote = connection.ops.quote_name
    keys = []
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, len(rows)],
            )
            keys = [key for (key,) in cursor.fetchall()]
            columns, rows = (
                [pk, *columns],
                [(key, *row) for key, row in zip(keys, rows, strict=True)],
            )
        names = ", ".join(quote(column) for column in columns)
        with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return keys


def insert_records(model: type, instances: list[models.Model]) -> list[models.Model]:
    """Insert new ``instances`` of ``model`` and give each its primary key,
    as bulk_create does (a foreign key to a record inserted before is read
    from it now), without its per-value cost on PostgreSQL (insert_rows)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for field in fields:
        if field.is_relation:
            for instance in instances:
                if getattr(instance, field.attname) is None and field.is_cached(instance):
                    setattr(instance, field.attname, field.get_cached_value(instance).pk)
    rows = [tuple(getattr(i, f.attname) for f in fields) for i in instances]
    keys = insert_rows(model, [f.column for f in fields], rows)
    for instance, key in zip(instances, keys, strict=True):
        instance.pk = key
        instance._state.adding, instance._state.db = False, router.db_for_write(model)
    return instances


# Each model's fields with their default, or the callable that makes one.
_DEFAULTS: dict[type, list[tuple[bool, object]]] = {}


def new_record(model: type, **values) -> models.Model:
    """``model(**values)`` for the many records an import inserts, for
    less: the defaults are worked out once a model (one given as a
    callable is still called for each record) and passed by position, the
    path Django takes for rows it loads, and ``values`` are then set as
    attributes (the way the keywords would be: related records, partial
    dates). Keywords take Django's slow path for every field."""
    defaults = _DEFAULTS.get(model)
    if defaults is None:
        defaults = _DEFAULTS[model] = [
            (True, field.default)
            if field.has_default() and callable(field.default)
            else (False, field.get_default())
            for field in model._meta.concrete_fields
        ]
    instance = model(*(default() if made else default for made, default in defaults))
    for name, value in values.items():
        setattr(instance, name, value)
    return instance


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
            insert_records(model, instances)
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

    def flush(self) -> dict:
        """Write the rows; give them, ``(pk, owner's pk, other's pk)`` by field,
        for the owners' history rows (HistoryBatch.flush)."""
        written = {}
        for field, pairs in self.pending.items():
            through = field.remote_field.through
            source = field.m2m_field_name() + "_id"
            target = field.m2m_reverse_field_name() + "_id"
            rows = [(owner.pk, other.pk) for owner, other in pairs]
            keys = insert_rows(through, [source, target], rows)
            written[field] = [(key, *row) for key, row in zip(keys, rows, strict=True)]
        self.pending.clear()
        return written


class References:
    """Sources, organizations, charges and facilities by their name; the ones
    not stored yet are created in bulk, with a history row each.

    Two imports naming the same new source at the same moment both create
    it: the second's insert waits for the first to commit, then breaks the
    unique name. That insert is undone alone (a savepoint) and the names are
    taken one by one, each created or, when the other import has just
    created it, read: both imports succeed, and the source exists once.

    ``history=False`` (a dry run, rolled back): the new ones get no history
    rows, as HistoryBatch(write=False)."""

    FIELD = {Source: "url", Organization: "name", Charge: "article", Facility: "name"}

    def __init__(self, names: dict[type, set[str]], user, via: str, history: bool = True):
        self.user, self.via, self.history = user, via, history
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
        return [new_record(model, **{key: name}) for name in names]

    def _create(self, model: type, key: str, names: list[str]) -> list[models.Model]:
        """The records named, created with their history rows, or read when
        another import has created them since they were looked up."""
        new = self._new(model, key, names)
        try:
            with transaction.atomic():
                created = insert_records(model, new)
        except IntegrityError:
            new, created = [], []
            for name in names:
                try:
                    with transaction.atomic():
                        # A bulk insert: no signal, so no history row of its own.
                        created += insert_records(model, self._new(model, key, [name]))
                        new.append(created[-1])
                except IntegrityError:
                    new.append(
                        self._facilities({name})[name]
                        if model is Facility
                        else model.objects.get(**{key: name})
                    )
        if self.history:
            write_history(model, ((record, "+") for record in created), self.user, self.via)
        return new

    def get(self, model: type, name: str) -> models.Model:
        found = self.cache[model]
        if model is Facility and name not in found:
            found[name] = self._facilities({name})[name]
        return found[name]
