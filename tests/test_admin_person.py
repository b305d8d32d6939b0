"""The person admin: adding with detentions and releases, ids, search,
filters, the change list's query count, and possible duplicates."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prisoners.models import Detention, Person, Release
from tests.factories import (
    ChargeFactory,
    DetentionFactory,
    PersonFactory,
    ReleaseEventFactory,
    ReleaseFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

ADD = reverse("admin:prisoners_person_add")
CHANGELIST = reverse("admin:prisoners_person_changelist")

PERSON_FIELDS = [
    "person_id",
    "name",
    "name_be",
    "name_ru",
    "aliases",
    "gender",
    "born",
    "died_on",
    "region",
    "occupation",
    "recognized_on",
    "recognition_withdrawn_on",
    "bio",
    "internal_notes",
    "visibility",
    "_version",
]
DETENTION_FIELDS = [
    "id",
    "detention_id",
    "detained_on",
    "sentence_type",
    "sentence_months",
    "sentenced_on",
    "facility",
    "released_on",
    "release_type",
    "release_event",
    "released_to",
    "_version",
]


def change_url(person) -> str:
    return reverse("admin:prisoners_person_change", args=[person.pk])


def person_data(person=None, detentions=(), **fields) -> dict:
    """The POST of the person form: ``person``'s current values (or empty),
    overridden by ``fields``; ``detentions`` are dicts for the inline rows
    (existing rows first, with their "id")."""
    data = {}
    if person is not None:
        for name in PERSON_FIELDS:
            value = getattr(person, name, "")
            data[name] = "" if value is None else str(value)
        data["organizations"] = [str(o.pk) for o in person.organizations.all()]
        data["sources"] = [str(s.pk) for s in person.sources.all()]
        latest = person.history.order_by("-history_date", "-history_id").first()
        data["_version"] = str(latest.history_id) if latest else ""
    else:
        data.update(dict.fromkeys(PERSON_FIELDS, ""))
        data["visibility"] = "draft"
    data.update(fields)
    rows = list(detentions)
    initial = sum(1 for row in rows if row.get("id"))
    data.update(
        {
            "detentions-TOTAL_FORMS": str(len(rows)),
            "detentions-INITIAL_FORMS": str(initial),
            "detentions-MIN_NUM_FORMS": "0",
            "detentions-MAX_NUM_FORMS": "1000",
        }
    )
    for i, row in enumerate(rows):
        for name in DETENTION_FIELDS:
            data[f"detentions-{i}-{name}"] = str(row.get(name, ""))
        for name in ("charges", "sources"):
            data[f"detentions-{i}-{name}"] = [str(pk) for pk in row.get(name, [])]
        data[f"detentions-{i}-person"] = str(person.pk) if person else ""
        if row.get("DELETE"):
            data[f"detentions-{i}-DELETE"] = "on"
    return {k: v for k, v in data.items() if v not in ("None",)}


def detention_row(detention, **fields) -> dict:
    """An inline row for an existing detention, with its release."""
    latest = detention.history.order_by("-history_date", "-history_id").first()
    row = {
        "id": detention.pk,
        "detention_id": detention.detention_id,
        "detained_on": detention.detained_on or "",
        "sentence_type": detention.sentence_type,
        "sentence_months": detention.sentence_months
        if detention.sentence_months is not None
        else "",
        "sentenced_on": detention.sentenced_on or "",
        "facility": detention.facility_id or "",
        "charges": [c.pk for c in detention.charges.all()],
        "sources": [s.pk for s in detention.sources.all()],
        "_version": latest.history_id if latest else "",
    }
    release = Release.objects.filter(detention=detention).first()
    if release:
        row.update(
            released_on=release.released_on,
            release_type=release.release_type,
            release_event=release.release_event_id or "",
            released_to=release.released_to,
        )
    row.update(fields)
    return row


def errors_of(response) -> str:
    """Every error on the re-shown form, as text, for assertion messages."""
    if response.status_code != 200 or response.context is None:
        return f"status {response.status_code}"
    return str(response.context["errors"]) + str(
        [f.non_form_errors() for f in response.context.get("inline_admin_formsets", [])]
    )


def test_a_curator_adds_a_person_with_a_released_detention_and_sources(client, curator):
    """One submission: the person, a detention with charges and a source, and
    its release in a group release; the id comes from the name."""
    client.force_login(curator)
    source, charge, event = SourceFactory(), ChargeFactory(article="342"), ReleaseEventFactory()
    response = client.post(
        ADD,
        person_data(
            name="Ales Bialiatski",
            name_be="Алесь Бяляцкі",
            detentions=[
                {
                    "detained_on": "2021-07-14",
                    "charges": [charge.pk],
                    "sources": [source.pk],
                    "release_type": "pardon",
                    "release_event": event.pk,
                }
            ],
        ),
    )
    assert response.status_code == 302, errors_of(response)
    person = Person.objects.get()
    assert person.person_id == "ales-bialiatski"
    assert person.visibility == "draft"
    assert person.status == "released"
    detention = person.detentions.get()
    assert detention.detention_id == "ales-bialiatski-2021-07-14"
    assert list(detention.charges.all()) == [charge]
    assert detention.release.release_event == event
    assert str(detention.release.released_on) == "2025-12-13"
    assert detention.end_reason == "release"
    assert person.history.first().history_user == curator


def test_the_inline_row_changes_and_removes_the_release(client, curator):
    client.force_login(curator)
    release = ReleaseFactory(released_on="2025-12-13", release_type="pardon")
    detention = release.detention
    person = detention.person
    row = detention_row(detention, released_on="2025-12", release_type="deported")
    row["released_to"] = "Lithuania"
    response = client.post(change_url(person), person_data(person, [row]))
    assert response.status_code == 302, errors_of(response)
    release.refresh_from_db()
    assert (str(release.released_on), release.release_type) == ("2025-12", "deported")
    assert release.released_to == "Lithuania"

    detention.refresh_from_db()
    row = detention_row(
        detention, released_on="", release_type="", release_event="", released_to=""
    )
    response = client.post(change_url(person), person_data(person, [row]))
    assert response.status_code == 302, errors_of(response)
    detention.refresh_from_db()
    assert not Release.objects.exists()
    assert detention.is_open


def test_it_closes_one_detention_and_opens_another_in_one_submission(client, curator):
    client.force_login(curator)
    detention = DetentionFactory(detained_on="2020-08-09")
    person = detention.person
    rows = [
        detention_row(detention, released_on="2021-02-01", release_type="sentence_served"),
        {"detained_on": "2022-03-01"},
    ]
    response = client.post(change_url(person), person_data(person, rows))
    assert response.status_code == 302, errors_of(response)
    assert person.detentions.count() == 2
    assert person.detentions.ongoing().get().detention_id == f"{person.person_id}-2022-03-01"


def test_it_refuses_two_open_detentions(client, curator):
    client.force_login(curator)
    detention = DetentionFactory(detained_on="2020-08-09")
    person = detention.person
    rows = [detention_row(detention), {"detained_on": "2022-03-01"}]
    response = client.post(change_url(person), person_data(person, rows))
    assert response.status_code == 200
    assert "open detention" in errors_of(response)
    assert person.detentions.count() == 1


def test_it_refuses_a_release_before_the_arrest(client, curator):
    client.force_login(curator)
    response = client.post(
        ADD,
        person_data(
            name="Someone New",
            detentions=[
                {"detained_on": "2021-07-14", "released_on": "2020", "release_type": "pardon"}
            ],
        ),
    )
    assert response.status_code == 200
    assert "before the arrest" in response.content.decode()
    assert not Person.objects.exists()


def test_the_person_id_is_made_unique(client, curator):
    client.force_login(curator)
    PersonFactory(person_id="maria-kalesnikava", name="Someone Else")
    response = client.post(ADD, person_data(name="Maria Kalesnikava", not_duplicate="on"))
    assert response.status_code == 302, errors_of(response)
    assert Person.objects.filter(person_id="maria-kalesnikava-2").exists()


def test_the_person_id_is_read_only_once_published(client, editor):
    client.force_login(editor)
    draft = PersonFactory(person_id="draft-id", visibility="draft")
    published = PersonFactory(person_id="public-id")
    response = client.post(change_url(draft), person_data(draft, person_id="new-draft-id"))
    assert response.status_code == 302, errors_of(response)
    draft.refresh_from_db()
    assert draft.person_id == "new-draft-id"

    assert 'name="person_id"' not in client.get(change_url(published)).content.decode()
    response = client.post(change_url(published), person_data(published, person_id="forged"))
    published.refresh_from_db()
    assert published.person_id == "public-id"


def test_the_person_id_stays_read_only_after_unpublishing(client, editor):
    client.force_login(editor)
    person = PersonFactory(person_id="was-public")
    person.visibility = "draft"
    person.save()
    assert 'name="person_id"' not in client.get(change_url(person)).content.decode()


@pytest.mark.parametrize(
    "query", ["Бяляцкі", "bialiatski", "BIALIATSKI", "bialiatski ALES", "viasna-1"]
)
def test_it_finds_a_person_by_any_spelling_or_id(client, curator, query):
    client.force_login(curator)
    PersonFactory(person_id="viasna-1", name="Ales Bialiatski", name_be="Алесь Бяляцкі")
    PersonFactory(name="Maria Kalesnikava")
    response = client.get(CHANGELIST, {"q": query})
    people = list(response.context["cl"].result_list)
    assert [p.person_id for p in people] == ["viasna-1"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "released"}, ["released"]),
        ({"visibility": "draft"}, ["draft"]),
        ({"recognized": "yes"}, ["released"]),
        ({"recognized": "no"}, ["draft", "held"]),
        ({"release_type": "pardon"}, ["released"]),
        ({"region": "Minsk"}, ["held"]),
        ({"gender": "female"}, ["draft"]),
        ({"recognized_on_first__year": "2021"}, ["released"]),
    ],
)
def test_the_list_filters(client, curator, params, expected):
    client.force_login(curator)
    ReleaseFactory(
        detention__person__person_id="released", detention__person__recognized_on="2021-08"
    )
    DetentionFactory(person__person_id="held", person__region="Minsk")
    PersonFactory(person_id="draft", visibility="draft", gender="female")
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    assert sorted(p.person_id for p in response.context["cl"].result_list) == expected


def test_the_list_says_where_each_case_stands(client, curator):
    client.force_login(curator)
    ReleaseFactory(
        detention__person__name="Ales Bialiatski",
        detention__detained_on="2021-07",
        released_on="2025-12-13",
        release_type="pardon",
    )
    content = client.get(CHANGELIST).content.decode()
    assert "Ales Bialiatski" in content
    assert "Jul 2021" in content
    assert "13 Dec 2025 (pardon)" in content


def _changelist_queries(client, count: int) -> int:
    Person.objects.all().delete()
    for _ in range(count):
        release = ReleaseFactory()
        DetentionFactory(person=release.detention.person, detained_on="2026-01-01")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == count
    return len(queries)


def test_the_change_list_query_count_does_not_grow_with_the_rows(client, curator):
    client.force_login(curator)
    few = _changelist_queries(client, 5)
    many = _changelist_queries(client, 50)
    assert many == few
    assert few <= 15


def test_a_new_person_resembling_another_needs_confirmation(client, curator):
    client.force_login(curator)
    existing = PersonFactory(name="Ales Bialiatski", name_be="Алесь Бяляцкі")
    # Cyrillic compared with Latin through the same normalized text.
    response = client.post(ADD, person_data(name="Алесь БЯЛЯЦКІ"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "This name resembles Ales Bialiatski" in content
    assert change_url(existing) in content
    assert Person.objects.count() == 1

    data = person_data(name="Алесь БЯЛЯЦКІ", not_duplicate="on")
    response = client.post(ADD, data)
    assert response.status_code == 302, errors_of(response)
    assert Person.objects.count() == 2


def test_a_surname_first_or_accented_spelling_is_a_possible_duplicate(client, curator):
    client.force_login(curator)
    PersonFactory(name="Maria Kalesnikava", aliases="Maryia Kalesnikava")
    response = client.post(ADD, person_data(name="KALESNIKAVA Mária"))
    assert "This name resembles Maria Kalesnikava" in response.content.decode()


def test_a_different_name_needs_no_confirmation(client, curator):
    client.force_login(curator)
    PersonFactory(name="Maria Kalesnikava")
    response = client.post(ADD, person_data(name="Ihar Losik"))
    assert response.status_code == 302, errors_of(response)


def test_a_misspelling_is_a_possible_duplicate_on_postgresql(client, curator, on_postgres):
    client.force_login(curator)
    PersonFactory(name="Ales Bialiatski")
    response = client.post(ADD, person_data(name="Ales Bialiatsky"))
    assert "This name resembles Ales Bialiatski" in response.content.decode()


def test_every_field_says_whether_it_is_public(client, curator):
    client.force_login(curator)
    response = client.get(ADD)
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        assert "ublic" in str(field.help_text) or "Private" in str(field.help_text), name
    assert "never shown publicly" in str(form.fields["internal_notes"].help_text)
    inline = response.context["inline_admin_formsets"][0].formset.empty_form
    for name, field in inline.fields.items():
        if not field.widget.is_hidden and name != "DELETE":
            assert "ublic" in str(field.help_text), name


def test_detention_admin_and_release_event_autocomplete_work(client, curator):
    client.force_login(curator)
    ReleaseEventFactory(title="December release")
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "prisoners",
            "model_name": "release",
            "field_name": "release_event",
            "term": "Dec",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["text"] == "December release"
    detention = DetentionFactory()
    assert (
        client.get(reverse("admin:prisoners_detention_change", args=[detention.pk])).status_code
        == 200
    )
    assert Detention.objects.count() == 1
