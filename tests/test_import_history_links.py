"""An import's history rows copy each record's many-to-many rows as they
are stored (their ids too): taken from the rows just inserted for a new
record, read back for a stored one."""

import pytest

from prisoners.interchange.importer import run_import
from prisoners.models import Person, ReleaseEvent

pytestmark = pytest.mark.django_db


def _run(text: str, events: str = ""):
    files = [("p.csv", text.encode())]
    if events:
        files.append(("r.csv", events.encode()))
    result = run_import(files, via="admin import")
    assert result.ok, result.errors
    return result


def _stored_links(record) -> set:
    through = type(record).sources.through
    owner = type(record)._meta.model_name
    return {(t.id, t.source_id) for t in through.objects.filter(**{owner: record})}


def _history_links(history_row) -> set:
    return {(link.id, link.source_id) for link in history_row.sources.all()}


def test_a_new_records_history_links_are_its_stored_links_with_their_ids():
    _run(
        "person_id,name,person_sources\n"
        "p-1,N,https://e.org/a https://e.org/b\np-2,M,https://e.org/b\np-3,K,\n",
        "event_id,date,title,published,sources\nev-1,2025-12-13,T,no,https://e.org/e\n",
    )
    for person in Person.objects.all():
        history = person.history.get()
        assert history.history_type == "+"
        assert _history_links(history) == _stored_links(person)
    assert len(_stored_links(Person.objects.get(person_id="p-1"))) == 2
    assert _stored_links(Person.objects.get(person_id="p-3")) == set()
    event = ReleaseEvent.objects.get()
    assert _history_links(event.history.get()) == _stored_links(event) != set()


def test_a_stored_records_changed_links_are_read_back_into_its_history():
    _run("person_id,name,person_sources\np-1,N,https://e.org/a\n")
    _run("person_id,name,person_sources\np-1,N,https://e.org/a https://e.org/c\n")
    person = Person.objects.get()
    latest = person.history.order_by("-history_id").first()
    assert latest.history_type == "~"
    assert _history_links(latest) == _stored_links(person)
    assert len(_stored_links(person)) == 2
