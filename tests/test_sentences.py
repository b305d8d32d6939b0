"""The life of a sentence: changes after the verdict, the term in force,
days in custody and the expected release, each at the precision its dates
allow."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from prisoners import terms
from prisoners.models import Detention, Person, SentenceChange
from prisoners.partial_dates import PartialDate

from .factories import DetentionFactory, ReleaseFactory, SentenceChangeFactory

pytestmark = pytest.mark.django_db


def _date(text):
    return PartialDate.parse(text)


# The rules, each a valid case beside the refused one.


def test_it_accepts_a_change_after_the_sentence():
    detention = DetentionFactory(detained_on="2021-07-14", sentenced_on="2022-01-10")
    change = SentenceChange(
        detention=detention, changed_on="2023-05", kind="additional", sentence_months=60
    )
    change.full_clean()


def test_it_refuses_a_change_before_the_sentence():
    detention = DetentionFactory(detained_on="2021-07-14", sentenced_on="2022-01-10")
    change = SentenceChange(detention=detention, changed_on="2021-12", kind="appeal")
    with pytest.raises(ValidationError) as error:
        change.full_clean()
    assert error.value.message_dict["changed_on"] == [
        "The change of sentence is before the sentence."
    ]


def test_it_accepts_a_change_in_the_month_of_the_arrest():
    detention = DetentionFactory(detained_on="2021-07-14")
    SentenceChange(detention=detention, changed_on="2021-07", kind="appeal").full_clean()


def test_it_refuses_a_change_before_the_arrest():
    detention = DetentionFactory(detained_on="2021-07-14")
    change = SentenceChange(detention=detention, changed_on="2021-06", kind="appeal")
    with pytest.raises(ValidationError) as error:
        change.full_clean()
    assert error.value.message_dict["changed_on"] == [
        "The change of sentence is before the arrest."
    ]


def test_it_refuses_a_change_without_a_date():
    detention = DetentionFactory()
    with pytest.raises(ValidationError) as error:
        SentenceChange(detention=detention, kind="appeal").full_clean()
    assert "changed_on" in error.value.message_dict


def test_the_database_keeps_a_change_after_the_arrest():
    detention = DetentionFactory(detained_on="2021-07-14")
    SentenceChangeFactory(detention=detention, changed_on="2021-08-01")
    detention.refresh_from_db()
    assert str(detention.first_change_on) == "2021-08-01"


def test_the_database_refuses_a_change_before_the_arrest():
    detention = DetentionFactory(detained_on="2021-07-14")
    with pytest.raises(IntegrityError), transaction.atomic():
        SentenceChangeFactory(detention=detention, changed_on="2021-06-30")
    assert not SentenceChange.objects.exists()


def test_the_database_refuses_moving_the_arrest_after_a_change():
    detention = DetentionFactory(detained_on="2021-07-14")
    SentenceChangeFactory(detention=detention, changed_on="2022-01-01")
    detention.refresh_from_db()
    detention.detained_on = "2022-02-01"
    with pytest.raises(IntegrityError), transaction.atomic():
        detention.save()


def test_the_detention_form_explains_an_arrest_moved_after_a_change():
    detention = DetentionFactory(detained_on="2021-07-14")
    SentenceChangeFactory(detention=detention, changed_on="2022-01-01")
    detention.refresh_from_db()
    detention.detained_on = "2022-02-01"
    with pytest.raises(ValidationError) as error:
        detention.full_clean()
    assert error.value.message_dict["detained_on"] == [
        "The change of sentence is before the arrest."
    ]


def test_it_accepts_an_expected_release_after_the_arrest():
    detention = DetentionFactory(detained_on="2021-07-14", expected_release_on="2030-07")
    detention.full_clean()


def test_it_refuses_an_expected_release_before_the_arrest():
    detention = DetentionFactory.build(
        person=DetentionFactory().person, detained_on="2021-07-14", expected_release_on="2020"
    )
    with pytest.raises(ValidationError) as error:
        detention.full_clean()
    assert error.value.message_dict["expected_release_on"] == [
        "The expected release is before the arrest."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        detention.save()


# The term in force.


def test_the_current_term_is_the_first_sentence_without_changes():
    detention = DetentionFactory(sentence_type="colony", sentence_months=36)
    assert terms.current_term(detention) == terms.Term("colony", 36, None)


def test_the_current_term_is_the_latest_change():
    detention = DetentionFactory(
        detained_on="2020-08-09", sentence_type="colony", sentence_months=36
    )
    SentenceChangeFactory(detention=detention, changed_on="2023-03", sentence_months=48)
    SentenceChangeFactory(detention=detention, changed_on="2022-01-10", sentence_months=72)
    detention = Detention.objects.prefetch_related("sentence_changes").get(pk=detention.pk)
    term = terms.current_term(detention)
    assert (term.sentence_months, str(term.since)) == (48, "2023-03")


# The expected release.


def test_the_expected_release_is_the_arrest_plus_the_term_to_the_day():
    detention = DetentionFactory(
        detained_on="2020-08-09", sentence_type="colony", sentence_months=36
    )
    assert str(detention.expected_release) == "2023-08-09"
    assert str(Person.objects.get(pk=detention.person_id).expected_release) == "2023-08-09"


def test_an_arrest_known_to_the_month_gives_a_month():
    detention = DetentionFactory(detained_on="2020-08", sentence_type="colony", sentence_months=30)
    assert str(detention.expected_release) == "2023-02"


def test_an_arrest_known_to_the_year_gives_a_year():
    detention = DetentionFactory(detained_on="2020", sentence_type="prison", sentence_months=30)
    assert str(detention.expected_release) == "2022"


def test_the_end_of_a_long_month_is_the_last_day_of_a_short_one():
    assert terms.add_months(date(2021, 1, 31), 1) == date(2021, 2, 28)


def test_an_additional_sentence_moves_the_expected_release():
    detention = DetentionFactory(
        detained_on="2020-08-09", sentence_type="colony", sentence_months=36
    )
    SentenceChangeFactory(detention=detention, changed_on="2022-05-10", sentence_months=48)
    detention.refresh_from_db()
    assert str(detention.expected_release) == "2024-08-09"
    assert str(Person.objects.get(pk=detention.person_id).expected_release) == "2024-08-09"


def test_deleting_the_change_puts_the_first_term_back():
    detention = DetentionFactory(
        detained_on="2020-08-09", sentence_type="colony", sentence_months=36
    )
    change = SentenceChangeFactory(detention=detention, changed_on="2022-05-10")
    change.delete()
    detention.refresh_from_db()
    assert str(detention.expected_release) == "2023-08-09"
    assert detention.first_change_on is None


def test_a_recorded_expected_release_wins():
    detention = DetentionFactory(
        detained_on="2020-08-09",
        sentence_type="colony",
        sentence_months=36,
        expected_release_on="2023-06",
    )
    assert str(detention.expected_release) == "2023-06"


def test_a_released_or_life_sentence_has_no_expected_release():
    released = DetentionFactory(
        detained_on="2020-08-09", sentence_type="colony", sentence_months=36
    )
    ReleaseFactory(detention=released, released_on="2021-01-01")
    released.refresh_from_db()
    life = DetentionFactory(detained_on="2020-08-09", sentence_type="life", sentence_months=None)
    assert released.expected_release is None
    assert life.expected_release is None
    assert Person.objects.get(pk=released.person_id).expected_release is None


# Days in custody.


def test_days_in_custody_are_exact_with_days():
    spans = [(_date("2020-01-01"), _date("2020-01-31"), False)]
    assert terms.days_in_custody(spans, date(2025, 1, 1)) == terms.DayRange(30, 30)


def test_days_in_custody_are_a_range_with_months():
    spans = [(_date("2020-01"), _date("2020-03-01"), False)]
    # Arrested any day of January: 30 to 60 days.
    assert terms.days_in_custody(spans, date(2025, 1, 1)) == terms.DayRange(30, 60)


def test_days_in_custody_add_up_detentions_and_count_an_open_one_to_today():
    spans = [
        (_date("2019"), _date("2019-12-31"), False),
        (_date("2021-07-14"), None, True),
    ]
    result = terms.days_in_custody(spans, date(2021, 7, 24))
    assert result == terms.DayRange(0 + 10, 364 + 10)
    assert not result.exact


def test_days_in_custody_leave_out_unknown_dates():
    spans = [(None, _date("2020-01-01"), False), (_date("2020-01-01"), None, False)]
    assert terms.days_in_custody(spans, date(2025, 1, 1)) is None


def test_the_person_stores_what_the_list_sorts_on():
    first = DetentionFactory(detained_on="2019-01-01")
    ReleaseFactory(detention=first, released_on="2019-03-02")
    DetentionFactory(person=first.person, detained_on="2021-07-14")
    person = Person.objects.get(pk=first.person_id)
    assert (person.custody_days, person.custody_since) == (60, date(2021, 7, 14))
    annotated = Person.objects.with_days_in_custody(date(2021, 7, 24)).get(pk=person.pk)
    assert annotated.days_in_custody == 70


# The person's page.


def _held_person(client_get=None):
    detention = DetentionFactory(
        detained_on="2020-08-09", sentence_type="colony", sentence_months=36
    )
    SentenceChangeFactory(
        detention=detention, changed_on="2022-05-10", kind="additional", sentence_months=48
    )
    return detention.person


def test_the_person_page_shows_the_history_the_current_term_and_the_expected_release(client):
    person = _held_person()
    html = client.get(person.get_absolute_url()).content.decode()
    assert "Sentence changed" in html
    assert "additional sentence" in html
    assert (
        'class="current-term">Penal colony, <span class="sentence-length" data-months="48">' in html
    )
    assert '<time datetime="2024-08-09">' in html
    assert "expected, from the arrest and the current sentence" in html
    assert "Time in custody" in html


def test_the_person_page_gives_days_as_a_range_with_partial_dates(client):
    detention = DetentionFactory(detained_on="2019-01")
    ReleaseFactory(detention=detention, released_on="2019-03-02")
    html = client.get(detention.person.get_absolute_url()).content.decode()
    assert "about 30–60 days" in html


def test_the_person_page_gives_exact_days_with_days(client):
    detention = DetentionFactory(detained_on="2019-01-01")
    ReleaseFactory(detention=detention, released_on="2023-05-25")
    html = client.get(detention.person.get_absolute_url()).content.decode()
    assert "1,605 days" in html


def test_the_person_page_expected_release_is_in_month_with_a_month_arrest(client):
    detention = DetentionFactory(detained_on="2020-08", sentence_type="colony", sentence_months=72)
    html = client.get(detention.person.get_absolute_url()).content.decode()
    assert '<time datetime="2026-08">Aug 2026</time>' in html


def test_the_person_page_is_translated(client):
    person = _held_person()
    html = client.get("/be" + person.get_absolute_url()).content.decode()
    assert "Time in custody" not in html and "Sentence changed" not in html


# The admin.


def test_a_curator_records_a_change_in_the_admin_with_its_history(client, curator):
    from django.urls import reverse

    client.force_login(curator)
    detention = DetentionFactory(detained_on="2020-08-09", sentenced_on="2021-01-10")
    data = {
        "detention": detention.pk,
        "changed_on": "2022-05",
        "kind": "additional",
        "sentence_type": "colony",
        "sentence_months": "48",
        "_version": "",
    }
    response = client.post(reverse("admin:prisoners_sentencechange_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    change = SentenceChange.objects.get()
    assert change.history.get().history_user == curator
    page = client.get(reverse("admin:prisoners_detention_change", args=[detention.pk]))
    assert "sentence_changes-0-changed_on" in page.content.decode()


def test_the_admin_refuses_a_change_before_the_sentence(client, curator):
    from django.urls import reverse

    client.force_login(curator)
    detention = DetentionFactory(detained_on="2020-08-09", sentenced_on="2021-01-10")
    data = {"detention": detention.pk, "changed_on": "2020-12", "kind": "appeal", "_version": ""}
    response = client.post(reverse("admin:prisoners_sentencechange_add"), data)
    assert response.status_code == 200
    assert "The change of sentence is before the sentence." in response.content.decode()
    assert not SentenceChange.objects.exists()


# The API.


def test_the_api_gives_the_changes_the_current_term_days_and_expected_release(client):
    person = _held_person()
    answer = client.get(f"/api/prisoners/{person.person_id}/").json()
    detention = answer["detentions"][0]
    assert detention["sentence_changes"] == [
        {
            "changed_on": "2022-05-10",
            "kind": "additional",
            "sentence_type": "colony",
            "sentence_months": 48,
            "sources": [],
        }
    ]
    assert detention["current_term"] == {
        "sentence_type": "colony",
        "sentence_months": 48,
        "since": "2022-05-10",
    }
    assert detention["expected_release"] == "2024-08-09"
    assert detention["expected_release_on"] is None
    assert answer["expected_release"] == "2024-08-09"
    days = (timezone.localdate() - date(2020, 8, 9)).days
    assert answer["days_in_custody"] == {"low": days, "high": days, "exact": True}


def test_the_detention_admin_shows_the_expected_release(client, curator):
    from django.urls import reverse

    client.force_login(curator)
    detention = DetentionFactory(detained_on="2020-08", sentence_type="colony", sentence_months=72)
    page = client.get(reverse("admin:prisoners_detention_change", args=[detention.pk]))
    assert "Aug 2026" in page.content.decode()
