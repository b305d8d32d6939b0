"""Derived figures, stored so that a chart over 100,000 people is a read of
a few thousand rows (prisoners/stats/figures.py). Never edited, never
exported: stats/figures.py rebuilds them from the records whenever the
records changed."""

from django.db import models

from .events import ReleaseEvent


class HeldChange(models.Model):
    """From ``day`` on, until the next change, ``held`` recognized political
    prisoners were held: recognized_held_count(day) stored at the days it
    changes."""

    derived = True

    day = models.DateField(primary_key=True)
    held = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.day}: {self.held} held"


class ReleaseDay(models.Model):
    """Releases on ``day`` (first possible day) of people counted in totals."""

    derived = True

    day = models.DateField(primary_key=True)
    released = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.day}: {self.released} released"


class FacetCount(models.Model):
    """The counts beside the whole published list (PersonFilter.facets()
    with no filter): ``n`` people have ``value`` of ``facet``; ``position``
    keeps the order facets() gave, largest first."""

    derived = True

    facet = models.CharField(max_length=20)
    position = models.PositiveIntegerField()
    value = models.TextField()
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["facet", "position"], name="facet_count_position")
        ]

    def __str__(self) -> str:
        return f"{self.facet} {self.value}: {self.n}"


class EventCount(models.Model):
    """The releases recorded for a release event, stored: those of people
    counted in totals (``recorded``) and of published people (``named``),
    as ReleaseEvent.objects.with_recorded_count() counts them. An event
    without releases has no row."""

    derived = True

    # No foreign key constraint: the rows are rebuilt, never cascaded, and
    # deleting an event must not list them among what it deletes.
    release_event = models.OneToOneField(
        ReleaseEvent,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    recorded = models.PositiveIntegerField()
    named = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.release_event_id}: {self.recorded} recorded, {self.named} named"


class FigureBuild(models.Model):
    """Which state of the records the stored figures of ``name`` were built
    from: the newest history id of each table (figures._states())."""

    derived = True

    name = models.CharField(max_length=20, unique=True)
    records_state = models.TextField()

    def __str__(self) -> str:
        return f"{self.name}: {self.records_state}"


class ChangesDay(models.Model):
    """A past day (in TIME_ZONE) whose public changes are stored, as
    StoredChange rows (none when nothing changed that day): /changes/ reads
    them rather than replaying the history (prisoners/changes.py)."""

    derived = True

    day = models.DateField(primary_key=True)

    def __str__(self) -> str:
        return str(self.day)


class StoredChange(models.Model):
    """One change to the public list on a stored day: changes.Change as it
    was found in the history. Who may be named is decided when it is read
    (today's visibility), never here: ``person_pk`` is not a link, so that
    a person deleted since is still counted."""

    derived = True

    day = models.DateField()
    kind = models.CharField(max_length=30)
    person_pk = models.BigIntegerField()
    fields = models.TextField(blank=True)  # corrected: field names, ";"-separated
    detained_on_first = models.DateField(null=True)
    detained_on_precision = models.CharField(max_length=5, blank=True)
    released_on_first = models.DateField(null=True)
    released_on_precision = models.CharField(max_length=5, blank=True)
    release_type = models.CharField(max_length=30, blank=True)
    release_event_id = models.BigIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["day"], name="storedchange_day")]

    def __str__(self) -> str:
        return f"{self.day}: {self.kind} {self.person_pk}"


class ChangesState(models.Model):
    """One row: the earliest history_date of a history row written, changed
    or deleted after its day had settled (``stale_from``; triggers of
    migration 0029 note it), until changes.py drops the stored days from
    that day on and clears it; and what the stored days were found with."""

    derived = True

    stale_from = models.DateTimeField(null=True)
    # What the stored days were found with (changes._made_with()): the time
    # zone, the fields compared, the replay's version.
    made_with = models.TextField(blank=True)
    # How many times stored days were dropped: a request stores what it
    # replayed only if none were dropped since it looked (changes._store).
    drops = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"stale from {self.stale_from}"
