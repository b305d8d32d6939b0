"""The backup always restores: after each admin action that changes data,
the full export imports into an empty database and exports the same again;
one set of limits for the admin and the importer; no admin path leaves a
published person without a source; curators delete within a record only."""

from pathlib import Path

import pytest
from django.contrib.admin import helpers
from django.db import transaction
from django.urls import reverse

from prisoners.interchange.importer import run_import
from prisoners.models import LONG_TEXT, Detention, Person, Source, Visibility
from tests.factories import (
    DetentionFactory,
    PersonFactory,
    ReleaseEventFactory,
    SanctionsEventFactory,
    SourceFactory,
)
from tests.test_admin_person import (
    ADD,
    CHANGELIST,
    change_url,
    detention_row,
    errors_of,
    person_data,
)
from tests.test_interchange_round_trip import FILES, delete_everything, export

pytestmark = pytest.mark.django_db


def assert_backup_restores(directory: Path) -> None:
    """Export, import into an empty database, export again: the same files.
    The emptied database is rolled back, for the next action."""
    first = export(directory / "first")
    with transaction.atomic():
        delete_everything()
        result = run_import([directory / "first" / name for name in FILES])
        assert result.ok, result.errors
        second = export(directory / "second")
        transaction.set_rollback(True)
    assert second == first


def _ok(response):
    assert response.status_code == 302, errors_of(response)


def _version(record) -> int:
    """The version a change form is loaded with (its newest history row)."""
    return record.history.order_by("-history_id").first().history_id


def _action(client, action: str, people, **extra):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [p.pk for p in people], **extra}
    return client.post(CHANGELIST, data)


def test_the_backup_restores_after_each_admin_action(client, editor, tmp_path):
    client.force_login(editor)
    source, other_source = SourceFactory(), SourceFactory()
    event = ReleaseEventFactory(event_id="freed", date="2025-12-13")
    sanctions = SanctionsEventFactory(event_id="potash")
    steps = iter(range(100))

    def check():
        assert_backup_restores(tmp_path / str(next(steps)))

    # Add a published person with a released detention; a bio longer than
    # the csv module's default cell (131,072 characters) is within our limit.
    bio = "Founder of Viasna. " * 7500
    _ok(
        client.post(
            ADD,
            person_data(
                name="Ales Bialiatski",
                bio=bio,
                visibility="published",
                sources=[source.pk],
                detentions=[
                    {
                        "detained_on": "2021-07-14",
                        "sources": [other_source.pk],
                        "released_on": "2025-12-13",
                        "release_type": "pardon",
                        "release_event": event.pk,
                    },
                    {"detained_on": "2026-01-02"},
                ],
            ),
        )
    )
    person = Person.objects.get(name="Ales Bialiatski")
    assert len(person.bio) > 131_072
    check()
    _ok(client.post(change_url(person), person_data(person, [], occupation="Lawyer")))
    check()
    for action in ("unpublish_people", "anonymize_people", "publish_people"):
        _ok(_action(client, action, [person]))
        check()
    second = PersonFactory(name="Maria K", visibility=Visibility.PUBLISHED)
    second.sources.add(source)
    DetentionFactory(person=second, detained_on="2020-09-07")
    check()
    _ok(
        _action(
            client,
            "record_release",
            [second],
            apply="1",
            release_event=event.pk,
            release_type="exchange",
            released_to="Lithuania",
        )
    )
    assert second.detentions.get().release.release_event == event
    check()
    # Delete a detention inside the person's form.
    person.refresh_from_db()
    rows = [
        detention_row(d, DELETE=str(d.detained_on) == "2026-01-02")
        for d in person.detentions.order_by("detained_on_first")
    ]
    _ok(client.post(change_url(person), person_data(person, rows)))
    assert person.detentions.count() == 1
    check()
    # Delete a source nobody needs as their last.
    spare = SourceFactory()
    second.sources.add(spare)
    _ok(client.post(reverse("admin:prisoners_source_delete", args=[spare.pk]), {"post": "yes"}))
    check()
    # Change a release event and a sanctions event.
    _ok(
        client.post(
            reverse("admin:prisoners_releaseevent_change", args=[event.pk]),
            {
                "event_id": "freed",
                "date": "2025-12-13",
                "title": "123 freed",
                "announced_count": "123",
                "negotiator": "US envoy",
                "sanctions": [sanctions.pk],
                "description": "Talks.",
                "sources": [source.pk],
                "published": "on",
                "_version": _version(event),
            },
        )
    )
    check()
    _ok(
        client.post(
            reverse("admin:prisoners_sanctionsevent_change", args=[sanctions.pk]),
            {
                "event_id": "potash",
                "date": "2025-12-13",
                "effective_on": "",
                "authority": "US",
                "kind": "general_licence",
                "action": "eased",
                "targets": [t.pk for t in sanctions.targets.all()],
                "sector": "potash",
                "legal_reference": "GL 12",
                "description": "",
                "sources": [other_source.pk],
                "published": "on",
                "_version": _version(sanctions),
            },
        )
    )
    check()


# One set of limits


