"""The import preview names every change, record by record, and curators'
imports leave what is published alone."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from prisoners.interchange.changes import SHOWN, Change, excerpt
from prisoners.interchange.columns import KINDS
from prisoners.interchange.importer import run_import
from prisoners.models import Person, Visibility
from tests.factories import (
    DetentionFactory,
    PersonFactory,
    ReleaseEventFactory,
    SanctionsEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

HEADER = "person_id,name,bio,internal_notes,detention_id,detained_on,released_on,release_type\n"
EVENTS = "event_id,date,title,announced_count\n"


def _published_person():
    person = PersonFactory(
        person_id="ales", name="Ales B", bio="Founder.", visibility=Visibility.PUBLISHED
    )
    person.sources.add(SourceFactory())
    DetentionFactory(person=person, detention_id="ales-2021", detained_on="2021-07-14")
    return person


def _by_id(result) -> dict[str, Change]:
    return {change.id: change for change in result.changes}


def test_it_names_each_created_updated_and_unchanged_record_with_its_fields():
    _published_person()
    ReleaseEventFactory(event_id="freed-a", title="Old title", published=True)
    ReleaseEventFactory(event_id="freed-b", title="Same", published=False)
    prisoners = HEADER + (
        "ales,Ales B,Founder of Viasna.,,ales-2021,2021-07-14,2025-12-13,pardon\n"
        "new-one,New One,,,,,,\n"
    )
    events = EVENTS + "freed-a,2025-12-13,New title,\n"
    result = run_import([("p.csv", prisoners.encode()), ("r.csv", events.encode())], dry_run=True)
    assert result.ok, result.errors
    changes = _by_id(result)
    assert changes["ales"].action == "updated" and changes["ales"].published
    assert changes["ales"].fields == (("bio", "Founder.", "Founder of Viasna."),)
    assert changes["ales-2021"].kind == "detentions" and changes["ales-2021"].published
    assert ("released_on", "", "2025-12-13") in changes["ales-2021"].fields
    assert ("release_type", "", "pardon") in changes["ales-2021"].fields
    assert changes["new-one"].action == "created" and not changes["new-one"].published
    assert changes["freed-a"].kind == "release events" and changes["freed-a"].published
    assert changes["freed-a"].fields == (("title", "Old title", "New title"),)
    assert "freed-b" not in changes  # not in the files: not listed


def test_it_lists_unchanged_records_too():
    _published_person()
    prisoners = HEADER + "ales,Ales B,Founder.,,ales-2021,2021-07-14,,\n"
    result = run_import([("p.csv", prisoners.encode())], dry_run=True)
    assert {(c.id, c.action) for c in result.changes} == {
        ("ales", "unchanged"),
        ("ales-2021", "unchanged"),
    }


def test_it_marks_a_published_sanctions_event_overwritten():
    SanctionsEventFactory(event_id="potash", target="Belaruskali", published=True)
    header = "event_id,date,authority,action,target\n"
    result = run_import(
        [("s.csv", (header + "potash,2025-12-13,US,imposed,Belaruskali\n").encode())],
        dry_run=True,
    )
    assert result.ok, result.errors
    (change,) = result.changes
    assert (change.kind, change.action, change.published) == ("sanctions events", "updated", True)
    assert change.fields[0][0] in {"date", "authority", "action", "target"}


def test_it_cuts_a_long_text_around_its_first_difference():
    before = "a" * 5000 + "OLD" + "z" * 5000
    after = "a" * 5000 + "NEW" + "z" * 5000
    shown_before, shown_after = excerpt(before, after)
    assert "OLD" in shown_before and "NEW" in shown_after
    assert len(shown_before) <= SHOWN + 2 and shown_before.startswith("…")


def test_the_dry_run_command_prints_each_change_and_its_fields(tmp_path, capsys):
    _published_person()
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "ales,Ales B,Founder of Viasna.,,ales-2021,2021-07-14,,\n")
    call_command("import_records", str(path), "--dry-run", "--quiet")
    out = capsys.readouterr().out
    assert "updated people ales [published]" in out
    assert "    bio: 'Founder.' → 'Founder of Viasna.'" in out
    assert "ales-2021" not in out  # unchanged: shown only with -v 2
    call_command("import_records", str(path), "--dry-run", "--quiet", verbosity=2)
    assert "unchanged detentions ales-2021 [published]" in capsys.readouterr().out
    assert Person.objects.get().bio == "Founder."


def _upload(client, text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("prisoners.csv", text.encode(), content_type="text/csv")
    return client.post(reverse("prisoners_import"), {"files": [upload]})


def test_the_admin_preview_lists_changes_paged_and_filtered(client, editor):
    client.force_login(editor)
    _published_person()
    rows = "".join(f"p-{n:03},Person {n},,,,,,\n" for n in range(60))
    response = _upload(client, HEADER + "ales,Ales B,Longer.,,ales-2021,2021-07-14,,\n" + rows)
    assert response.status_code == 200
    page = response.content.decode()
    token = response.context["token"]
    assert response.context["changes_page"].paginator.count == 62
    assert len(response.context["changes_page"].object_list) == 50
    assert "Founder." in page and "Longer." in page
    assert re.search(r"<code>ales</code> <strong[^>]*>published</strong>", page)
    url = reverse("prisoners_import")
    second = client.get(url, {"token": token, "page": 2})
    assert len(second.context["changes_page"].object_list) == 12
    updated = client.get(url, {"token": token, "show": "updated"})
    assert [c.id for c in updated.context["changes_page"].object_list] == ["ales"]
    # The preview wrote nothing; importing the token does.
    assert Person.objects.count() == 1
    client.post(url, {"token": token})
    assert Person.objects.count() == 61


def test_another_session_cannot_read_a_preview(client, editor, curator):
    client.force_login(editor)
    token = _upload(client, HEADER + "p-1,P,,,,,,\n").context["token"]
    client.force_login(curator)
    response = client.get(reverse("prisoners_import"), {"token": token})
    assert response.status_code == 302


# Curators' imports leave what is published alone


def test_a_curators_import_cannot_change_a_published_persons_public_fields():
    _published_person()
    prisoners = HEADER + "ales,Ales B,Rewritten.,,ales-2021,2021-07-14,2025-12-13,pardon\n"
    result = run_import([("p.csv", prisoners.encode())], can_publish=False)
    assert result.errors == [
        "p.csv:2: bio: person ales is published: only an editor may change what the public "
        "sees (bio, released_on, release_type)"
    ]
    assert Person.objects.get().bio == "Founder."
    assert run_import([("p.csv", prisoners.encode())], can_publish=True).ok


def test_a_curators_import_may_change_private_notes_and_drafts():
    _published_person()
    PersonFactory(person_id="draft", name="Draft", bio="Old.", visibility=Visibility.DRAFT)
    prisoners = HEADER + (
        "ales,Ales B,Founder.,Met the family.,ales-2021,2021-07-14,,\ndraft,Draft,New.,,,,,\n"
    )
    result = run_import([("p.csv", prisoners.encode())], can_publish=False)
    assert result.ok, result.errors
    assert Person.objects.get(person_id="ales").internal_notes == "Met the family."
    assert Person.objects.get(person_id="draft").bio == "New."


def test_a_curators_import_cannot_add_a_detention_to_a_published_person():
    _published_person()
    prisoners = HEADER + "ales,Ales B,Founder.,,ales-2019,2019-01-01,2019-06-01,pardon\n"
    result = run_import([("p.csv", prisoners.encode())], can_publish=False)
    assert not result.ok
    assert result.errors == [
        "p.csv:2: detained_on: person ales is published: only an editor may change what the "
        "public sees (detained_on, released_on, release_type)"
    ]


def test_the_import_form_names_every_file_of_the_interchange_format(client, editor):
    client.force_login(editor)
    page = client.get(reverse("prisoners_import")).content.decode()
    for kind in KINDS:
        assert kind.filename in page
