"""Release events in the admin, and recording a group release for the
people selected in the person list."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from prisoners.models import Release
from tests.factories import (
    DetentionFactory,
    PersonFactory,
    ReleaseEventFactory,
    ReleaseFactory,
    SanctionsEventFactory,
)
from tests.test_admin_person import CHANGELIST

pytestmark = pytest.mark.django_db


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def _record(client, people, **form):
    data = {
        "action": "record_release",
        helpers.ACTION_CHECKBOX_NAME: [p.pk for p in people],
        **form,
    }
    return client.post(CHANGELIST, data, follow=True)


def test_the_action_asks_for_the_event_and_type_first(client, curator):
    client.force_login(curator)
    person = DetentionFactory().person
    response = _record(client, [person])
    assert response.status_code == 200
    assert "admin/prisoners/person/record_release.html" in [t.name for t in response.templates]
    assert person.name in response.content.decode()
    assert not Release.objects.exists()


def test_it_closes_each_open_detention_with_the_events_date(client, curator):
    client.force_login(curator)
    event = ReleaseEventFactory(date="2025-12-13")
    people = [DetentionFactory(detained_on="2021").person for _ in range(3)]
    response = _record(
        client,
        people,
        apply="1",
        release_event=event.pk,
        release_type="deported",
        released_to="Lithuania",
    )
    assert "Recorded the release of 3 people" in messages_of(response)
    for person in people:
        person.refresh_from_db()
        assert person.status == "released"
        release = person.detentions.get().release
        assert (str(release.released_on), release.release_type) == ("2025-12-13", "deported")
        assert release.release_event == event
        assert release.released_to == "Lithuania"
        assert release.history.first().history_user == curator


def test_it_refuses_everyone_naming_those_without_an_open_detention(client, curator):
    client.force_login(curator)
    event = ReleaseEventFactory()
    held = DetentionFactory().person
    free = ReleaseFactory(detention__person__name="Already Free").detention.person
    nobody = PersonFactory(name="Never Detained")
    response = _record(
        client, [held, free, nobody], apply="1", release_event=event.pk, release_type="pardon"
    )
    message = messages_of(response)
    assert "No release was recorded (all or nothing)" in message
    assert "no open detention: Already Free" in message
    assert "Never Detained" in message
    assert held.name not in message
    assert Release.objects.count() == 1
    assert held.detentions.get().is_open


def test_it_refuses_an_event_before_the_arrest(client, curator):
    client.force_login(curator)
    event = ReleaseEventFactory(date="2020-01-01")
    person = DetentionFactory(detained_on="2021-05-01", person__name="Arrested Later").person
    response = _record(client, [person], apply="1", release_event=event.pk, release_type="pardon")
    assert "arrested after the event's date: Arrested Later" in messages_of(response)
    assert not Release.objects.exists()


def test_the_release_event_page_shows_counts_people_and_sanctions(client, curator):
    client.force_login(curator)
    sanctions = SanctionsEventFactory(target="Belaruskali")
    event = ReleaseEventFactory(announced_count=123)
    event.sanctions.set([sanctions])
    release = ReleaseFactory(release_event=event, detention__person__name="Maria Kalesnikava")
    ReleaseFactory(release_event=event, detention__person__visibility="draft")
    response = client.get(reverse("admin:prisoners_releaseevent_change", args=[event.pk]))
    content = response.content.decode()
    assert "announced 123, recorded 2" in content
    person_url = reverse("admin:prisoners_person_change", args=[release.detention.person_id])
    assert f'<a href="{person_url}">Maria Kalesnikava</a>' in content
    assert "Belaruskali" in content

    sanctions_page = client.get(
        reverse("admin:prisoners_sanctionsevent_change", args=[sanctions.pk])
    ).content.decode()
    assert reverse("admin:prisoners_releaseevent_change", args=[event.pk]) in sanctions_page

    listing = client.get(reverse("admin:prisoners_releaseevent_changelist"))
    row = listing.context["cl"].result_list[0]
    assert (row.announced_count, row.recorded_releases) == (123, 2)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"authority": "EU"}, ["eu-1"]),
        ({"action": "lifted"}, ["us-1"]),
        ({"date_first__year": "2024"}, ["eu-1"]),
        ({"q": "potash"}, ["us-1"]),
    ],
)
def test_sanctions_are_searchable_and_filterable(client, curator, params, expected):
    client.force_login(curator)
    SanctionsEventFactory(event_id="us-1", authority="US", action="lifted", sector="potash")
    SanctionsEventFactory(event_id="eu-1", authority="EU", action="imposed", date="2024-02")
    response = client.get(reverse("admin:prisoners_sanctionsevent_changelist"), params)
    assert [e.event_id for e in response.context["cl"].result_list] == expected


@pytest.mark.parametrize(
    ("name", "field", "value", "query"),
    [
        ("organization", "name", "Viasna", "viasn"),
        ("charge", "article", "342", "342"),
        ("facility", "name", "Penal colony No. 1", "colony"),
        ("source", "url", "https://spring96.org/en", "spring96"),
    ],
)
def test_supporting_records_are_searchable(client, curator, name, field, value, query):
    from django.apps import apps

    client.force_login(curator)
    model = apps.get_model("prisoners", name)
    model.objects.create(**{field: value})
    model.objects.create(**{field: "https://other.example/x" if name == "source" else "Other"})
    response = client.get(reverse(f"admin:prisoners_{name}_changelist"), {"q": query})
    assert [getattr(o, field) for o in response.context["cl"].result_list] == [value]