def test_the_admin_and_the_importer_refuse_the_same_too_long_bio(client, editor):
    client.force_login(editor)
    too_long = "x" * (LONG_TEXT + 1)
    response = client.post(ADD, person_data(name="Someone", bio=too_long))
    assert response.status_code == 200
    assert f"at most {LONG_TEXT} characters" in str(response.context["errors"])
    header = "person_id,name,bio\n"
    result = run_import([("p.csv", f"{header}p-1,N,{too_long}\n".encode())])
    assert result.errors == [f"p.csv:2: bio: is longer than {LONG_TEXT} characters"]
    fits = "x" * LONG_TEXT
    assert run_import([("p.csv", f"{header}p-1,N,{fits}\n".encode())]).ok


def test_an_organization_name_cannot_hold_the_list_separator(client, editor):
    client.force_login(editor)
    response = client.post(reverse("admin:prisoners_organization_add"), {"name": "A; B"})
    assert response.status_code == 200
    assert "Cannot contain" in str(response.context["errors"])


# The last source


def _published_with_one_source():
    source = SourceFactory()
    person = PersonFactory(
        person_id="ales", name="Ales B", visibility=Visibility.PUBLISHED, sources=[]
    )
    detention = DetentionFactory(person=person, detained_on="2021-07-14")
    detention.sources.add(source)
    return person, detention, source


LAST_SOURCE = "Ales B (ales) would be published without a source"


def test_it_refuses_deleting_a_published_persons_last_source(client, editor):
    client.force_login(editor)
    _person, _detention, source = _published_with_one_source()
    url = reverse("admin:prisoners_source_delete", args=[source.pk])
    assert LAST_SOURCE in client.get(url).content.decode()
    client.post(url, {"post": "yes"})
    bulk = {
        "action": "delete_selected",
        helpers.ACTION_CHECKBOX_NAME: [source.pk],
        "post": "yes",
    }
    response = client.post(reverse("admin:prisoners_source_changelist"), bulk)
    assert LAST_SOURCE in response.content.decode()
    assert Source.objects.filter(pk=source.pk).exists()


def test_it_refuses_deleting_the_detention_holding_the_last_source(client, editor):
    client.force_login(editor)
    _person, detention, _source = _published_with_one_source()
    url = reverse("admin:prisoners_detention_delete", args=[detention.pk])
    response = client.post(url, {"post": "yes"})
    assert LAST_SOURCE in response.content.decode()
    assert Detention.objects.filter(pk=detention.pk).exists()


def test_it_refuses_taking_the_last_source_off_a_detention(client, editor):
    client.force_login(editor)
    person, detention, _source = _published_with_one_source()
    url = reverse("admin:prisoners_detention_change", args=[detention.pk])
    latest = detention.history.order_by("-history_id").first()
    data = {
        "person": person.pk,
        "detention_id": detention.detention_id,
        "detained_on": "2021-07-14",
        "sources": [],
        "_version": latest.history_id,
        "release-TOTAL_FORMS": "0",
        "release-INITIAL_FORMS": "0",
        "release-MIN_NUM_FORMS": "0",
        "release-MAX_NUM_FORMS": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert LAST_SOURCE in errors_of(response)
    assert detention.sources.count() == 1


def test_it_refuses_removing_the_last_source_in_the_persons_form(client, curator):
    client.force_login(curator)
    person, detention, _source = _published_with_one_source()
    rows = [detention_row(detention, sources=[])]
    response = client.post(change_url(person), person_data(person, rows))
    assert response.status_code == 200
    assert "published only with at least one source" in errors_of(response)


def test_an_editor_deletes_a_source_another_source_backs_up(client, editor):
    client.force_login(editor)
    person, _detention, source = _published_with_one_source()
    person.sources.add(SourceFactory())
    url = reverse("admin:prisoners_source_delete", args=[source.pk])
    _ok(client.post(url, {"post": "yes"}))
    assert not Source.objects.filter(pk=source.pk).exists()


# Curators delete within a record only


@pytest.mark.parametrize("model", ["detention", "release", "source", "facility"])
def test_a_curator_has_no_delete_selected(client, curator, editor, model):
    client.force_login(curator)
    response = client.get(reverse(f"admin:prisoners_{model}_changelist"))
    form = response.context["action_form"]
    actions = [value for value, _label in form.fields["action"].choices] if form else []
    assert "delete_selected" not in actions


def test_a_curator_cannot_delete_selected_detentions_even_by_a_forged_post(client, curator):
    client.force_login(curator)
    detentions = [DetentionFactory(), DetentionFactory()]
    data = {
        "action": "delete_selected",
        helpers.ACTION_CHECKBOX_NAME: [d.pk for d in detentions],
        "post": "yes",
    }
    client.post(reverse("admin:prisoners_detention_changelist"), data)
    assert Detention.objects.count() == 2


def test_an_editor_keeps_delete_selected(client, editor):
    client.force_login(editor)
    DetentionFactory()
    response = client.get(reverse("admin:prisoners_detention_changelist"))
    actions = [value for value, _label in response.context["action_form"].fields["action"].choices]
    assert "delete_selected" in actions


def test_a_curator_cannot_delete_a_source_but_deletes_a_detention_in_its_persons_form(
    client, curator
):
    client.force_login(curator)
    source = SourceFactory()
    assert client.get(reverse("admin:prisoners_source_delete", args=[source.pk])).status_code == 403
    detention = DetentionFactory(detained_on="2020-01-01")
    person = detention.person
    person.visibility = Visibility.DRAFT
    person.save()
    rows = [detention_row(detention, DELETE=True)]
    _ok(client.post(change_url(person), person_data(person, rows)))
    assert not Detention.objects.exists()
