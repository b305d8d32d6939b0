"""Saves that cannot be lost: the version check and the write are one step,
and a form that does not say which version it edits is refused."""

import threading

import pytest
from django.db import connection
from django.test import Client

from prisoners.history import acting_as
from prisoners.models import Person
from tests.factories import DetentionFactory, ReleaseFactory
from tests.test_admin_person import change_url, detention_row, errors_of, person_data

STALE = "changed this record on"
NO_VERSION = "sent without the version of the record"


@pytest.mark.django_db
def test_it_refuses_a_person_form_without_its_version(client, curator):
    person = DetentionFactory().person
    client.force_login(curator)
    data = person_data(person, bio="Typed without a version")
    del data["_version"]
    response = client.post(change_url(person), data)
    assert response.status_code == 200
    assert NO_VERSION in response.content.decode()
    person.refresh_from_db()
    assert person.bio == ""


@pytest.mark.django_db
def test_it_refuses_a_detention_row_without_its_version_and_saves_nothing(client, curator):
    detention = DetentionFactory(detained_on="2021")
    person = detention.person
    client.force_login(curator)
    row = detention_row(detention, sentence_months="36")
    data = person_data(person, [row], bio="Typed with the row")
    del data["detentions-0-_version"]
    response = client.post(change_url(person), data)
    assert response.status_code == 200
    assert NO_VERSION in response.content.decode()
    person.refresh_from_db()
    detention.refresh_from_db()
    assert person.bio == ""
    assert detention.sentence_months is None


@pytest.mark.django_db
def test_it_saves_nothing_of_a_submission_with_one_stale_detention_row(client, curator, editor):
    """The person's own form is fresh; a detention row is not: neither the
    person's change nor the other rows are written."""
    fresh_detention = ReleaseFactory(detention__detained_on="2019").detention
    person = fresh_detention.person
    stale_detention = DetentionFactory(person=person, detained_on="2020")
    client.force_login(curator)
    rows = [
        detention_row(fresh_detention, detained_on="2019-05"),
        detention_row(stale_detention, sentence_months="36"),
    ]
    with acting_as(editor):
        stale_detention.sentence_months = 24
        stale_detention.save()
    response = client.post(change_url(person), person_data(person, rows, bio="Curator's bio"))
    assert response.status_code == 200
    assert STALE in response.content.decode()
    person.refresh_from_db()
    fresh_detention.refresh_from_db()
    stale_detention.refresh_from_db()
    assert person.bio == ""
    assert str(fresh_detention.detained_on) == "2019"
    assert stale_detention.sentence_months == 24


@pytest.mark.django_db
def test_it_saves_a_fresh_form(client, curator):
    person = DetentionFactory().person
    client.force_login(curator)
    response = client.post(change_url(person), person_data(person, bio="Fresh"))
    assert response.status_code == 302, errors_of(response)
    person.refresh_from_db()
    assert person.bio == "Fresh"


ROUNDS = 10


@pytest.mark.django_db(transaction=True)
def test_it_accepts_exactly_one_of_two_simultaneous_saves_of_the_same_form(
    on_postgres, django_user_model
):
    """Two editors post the form they both loaded at the same moment, from
    two connections, ten times over: each time one save wins and the other
    is shown the winner's change; nothing is lost unseen."""
    editors = [
        django_user_model.objects.create_superuser(name, password="pass-1234-long")
        for name in ("first-editor", "second-editor")
    ]
    clients = []
    for user in editors:
        client = Client()
        client.force_login(user)
        clients.append(client)
    person = DetentionFactory().person
    url = change_url(person)
    for round_ in range(ROUNDS):
        person = Person.objects.get(pk=person.pk)
        loaded = [person_data(person, bio=f"round {round_} by {u.username}") for u in editors]
        responses = _post_at_once(url, clients, loaded)
        codes = sorted(r.status_code for r in responses)
        assert codes == [200, 302], f"round {round_}: {codes}"
        winner = next(i for i, r in enumerate(responses) if r.status_code == 302)
        loser = responses[1 - winner]
        assert STALE in loser.content.decode()
        assert editors[winner].username in loser.content.decode()
        person.refresh_from_db()
        assert person.bio == f"round {round_} by {editors[winner].username}"


def _post_at_once(url, clients, posts) -> list:
    """Each client posts its data to ``url`` from its own thread (and
    database connection), released together."""
    barrier = threading.Barrier(len(clients))
    responses = [None] * len(clients)

    def post(i):
        try:
            barrier.wait(timeout=10)
            responses[i] = clients[i].post(url, posts[i])
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses
