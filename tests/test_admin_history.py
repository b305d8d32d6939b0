"""History in the admin: who changed what, a readable diff, no lost work,
and restoring a deleted person."""

import pytest
from django.urls import reverse

from prisoners.history import acting_as
from prisoners.models import Detention, Person, Release
from tests.admin_forms import revert_data
from tests.factories import (
    ChargeFactory,
    DetentionFactory,
    OrganizationFactory,
    ReleaseEventFactory,
    ReleaseFactory,
    SanctionsEventFactory,
    SourceFactory,
)
from tests.test_admin_person import change_url, detention_row, errors_of, person_data

pytestmark = pytest.mark.django_db


def _history_url(obj) -> str:
    return reverse(f"admin:prisoners_{obj._meta.model_name}_history", args=[obj.pk])


def test_every_change_records_who_and_when_with_a_readable_diff(client, curator):
    client.force_login(curator)
    detention = DetentionFactory(detained_on="2021")
    person = detention.person
    charge = ChargeFactory(article="342")
    row = detention_row(detention, detained_on="2021-07-14", charges=[charge.pk])
    response = client.post(change_url(person), person_data(person, [row], region="Minsk"))
    assert response.status_code == 302, errors_of(response)

    latest = person.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == curator
    assert latest.history_date is not None
    content = client.get(_history_url(person)).content.decode()
    assert "region: — → Minsk" in content

    content = client.get(_history_url(detention)).content.decode()
    assert "detained on: 2021 → 2021-07-14" in content
    assert "charges: — → 342" in content


def test_a_version_can_be_reverted(client, curator):
    client.force_login(curator)
    detention = DetentionFactory()
    person = detention.person
    old = person.history.order_by("history_date").last()
    person.bio = "Changed"
    person.save()
    url = reverse("admin:prisoners_person_simple_history", args=[person.pk, old.history_id])
    data = revert_data(client, url, person)
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    person.refresh_from_db()
    assert person.bio == ""


def test_a_stale_person_form_is_refused_naming_who_changed_it(client, curator, editor):
    person = DetentionFactory().person
    client.force_login(curator)
    stale = person_data(person, bio="What the curator typed")
    with acting_as(editor, via="admin"):
        person.bio = "The editor's change"
        person.save()
    response = client.post(change_url(person), stale)
    assert response.status_code == 200
    content = response.content.decode()
    assert "editor changed this record on" in content
    assert "What the curator typed" in content
    person.refresh_from_db()
    assert person.bio == "The editor's change"

    # Saving again, knowingly, overwrites.
    again = dict(stale)
    again["_version"] = response.context["adminform"].form.data["_version"]
    response = client.post(change_url(person), again)
    assert response.status_code == 302, errors_of(response)
    person.refresh_from_db()
    assert person.bio == "What the curator typed"


def test_a_stale_detention_row_is_refused(client, curator, editor):
    detention = DetentionFactory(detained_on="2021")
    person = detention.person
    client.force_login(curator)
    stale = person_data(person, [detention_row(detention, sentence_months="36")])
    with acting_as(editor):
        detention.sentence_months = 24
        detention.save()
    response = client.post(change_url(person), stale)
    assert response.status_code == 200
    assert "editor changed this record" in response.content.decode()
    detention.refresh_from_db()
    assert detention.sentence_months == 24


@pytest.mark.parametrize("factory", [ReleaseEventFactory, SanctionsEventFactory])
def test_a_stale_event_form_is_refused(client, curator, editor, factory):
    event = factory()
    url = reverse(f"admin:prisoners_{event._meta.model_name}_change", args=[event.pk])
    client.force_login(curator)
    form = client.get(url).context["adminform"].form
    data = {
        name: str(value)
        for name, value in form.initial.items()
        if name in form.fields and value is not None and not isinstance(value, list)
    }
    data["description"] = "Curator's text"
    with acting_as(editor):
        event.description = "Editor's text"
        event.save()
    response = client.post(url, data)
    assert response.status_code == 200
    assert "editor changed this record" in response.content.decode()
    event.refresh_from_db()
    assert event.description == "Editor's text"


