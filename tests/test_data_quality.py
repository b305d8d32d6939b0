"""The data-quality page: probable duplicates (dismissable), published
people with unsourced detentions, open detentions past their sentence,
release events over their announced count, records not reviewed; and the
counts on the admin index."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from prisoners.models import NotSameAs, Person
from prisoners.stats import quality
from tests.factories import (
    DetentionFactory,
    PersonFactory,
    ReleaseEventFactory,
    ReleaseFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

PAGE = reverse("prisoners_quality")
NOT_SAME = reverse("prisoners_quality_not_same")


def _pair_keys():
    pairs = quality.describe(quality.probable_duplicates())
    return {(p.first.person_id, p.second.person_id) for p in pairs}


def test_it_pairs_people_whose_spellings_and_births_match():
    PersonFactory(person_id="ales-1", name="Ales Bialiatski", born="1962")
    PersonFactory(person_id="ales-2", name="Алесь Бяляцкі", born="1962-09-25")
    PersonFactory(person_id="ales-3", name="Bialiatski Ales", born="1970")
    PersonFactory(person_id="ales-4", name="Ales Bialiatski", visibility="draft")
    assert _pair_keys() == {
        ("ales-1", "ales-2"),
        ("ales-1", "ales-4"),
        ("ales-2", "ales-4"),
        ("ales-3", "ales-4"),
    }


def test_it_lists_a_pair_until_a_curator_says_they_are_different(client, curator):
    first = PersonFactory(person_id="maria-1", name="Maria Kalesnikava")
    second = PersonFactory(person_id="maria-2", name="Kalesnikava Maria")
    client.force_login(curator)
    content = client.get(PAGE).content.decode()
    assert reverse("admin:prisoners_person_change", args=[first.pk]) in content
    assert reverse("admin:prisoners_person_change", args=[second.pk]) in content

    response = client.post(NOT_SAME, {"first": second.pk, "second": first.pk})
    assert response.status_code == 302
    assert NotSameAs.objects.filter(person=first, other=second).exists()
    assert _pair_keys() == set()
    content = client.get(PAGE).content.decode()
    assert reverse("admin:prisoners_person_change", args=[second.pk]) not in content
    assert "Recorded that maria-2 and maria-1 are different people." in content


@pytest.mark.parametrize(
    "data",
    [{}, {"first": "x", "second": "1"}, {"first": "999999", "second": "1"}, "same"],
)
def test_it_refuses_a_dismissal_that_names_no_pair_and_records_nothing(client, curator, data):
    person = PersonFactory()
    if data == "same":
        data = {"first": person.pk, "second": person.pk}
    client.force_login(curator)
    response = client.post(NOT_SAME, data, follow=True)
    assert response.status_code == 200
    assert "Nothing was recorded" in response.content.decode()
    assert not NotSameAs.objects.exists()


def test_it_lists_published_people_with_a_detention_without_a_source(client, curator):
    unsourced = DetentionFactory(detention_id="no-source", person__person_id="listed").person
    sourced = DetentionFactory(person__person_id="sourced")
    sourced.sources.set([SourceFactory()])
    DetentionFactory(person__person_id="a-draft", person__visibility="draft")
    assert list(quality.published_people_with_unsourced_detentions()) == [unsourced]
    client.force_login(curator)
    content = client.get(PAGE).content.decode()
    assert "no-source" in content
    assert "a-draft" not in content


def test_sentence_end_is_the_last_possible_day_of_sentencing_plus_the_months():
    assert quality.sentence_end(date(2023, 1, 31), 12) == date(2024, 1, 31)
    assert quality.sentence_end(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert quality.sentence_end(date(2023, 12, 31), 14) == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("today", "listed"),
    [(date(2024, 1, 31), False), (date(2024, 2, 1), True), (date(2023, 6, 1), False)],
)
def test_it_lists_an_open_detention_once_its_sentence_has_ended(today, listed):
    """Sentenced some day in January 2023 to 12 months: the sentence has
    surely ended once 31 January 2024 is past."""
    detention = DetentionFactory(
        detained_on="2022", sentenced_on="2023-01", sentence_type="colony", sentence_months=12
    )
    assert list(quality.open_detentions_past_sentence(today)) == ([detention] if listed else [])


def test_it_does_not_list_life_sentences_or_ended_detentions():
    today = date(2030, 1, 1)
    DetentionFactory(detained_on="2020", sentenced_on="2021", sentence_type="life")
    released = DetentionFactory(
        detained_on="2020", sentenced_on="2021", sentence_type="prison", sentence_months=12
    )
    ReleaseFactory(detention=released, released_on="2022")
    assert list(quality.open_detentions_past_sentence(today)) == []


def test_it_lists_release_events_with_more_releases_recorded_than_announced(client, curator):
    over = ReleaseEventFactory(event_id="over", announced_count=1)
    exact = ReleaseEventFactory(event_id="exact", announced_count=2)
    ReleaseEventFactory(event_id="unknown", announced_count=None)
    for event in (over, over, exact, exact):
        ReleaseFactory(release_event=event)
    assert list(quality.release_events_over_announced()) == [over]
    client.force_login(curator)
    content = client.get(PAGE).content.decode()
    assert reverse("admin:prisoners_releaseevent_change", args=[over.pk]) in content
    assert reverse("admin:prisoners_releaseevent_change", args=[exact.pk]) not in content


def _age_history(person, days: int) -> None:
    long_ago = timezone.now() - timedelta(days=days)
    person.history.update(history_date=long_ago)
    for detention in person.detentions.all():
        detention.history.update(history_date=long_ago)


def test_it_lists_published_people_nobody_has_saved_for_180_days():
    today = timezone.localdate()
    stale = DetentionFactory(person__person_id="stale").person
    recent_detention = DetentionFactory(person__person_id="detention-saved").person
    DetentionFactory(person__person_id="saved-now")
    draft = DetentionFactory(person__visibility="draft").person
    for person in (stale, recent_detention, draft):
        _age_history(person, 200)
    recent_detention.detentions.get().save()
    never_saved = Person.objects.bulk_create([Person(person_id="never", name="Never Saved")])
    never_saved[0].visibility = "published"
    Person.objects.filter(person_id="never").update(visibility="published")
    listed = {p.person_id for p in quality.published_people_not_reviewed(today)}
    assert listed == {"stale", "never"}


def test_a_release_saved_lately_counts_as_a_review_of_its_person():
    today = timezone.localdate()
    release = ReleaseFactory(detention__person__person_id="release-saved")
    other = ReleaseFactory(detention__person__person_id="release-old")
    for person in (release.detention.person, other.detention.person):
        _age_history(person, 200)
    other.history.update(history_date=timezone.now() - timedelta(days=200))
    listed = {p.person_id for p in quality.published_people_not_reviewed(today)}
    assert listed == {"release-old"}


def test_the_admin_index_shows_each_count_and_links_the_page(client, curator):
    ReleaseFactory(release_event=ReleaseEventFactory(announced_count=0))
    client.force_login(curator)
    content = client.get(reverse("admin:index")).content.decode()
    assert PAGE in content
    assert f'{PAGE}#over_announced">Release events with more releases recorded than announced' in (
        content
    )
    counts = quality.cached_counts(timezone.localdate())
    assert counts["over_announced"] == 1


def test_it_is_refused_to_staff_who_may_not_change_people(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", password="x-pass-1234", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_person"))
    client.force_login(viewer)
    assert client.get(PAGE).status_code == 403
    assert client.post(NOT_SAME, {}).status_code == 403
    assert PAGE not in client.get(reverse("admin:index")).content.decode()


def test_the_page_takes_the_same_queries_however_many_rows(
    client, curator, django_assert_max_num_queries
):
    for n in range(3):
        DetentionFactory(
            person__name=f"Same Name{n % 2}",
            detained_on="2020",
            sentenced_on="2021",
            sentence_type="prison",
            sentence_months=1,
        )
    client.force_login(curator)
    with django_assert_max_num_queries(20):
        response = client.get(PAGE)
    assert response.status_code == 200
