"""Each history row of people, detentions and releases knows when a later
row of its record took over (``superseded_at``, kept by triggers: migration
0027), whoever wrote the rows: the admin, the importer, a merge and its
undo, a delete and a restore, a revert, and a history_date rewritten."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from prisoners import as_of, merging
from prisoners.interchange.importer import run_import
from prisoners.models import Detention, Person, Release
from tests.admin_forms import revert_data
from tests.factories import DetentionFactory, PersonFactory, ReleaseFactory
from tests.test_admin_history import _deleted_person
from tests.test_admin_person import change_url, detention_row, errors_of, person_data
from tests.test_merge import two  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

HISTORIES = [Person.history.model, Detention.history.model, Release.history.model]
PRISONERS = "person_id,name,published,person_sources,detained_on,sentence_type\n"


def expected(history) -> dict[int, datetime | None]:
    """superseded_at by history_id, worked out from the rows: the earliest
    history_date of the record's later rows, None on its latest."""
    rows = list(
        history.objects.order_by("history_id").values_list("history_id", "id", "history_date")
    )
    return {
        history_id: min(
            (date for later_id, pk, date in rows if pk == record and later_id > history_id),
            default=None,
        )
        for history_id, record, _date in rows
    }


def stored(history) -> dict[int, datetime | None]:
    return dict(history.objects.values_list("history_id", "superseded_at"))


def assert_superseded_right() -> None:
    for history in HISTORIES:
        assert stored(history) == expected(history), history.__name__


def ends(record) -> list[datetime | None]:
    """``record``'s history rows: when each stopped being the latest."""
    return list(record.history.order_by("history_id").values_list("superseded_at", flat=True))


def test_a_save_ends_the_row_before_it_and_the_latest_row_has_no_end():
    release = ReleaseFactory()
    person = release.detention.person
    person.bio = "Corrected"
    person.save()

    *_, first, second = person.history.order_by("history_id")
    assert first.superseded_at == second.history_date
    assert second.superseded_at is None
    assert_superseded_right()


def test_an_admin_save_ends_the_rows_before_it(client, curator):
    client.force_login(curator)
    detention = DetentionFactory(detained_on="2021")
    person = detention.person
    row = detention_row(detention, detained_on="2021-07-14")
    response = client.post(change_url(person), person_data(person, [row], region="Minsk"))
    assert response.status_code == 302, errors_of(response)

    assert ends(person)[-1] is None
    assert None not in ends(person)[:-1]
    assert ends(detention)[-1] is None
    assert_superseded_right()


def test_an_import_ends_the_rows_it_updates():
    files = [
        (
            "p.csv",
            (
                PRISONERS + "viasna-1,Ales Bialiatski,yes,https://e.org/a,2021-07-14,colony\n"
            ).encode(),
        )
    ]
    assert run_import(files, user=None).ok
    files = [
        (
            "p.csv",
            (
                PRISONERS + "viasna-1,Ales Bialiacki,yes,https://e.org/a,2021-07-14,colony\n"
            ).encode(),
        )
    ]
    assert run_import(files, user=None).ok

    ales = Person.objects.get(person_id="viasna-1")
    *_, first, second = ales.history.order_by("history_id")
    assert first.superseded_at == second.history_date
    assert second.superseded_at is None
    assert_superseded_right()


def test_a_merge_and_its_undo_keep_every_end(two, editor):  # noqa: F811
    kept, absorbed = two
    record = merging.merge(kept, absorbed, ["born", "bio"], editor)
    assert_superseded_right()
    assert Person.history.filter(id=absorbed.pk).latest("history_id").history_type == "-"

    merging.undo(record, editor)
    assert_superseded_right()
    assert ends(absorbed)[-1] is None


def test_a_delete_ends_the_record_and_a_restore_starts_it_again(client, editor):
    person, _release, _detention = _deleted_person()
    pk = person.pk
    client.force_login(editor)
    client.post(reverse("admin:prisoners_person_delete", args=[pk]), {"post": "yes"})
    assert_superseded_right()
    deleted = Person.history.filter(id=pk).latest("history_id")
    assert deleted.history_type == "-"
    assert not as_of.latest_rows(Person, timezone.now() + timedelta(days=1), id=pk).exists()

    client.post(reverse("admin:prisoners_person_restore", args=[deleted.history_id]))
    assert Person.objects.filter(pk=pk).exists()
    assert_superseded_right()
    assert as_of.latest_rows(Person, timezone.now() + timedelta(days=1), id=pk).exists()


def test_a_revert_ends_the_row_it_follows(client, curator):
    client.force_login(curator)
    person = DetentionFactory().person
    old = person.history.order_by("history_id").last()
    person.bio = "Changed"
    person.save()
    url = reverse("admin:prisoners_person_simple_history", args=[person.pk, old.history_id])
    data = revert_data(client, url, person)
    assert client.post(url, data).status_code == 302
    assert ends(person)[-1] is None
    assert len(ends(person)) >= 3
    assert_superseded_right()


def test_a_rewritten_history_date_moves_the_end_of_the_row_before():
    person = PersonFactory()
    person.bio = "Corrected"
    person.save()
    *_, first, second = person.history.order_by("history_id")
    earlier = first.history_date + timedelta(hours=1)
    Person.history.filter(history_id=second.history_id).update(history_date=earlier)

    first.refresh_from_db()
    assert first.superseded_at == earlier
    assert_superseded_right()


def test_the_row_in_force_is_the_last_written_before_the_moment():
    person = PersonFactory(bio="First")
    person.bio = "Second"
    person.save()
    second = person.history.latest("history_id")

    def bio_at(moment):
        return as_of.latest_rows(Person, moment, id=person.pk).values_list("bio", flat=True)

    assert list(bio_at(person.history.earliest("history_id").history_date)) == []
    assert list(bio_at(second.history_date)) == ["First"]
    assert list(bio_at(second.history_date + timedelta(microseconds=1))) == ["Second"]