def _deleted_person():
    """A person with two detentions (one released in an event), charges,
    sources and organizations, deleted by an editor."""
    event = ReleaseEventFactory()
    release = ReleaseFactory(
        release_event=event,
        detention__detained_on="2020-08-09",
        detention__person__name="Maria Kalesnikava",
        released_on="2025-12-13",
    )
    person = release.detention.person
    person.organizations.set([OrganizationFactory(name="Viasna")])
    release.detention.charges.set([ChargeFactory(article="342")])
    release.detention.sources.set([SourceFactory(url="https://example.org/a")])
    open_detention = DetentionFactory(person=person, detained_on="2026-01-02")
    return person, release, open_detention


def test_an_editor_finds_and_restores_a_deleted_person(client, editor):
    person, release, open_detention = _deleted_person()
    pk, sources = person.pk, set(person.sources.all())
    client.force_login(editor)
    response = client.post(reverse("admin:prisoners_person_delete", args=[pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=pk).exists()

    changelist = client.get(reverse("admin:prisoners_person_changelist")).content.decode()
    assert reverse("admin:prisoners_person_deleted") in changelist
    page = client.get(reverse("admin:prisoners_person_deleted"))
    assert "Maria Kalesnikava" in page.content.decode()
    record = page.context["records"][0]

    response = client.post(reverse("admin:prisoners_person_restore", args=[record.history_id]))
    assert response.status_code == 302
    restored = Person.objects.get(pk=pk)
    assert restored.name == "Maria Kalesnikava"
    assert set(restored.sources.all()) == sources
    assert [o.name for o in restored.organizations.all()] == ["Viasna"]
    assert restored.status == "in_custody"
    detentions = {d.pk: d for d in restored.detentions.all()}
    assert set(detentions) == {release.detention_id, open_detention.pk}
    released = detentions[release.detention_id]
    assert [c.article for c in released.charges.all()] == ["342"]
    assert [s.url for s in released.sources.all()] == ["https://example.org/a"]
    assert released.release.release_event == release.release_event
    assert released.end_reason == "release"
    assert detentions[open_detention.pk].is_open
    latest = restored.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == editor
    assert not client.get(reverse("admin:prisoners_person_deleted")).context["records"]


def test_a_detention_removed_long_before_the_person_stays_removed(client, editor):
    from datetime import timedelta

    person, release, open_detention = _deleted_person()
    removed = Detention.history.filter(id=open_detention.pk)
    open_detention.delete()
    removed.filter(history_type="-").update(
        history_date=removed.filter(history_type="+").get().history_date - timedelta(days=1)
    )
    client.force_login(editor)
    client.post(reverse("admin:prisoners_person_delete", args=[person.pk]), {"post": "yes"})
    record = client.get(reverse("admin:prisoners_person_deleted")).context["records"][0]
    client.post(reverse("admin:prisoners_person_restore", args=[record.history_id]))
    assert list(Person.objects.get(pk=person.pk).detentions.all()) == [release.detention]
    assert Release.objects.count() == 1


def test_a_curator_cannot_see_or_restore_deleted_people(client, curator, editor):
    person, _release, _open = _deleted_person()
    client.force_login(editor)
    client.post(reverse("admin:prisoners_person_delete", args=[person.pk]), {"post": "yes"})
    record = client.get(reverse("admin:prisoners_person_deleted")).context["records"][0]
    client.force_login(curator)
    assert client.get(reverse("admin:prisoners_person_deleted")).status_code == 403
    response = client.post(reverse("admin:prisoners_person_restore", args=[record.history_id]))
    assert response.status_code == 403
    assert not Person.objects.filter(pk=person.pk).exists()
    changelist = client.get(reverse("admin:prisoners_person_changelist")).content.decode()
    assert reverse("admin:prisoners_person_deleted") not in changelist
