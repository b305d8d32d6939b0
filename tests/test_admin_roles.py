"""Roles: what a curator may do, what only an editor may do, and the
publishing rules enforced in forms, forged posts and actions."""

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Group
from django.urls import reverse

from prisoners.models import Person, ReleaseEvent, SanctionsEvent
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

pytestmark = pytest.mark.django_db


def test_the_migration_creates_both_roles_with_their_permissions():
    curator = {p.codename for p in Group.objects.get(name="Curator").permissions.all()}
    editor = {p.codename for p in Group.objects.get(name="Editor").permissions.all()}
    assert {"add_person", "change_person", "view_person", "delete_detention"} <= curator
    assert {"delete_release", "delete_source", "add_releaseevent", "change_facility"} <= curator
    assert not {"publish_person", "delete_person", "delete_releaseevent"} & curator
    assert curator < editor
    assert {
        "publish_person",
        "publish_releaseevent",
        "publish_sanctionsevent",
        "delete_person",
        "delete_releaseevent",
        "delete_sanctionsevent",
    } <= editor


@pytest.mark.parametrize(
    "url",
    [
        CHANGELIST,
        ADD,
        reverse("admin:prisoners_person_deleted"),
        reverse("admin:prisoners_releaseevent_changelist"),
    ],
)
def test_an_anonymous_visitor_is_sent_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "name",
    [
        "person",
        "detention",
        "release",
        "releaseevent",
        "sanctionsevent",
        "organization",
        "source",
        "charge",
        "facility",
        "localname",
        "sanctionstarget",
    ],
)
def test_both_roles_can_open_every_list_and_add_form(client, curator, editor, name):
    for user in (curator, editor):
        client.force_login(user)
        assert client.get(reverse(f"admin:prisoners_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:prisoners_{name}_add")).status_code == 200


def test_a_curator_sees_visibility_read_only(client, curator):
    client.force_login(curator)
    content = client.get(ADD).content.decode()
    assert 'name="visibility"' not in content


def test_a_curators_new_person_is_a_draft_whatever_is_posted(client, curator):
    client.force_login(curator)
    source = SourceFactory()
    response = client.post(
        ADD, person_data(name="Ihar Losik", visibility="published", sources=[source.pk])
    )
    assert response.status_code == 302, errors_of(response)
    assert Person.objects.get().visibility == "draft"


@pytest.mark.parametrize("posted", ["published", "anonymous", "draft"])
def test_a_curator_cannot_change_visibility_by_a_forged_post(client, curator, posted):
    client.force_login(curator)
    person = PersonFactory(visibility="anonymous" if posted != "anonymous" else "published")
    before = person.visibility
    response = client.post(change_url(person), person_data(person, visibility=posted, bio="New"))
    assert response.status_code == 302, errors_of(response)
    person.refresh_from_db()
    assert person.bio == "New"
    assert person.visibility == before


def test_an_editor_publishes_a_person_with_a_source_typed_in_the_same_form(client, editor):
    client.force_login(editor)
    source = SourceFactory()
    response = client.post(
        ADD, person_data(name="Ihar Losik", visibility="published", sources=[source.pk])
    )
    assert response.status_code == 302, errors_of(response)
    assert Person.objects.get().visibility == "published"


def test_an_editor_publishes_a_person_whose_only_source_is_on_a_new_detention(client, editor):
    client.force_login(editor)
    source = SourceFactory()
    response = client.post(
        ADD,
        person_data(
            name="Ihar Losik",
            visibility="published",
            detentions=[{"detained_on": "2020-06-25", "sources": [source.pk]}],
        ),
    )
    assert response.status_code == 302, errors_of(response)
    assert Person.objects.get().visibility == "published"


def test_a_person_without_any_source_is_not_published(client, editor):
    client.force_login(editor)
    response = client.post(
        ADD,
        person_data(
            name="Ihar Losik", visibility="published", detentions=[{"detained_on": "2020-06-25"}]
        ),
    )
    assert response.status_code == 200
    assert "at least one source" in response.content.decode()
    assert not Person.objects.exists()


def test_removing_the_last_source_of_a_published_person_is_refused(client, editor):
    client.force_login(editor)
    detention = DetentionFactory(person__sources=[])
    person = detention.person
    source = SourceFactory()
    detention.sources.set([source])
    row = detention_row(detention, sources=[])
    response = client.post(change_url(person), person_data(person, [row]))
    assert response.status_code == 200
    assert "at least one source" in response.content.decode()
    assert list(detention.sources.all()) == [source]


def _action(client, url, action, objects, **extra):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [o.pk for o in objects], **extra}
    return client.post(url, data, follow=True)


@pytest.mark.parametrize("action", ["publish_people", "unpublish_people", "anonymize_people"])
def test_a_curator_has_no_publishing_actions(client, curator, action):
    client.force_login(curator)
    person = PersonFactory(visibility="anonymous" if action != "anonymize_people" else "draft")
    before = person.visibility
    actions = client.get(CHANGELIST).context["action_form"].fields["action"].choices
    assert action not in [name for name, _label in actions]
    _action(client, CHANGELIST, action, [person])
    person.refresh_from_db()
    assert person.visibility == before


def test_an_editor_publishes_unpublishes_and_anonymizes_by_action(client, editor):
    client.force_login(editor)
    person = PersonFactory(visibility="draft")
    for action, visibility in [
        ("publish_people", "published"),
        ("anonymize_people", "anonymous"),
        ("unpublish_people", "draft"),
    ]:
        response = _action(client, CHANGELIST, action, [person])
        assert response.status_code == 200
        person.refresh_from_db()
        assert person.visibility == visibility
    latest = person.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == editor


def test_the_publish_action_refuses_everyone_if_someone_has_no_source(client, editor):
    client.force_login(editor)
    good = PersonFactory(visibility="draft", name="Has Source")
    bad = PersonFactory(visibility="draft", name="No Source", sources=[])
    response = _action(client, CHANGELIST, "publish_people", [good, bad])
    assert "No Source" in response.content.decode()
    assert "Nobody was published" in response.content.decode()
    good.refresh_from_db()
    assert good.visibility == "draft"


def test_a_curator_cannot_delete_people_and_an_editor_can(client, curator, editor):
    person = PersonFactory()
    url = reverse("admin:prisoners_person_delete", args=[person.pk])
    client.force_login(curator)
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()
    client.force_login(editor)
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()


def test_a_curator_may_remove_a_detention_within_a_record(client, curator):
    client.force_login(curator)
    detention = DetentionFactory()
    person = detention.person
    response = client.post(
        change_url(person), person_data(person, [detention_row(detention, DELETE=True)])
    )
    assert response.status_code == 302, errors_of(response)
    assert not person.detentions.exists()


@pytest.mark.parametrize(
    ("model", "factory"),
    [(ReleaseEvent, ReleaseEventFactory), (SanctionsEvent, SanctionsEventFactory)],
)
def test_a_curator_cannot_publish_events(client, curator, editor, model, factory):
    name = model._meta.model_name
    event = factory(published=False)
    client.force_login(curator)
    url = reverse(f"admin:prisoners_{name}_change", args=[event.pk])
    form = client.get(url).context["adminform"].form
    assert "published" not in form.fields
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update({k: str(v) for k, v in data.items() if not isinstance(v, list)})
    # Many-to-many initial values are records (a sanctions event's targets).
    data.update(
        {k: [getattr(r, "pk", r) for r in v] for k, v in data.items() if isinstance(v, list)}
    )
    data["published"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    event.refresh_from_db()
    assert event.published is False
    _action(client, reverse(f"admin:prisoners_{name}_changelist"), "publish_events", [event])
    event.refresh_from_db()
    assert event.published is False
    assert (
        client.post(
            reverse(f"admin:prisoners_{name}_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )

    client.force_login(editor)
    _action(client, reverse(f"admin:prisoners_{name}_changelist"), "publish_events", [event])
    event.refresh_from_db()
    assert event.published is True
