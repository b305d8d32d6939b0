"""Merging two records of one person in the admin, the redirects of the
absorbed id, the refusals, and the undo."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from prisoners import merging
from prisoners.data_version import data_version
from prisoners.models import (
    Detention,
    MergeRecord,
    NotSameAs,
    OtherId,
    Person,
    Release,
)
from tests.factories import (
    DetentionFactory,
    OrganizationFactory,
    PersonFactory,
    ReleaseFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:prisoners_person_changelist")


@pytest.fixture
def two():
    """Ales Bialiatski recorded twice: a published record (a released
    detention, Viasna, an other id) and a draft from another list (an open
    detention, a birth date, another organization, a "not the same" pair)."""
    kept = PersonFactory(
        person_id="ales-bialiatski",
        name="Ales Bialiatski",
        region="Minsk",
        sources=[SourceFactory(url="https://example.org/viasna")],
    )
    kept.organizations.set([OrganizationFactory(name="Viasna")])
    ReleaseFactory(
        detention=DetentionFactory(person=kept, detention_id="ales-2011", detained_on="2011-08-04"),
        released_on="2014-06-21",
        release_type="early_release",
    )
    OtherId.objects.create(person=kept, other_id="viasna-1")
    absorbed = PersonFactory(
        person_id="hrc-ales",
        name="Aleś Bialiacki",
        born="1962-09-25",
        region="Minsk",
        bio="Founder of Viasna.",
        visibility="draft",
        sources=[SourceFactory(url="https://example.org/hrc")],
    )
    absorbed.organizations.set([OrganizationFactory(name="FIDH")])
    DetentionFactory(person=absorbed, detention_id="hrc-ales-2021", detained_on="2021-07-14")
    OtherId.objects.create(person=absorbed, other_id="hrc-old-7")
    stranger = PersonFactory(person_id="ales-other", name="Ales Bialiatski")
    NotSameAs.record(absorbed, stranger)
    return kept, absorbed


def state() -> dict:
    """Everything a merge touches, by stable ids, to compare before and after."""
    people = {}
    for person in Person.objects.all():
        values = {
            f.attname: getattr(person, f.attname)
            for f in Person._meta.concrete_fields
            # Derived on write: the search text, and when the public last saw a change.
            if f.attname not in ("search_text", "public_changed_at")
        }
        values["sources"] = sorted(person.sources.values_list("url", flat=True))
        values["organizations"] = sorted(person.organizations.values_list("name", flat=True))
        values["other_ids"] = sorted(person.other_ids.values_list("other_id", flat=True))
        values["detentions"] = sorted(
            person.detentions.values_list("detention_id", "end_reason", "ended_on_first")
        )
        people[person.person_id] = values
    releases = sorted(Release.objects.values_list("detention__detention_id", "released_on_first"))
    pairs = sorted(NotSameAs.objects.values_list("person__person_id", "other__person_id"))
    return {"people": people, "releases": releases, "pairs": pairs}


def merge_page(a, b) -> str:
    return reverse("admin:prisoners_person_merge", args=sorted([a.pk, b.pk]))


def test_it_keeps_every_detention_release_source_organization_and_id(two, editor):
    kept, absorbed = two
    merging.merge(kept, absorbed, ["born", "bio"], editor)

    kept.refresh_from_db()
    assert not Person.objects.filter(person_id="hrc-ales").exists()
    assert str(kept.born) == "1962-09-25"
    assert kept.bio == "Founder of Viasna."
    assert kept.name == "Ales Bialiatski"
    assert sorted(kept.detentions.values_list("detention_id", flat=True)) == [
        "ales-2011",
        "hrc-ales-2021",
    ]
    assert Release.objects.get().detention.person == kept
    assert sorted(kept.sources.values_list("url", flat=True)) == [
        "https://example.org/hrc",
        "https://example.org/viasna",
    ]
    assert sorted(kept.organizations.values_list("name", flat=True)) == ["FIDH", "Viasna"]
    assert sorted(kept.other_ids.values_list("other_id", flat=True)) == [
        "hrc-ales",
        "hrc-old-7",
        "viasna-1",
    ]
    stranger = Person.objects.get(person_id="ales-other")
    assert NotSameAs.objects.filter(**NotSameAs.pair(kept, stranger)).exists()
    assert kept.status == "in_custody"


def test_it_keeps_both_histories_naming_the_user(two, editor):
    kept, absorbed = two
    absorbed_pk = absorbed.pk
    merging.merge(kept, absorbed, [], editor)

    absorbed_history = Person.history.filter(id=absorbed_pk).order_by("history_date")
    assert absorbed_history.first().history_type == "+"
    assert absorbed_history.last().history_type == "-"
    assert absorbed_history.last().history_user == editor
    detention = Detention.objects.get(detention_id="hrc-ales-2021")
    persons = list(detention.history.order_by("history_date").values_list("person_id", flat=True))
    assert persons[0] == absorbed_pk and persons[-1] == kept.pk
    assert detention.history.latest("history_date").history_user == editor
    assert kept.history.latest("history_date").history_user == editor


def test_it_redirects_the_absorbed_id_to_the_kept_person(two, editor, client):
    kept, absorbed = two
    merging.merge(kept, absorbed, [], editor)

    for old, new in [
        ("/prisoners/hrc-ales/", "/prisoners/ales-bialiatski/"),
        ("/be/prisoners/hrc-ales/", "/be/prisoners/ales-bialiatski/"),
        ("/ru/prisoners/viasna-1/", "/ru/prisoners/ales-bialiatski/"),
        ("/api/prisoners/hrc-ales/", "/api/prisoners/ales-bialiatski/"),
        ("/api/prisoners/hrc-old-7/?format=json", "/api/prisoners/ales-bialiatski/?format=json"),
    ]:
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new, old
        assert client.get(new).status_code == 200, new


def test_the_feed_links_the_kept_person(two, editor, client):
    kept, absorbed = two
    merging.merge(kept, absorbed, [], editor)
    feed = client.get("/prisoners/feed.atom").content.decode()
    assert "/prisoners/ales-bialiatski/" in feed
    assert "hrc-ales" not in feed


def test_an_other_id_of_an_unpublished_person_answers_404(client):
    draft = PersonFactory(person_id="draft-person", visibility="draft")
    OtherId.objects.create(person=draft, other_id="draft-other")
    anonymous = PersonFactory(person_id="anon-person", visibility="anonymous")
    OtherId.objects.create(person=anonymous, other_id="anon-other")
    for url in [
        "/prisoners/draft-other/",
        "/be/prisoners/anon-other/",
        "/api/prisoners/draft-other/",
        "/api/prisoners/anon-other/",
        "/prisoners/no-such-id/",
    ]:
        assert client.get(url).status_code == 404, url


def test_it_refuses_two_open_detentions_and_writes_nothing(two, editor):
    kept, absorbed = two
    DetentionFactory(person=kept, detention_id="ales-2021", detained_on="2021-07-14")
    before = state()
    with pytest.raises(merging.MergeRefused) as refused:
        merging.merge(kept, absorbed, [], editor)
    assert "already has an open detention" in str(refused.value)
    assert state() == before
    assert not MergeRecord.objects.exists()


def test_it_refuses_dates_out_of_order_in_the_result(two, editor):
    kept, absorbed = two
    Person.objects.filter(pk=kept.pk).update(
        died_on_first="1950-01-01", died_on_last="1950-01-01", died_on_precision="day"
    )
    kept.refresh_from_db()
    with pytest.raises(merging.MergeRefused) as refused:
        merging.merge(kept, absorbed, ["born"], editor)
    assert "Death is before birth." in refused.value.messages


def test_it_refuses_a_published_result_without_a_source(editor):
    kept = PersonFactory(person_id="a-one", sources=[])
    absorbed = PersonFactory(person_id="a-two", visibility="draft", sources=[])
    Person.objects.filter(pk=kept.pk).update(visibility="published")
    with pytest.raises(merging.MergeRefused):
        merging.merge(kept, absorbed, [], editor)
    assert Person.objects.count() == 2


def test_undo_restores_both_people_exactly(two, editor):
    kept, absorbed = two
    before = state()
    record = merging.merge(kept, absorbed, ["born", "bio", "name", "visibility"], editor)
    assert state() != before

    person, changed_since = merging.undo(record, editor)

    assert changed_since == []
    assert person.pk == absorbed.pk
    assert state() == before
    record.refresh_from_db()
    assert record.undone_by == editor
    with pytest.raises(merging.MergeRefused):
        merging.undo(record, editor)


def test_undo_leaves_a_field_changed_since_the_merge(two, editor):
    kept, absorbed = two
    record = merging.merge(kept, absorbed, ["bio"], editor)
    kept.refresh_from_db()
    kept.bio = "Written after the merge."
    kept.save()
    _person, changed_since = merging.undo(record, editor)
    kept.refresh_from_db()
    assert changed_since == ["bio"]
    assert kept.bio == "Written after the merge."


def test_a_merge_and_its_undo_move_the_data_version(two, editor):
    kept, absorbed = two
    before = data_version()
    record = merging.merge(kept, absorbed, [], editor)
    after_merge = data_version()
    assert after_merge > before
    merging.undo(record, editor)
    assert data_version() > after_merge


def test_the_page_cache_sees_the_merge(two, editor, client, settings):
    settings.CACHE_SECONDS = 300
    kept, absorbed = two
    Person.objects.filter(pk=absorbed.pk).update(visibility="published")
    assert client.get("/prisoners/hrc-ales/").status_code == 200
    assert client.get("/prisoners/hrc-ales/").status_code == 200  # cached
    merging.merge(kept, absorbed, [], editor)
    assert client.get("/prisoners/hrc-ales/").status_code == 301


# The admin


def test_an_editor_merges_through_the_action_and_the_page(two, editor, client):
    kept, absorbed = two
    client.force_login(editor)
    response = client.post(
        CHANGELIST,
        {"action": "merge_people", helpers.ACTION_CHECKBOX_NAME: [kept.pk, absorbed.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == merge_page(kept, absorbed)

    page = client.get(response["Location"])
    assert page.status_code == 200
    form = page.context["form"]
    assert form["keep"].initial == kept.pk  # the published one
    assert set(form.differing) == {"name", "born", "bio", "visibility"}
    assert form["born"].initial == absorbed.pk  # empty on the kept person

    response = client.post(
        merge_page(kept, absorbed),
        {
            "keep": kept.pk,
            "name": absorbed.pk,
            "born": absorbed.pk,
            "bio": kept.pk,
            "visibility": kept.pk,
        },
    )
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.name == "Aleś Bialiacki"
    assert kept.bio == ""
    assert kept.visibility == "published"
    assert MergeRecord.objects.get().merged_by == editor

    merges = client.get(reverse("admin:prisoners_person_merges"))
    assert "hrc-ales" in merges.content.decode()
    record = MergeRecord.objects.get()
    response = client.post(reverse("admin:prisoners_person_merge_undo", args=[record.pk]))
    assert response.status_code == 302
    assert Person.objects.filter(person_id="hrc-ales").exists()
    kept.refresh_from_db()
    assert kept.name == "Ales Bialiatski"


def test_it_asks_for_exactly_two_people(two, editor, client):
    kept, _absorbed = two
    client.force_login(editor)
    response = client.post(
        CHANGELIST,
        {"action": "merge_people", helpers.ACTION_CHECKBOX_NAME: [kept.pk]},
        follow=True,
    )
    assert "Select exactly two people to merge." in response.content.decode()


def test_the_page_shows_a_refusal_and_writes_nothing(two, editor, client):
    kept, absorbed = two
    DetentionFactory(person=kept, detention_id="ales-2021", detained_on="2021-07-14")
    before = state()
    client.force_login(editor)
    data = {"keep": kept.pk, "name": kept.pk, "born": kept.pk, "bio": kept.pk}
    response = client.post(merge_page(kept, absorbed), {**data, "visibility": kept.pk})
    assert response.status_code == 200
    assert "already has an open detention" in response.content.decode()
    assert state() == before


def test_a_curator_cannot_merge(two, curator, client):
    kept, absorbed = two
    client.force_login(curator)
    actions = client.get(CHANGELIST).context["action_form"].fields["action"].choices
    assert "merge_people" not in [name for name, _label in actions]
    assert client.get(merge_page(kept, absorbed)).status_code == 403
    data = {"keep": kept.pk, "name": kept.pk, "born": kept.pk, "bio": kept.pk}
    assert client.post(merge_page(kept, absorbed), data).status_code == 403
    assert client.get(reverse("admin:prisoners_person_merges")).status_code == 403
    assert Person.objects.filter(person_id="hrc-ales").exists()


def test_a_merged_person_is_not_listed_as_deleted(two, editor, client):
    kept, absorbed = two
    merging.merge(kept, absorbed, [], editor)
    client.force_login(editor)
    page = client.get(reverse("admin:prisoners_person_deleted")).content.decode()
    assert "hrc-ales" not in page
