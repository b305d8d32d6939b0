"""/changes/ stores what changed on each settled day and reads it back
(prisoners/changes.py, migration 0029): the same answer as replaying the
history, no day stored twice, today never stored, and a write that reaches
back into a stored day makes it replayed again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from prisoners import changes, privacy
from prisoners.as_of import end_of
from prisoners.choices import ChangeKind
from prisoners.models import ChangesDay, ChangesState, Person, StoredChange
from tests.factories import PersonFactory
from tests.test_changes_as_of import DAY, on_day, story  # noqa: F401 (a fixture)

# Every test starts from the story of test_changes_as_of (days 1 to 5 of March 2025).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("story")]


def answer(start, end) -> list:
    """Every group of changes_between(), each change with all it says."""
    found = changes.changes_between(start, end, privacy.people())
    return [
        (
            group.kind,
            group.not_named,
            [
                (c.day, c.person_pk, c.fields, c.detained_on, c.released_on, c.release_type)
                for c in group.changes
            ],
        )
        for group in found.groups
    ]


def forget_stored() -> None:
    StoredChange.objects.all().delete()
    ChangesDay.objects.all().delete()


def stale_from():
    return ChangesState.objects.get().stale_from


def test_settled_days_are_stored_and_read_back_as_the_history_replays_them():
    replayed = answer(DAY[1], DAY[9])
    assert sorted(ChangesDay.objects.values_list("day", flat=True)) == list(DAY.values())
    assert StoredChange.objects.filter(kind=ChangeKind.ADDED).count() == 2  # Ales, Maria

    assert answer(DAY[1], DAY[9]) == replayed
    inside = answer(DAY[3], DAY[4])
    forget_stored()
    assert answer(DAY[3], DAY[4]) == inside
    # Part stored (days 3 and 4), part replayed.
    assert answer(DAY[2], DAY[6]) == answer(DAY[2], DAY[6])
    forget_stored()
    assert answer(DAY[1], DAY[9]) == replayed


def test_today_and_the_days_not_yet_settled_are_never_stored():
    today = timezone.localdate()
    maria = Person.objects.get(person_id="maria")
    maria.occupation = "teacher"
    maria.save()

    first = answer(today - timedelta(days=3), today)
    stored = set(ChangesDay.objects.values_list("day", flat=True))
    assert today not in stored
    assert all(end_of(day) <= timezone.now() - changes.SETTLED for day in stored)
    corrected = {kind: rows for kind, _n, rows in first}[ChangeKind.CORRECTED]
    assert [(day, fields) for day, _pk, fields, *_ in corrected] == [(today, ["occupation"])]
    assert answer(today - timedelta(days=3), today) == first


def test_a_write_that_reaches_back_into_a_stored_day_is_found_once():
    answer(DAY[1], DAY[9])
    assert stale_from() is None

    with on_day(DAY[7]):
        PersonFactory(person_id="late", name="Late Entry")
    assert stale_from() is not None
    added = {kind: rows for kind, _n, rows in answer(DAY[1], DAY[9])}[ChangeKind.ADDED]

    late = Person.objects.get(person_id="late").pk
    assert [(day, pk) for day, pk, *_ in added if pk == late] == [(DAY[7], late)]
    assert stale_from() is None
    assert StoredChange.objects.filter(person_pk=late).count() == 1
    assert ChangesDay.objects.filter(day=DAY[7]).count() == 1


def test_a_history_row_deleted_from_a_stored_day_is_no_longer_counted():
    maria = Person.objects.get(person_id="maria")
    answer(DAY[1], DAY[9])

    # A hand-made fix: Maria's rows of day 2 removed, as if never written.
    maria.history.filter(history_date__lt=end_of(DAY[2])).delete()
    assert stale_from() is not None
    added = {kind: rows for kind, _n, rows in answer(DAY[1], DAY[9])}[ChangeKind.ADDED]
    assert maria.pk not in [pk for _day, pk, *_ in added]


def test_writes_of_the_present_leave_the_stored_days_alone():
    answer(DAY[1], DAY[9])
    stored = StoredChange.objects.count()

    # Saving today ends Maria's row of day 2 (its superseded_at is updated)
    # and writes a row of today: neither reaches back into a stored day.
    maria = Person.objects.get(person_id="maria")
    maria.region = "Hrodna"
    maria.save()
    assert stale_from() is None
    assert StoredChange.objects.count() == stored


def test_days_stored_by_two_requests_at_once_are_stored_once():
    drops = changes._drop_stale()
    found = changes._replayed(DAY[1], DAY[9])
    changes._store(list(DAY.values()), found, drops)
    changes._store(list(DAY.values()), found, drops)

    assert StoredChange.objects.count() == len(found) > 0
    assert ChangesDay.objects.count() == len(DAY)


def test_days_stored_in_another_time_zone_are_found_again(settings):
    answer(DAY[1], DAY[9])
    # A stored answer no replay gives: it must not be read in another zone.
    StoredChange.objects.update(kind=ChangeKind.DIED)

    settings.TIME_ZONE = "UTC" if settings.TIME_ZONE != "UTC" else "Europe/Minsk"
    kinds = {kind for kind, _n, rows in answer(DAY[1], DAY[9]) if rows}
    assert ChangeKind.DIED not in kinds
    assert ChangeKind.ADDED in kinds
    assert not StoredChange.objects.filter(kind=ChangeKind.DIED).exists()


def test_a_period_over_days_stored_here_and_there_is_found_as_replayed():
    replayed = answer(DAY[1], DAY[9])
    forget_stored()
    for day in (DAY[2], DAY[4], DAY[6], DAY[8]):
        answer(day, day)

    assert answer(DAY[1], DAY[9]) == replayed
    assert ChangesDay.objects.count() == len(DAY)
    assert answer(DAY[1], DAY[9]) == replayed


def test_what_was_replayed_before_a_write_reached_back_is_not_stored():
    drops = changes._drop_stale()
    found = changes._replayed(DAY[1], DAY[9])
    # Meanwhile: a write into day 7, and another request drops the days.
    with on_day(DAY[7]):
        PersonFactory(person_id="late", name="Late Entry")
    changes._store(list(DAY.values()), found, drops)
    assert not ChangesDay.objects.exists()

    assert changes._drop_stale() == drops + 1
    changes._store(list(DAY.values()), found, drops)
    assert not ChangesDay.objects.exists()


def test_the_triggers_that_keep_the_history_in_step_are_installed():
    """A migration that rebuilds a history table (SQLite remakes a table for
    most changes) drops its triggers silently: this says so."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names = {name for (name,) in cursor.fetchall()}
    for table in ("historicalperson", "historicaldetention", "historicalrelease"):
        for event in ("insert", "delete", "update"):
            assert f"prisoners_{table}_changes_stale_{event}" in names
            assert f"prisoners_{table}_superseded_{event}" in names
