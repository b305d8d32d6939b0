"""The filters of /prisoners/ against known data."""

from __future__ import annotations

import pytest

from prisoners.models import Person
from prisoners.public.filters import PersonFilter
from tests.factories import (
    ChargeFactory,
    DetentionFactory,
    OrganizationFactory,
    PersonFactory,
    ReleaseEventFactory,
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db


def person(person_id, **kwargs):
    return PersonFactory(person_id=person_id, name=kwargs.pop("name", person_id.title()), **kwargs)


def detain(who, detained_on, *, charges=(), detention_id=None, **kwargs):
    detention = DetentionFactory(
        person=who,
        detained_on=detained_on,
        detention_id=detention_id or f"{who.person_id}-{detained_on or 'unknown'}",
        **kwargs,
    )
    detention.charges.set([ChargeFactory(article=a) for a in charges])
    return detention


def release(detention, released_on, release_type, **kwargs):
    return ReleaseFactory(
        detention=detention, released_on=released_on, release_type=release_type, **kwargs
    )


@pytest.fixture
def people():
    """Known people, each a case the filters must get right."""
    event = ReleaseEventFactory(event_id="2025-12-13-release", date="2025-12-13")
    viasna = OrganizationFactory(name="Viasna")
    council = OrganizationFactory(name="Coordination Council")

    ales = person(
        "ales",
        name="Ales Bialiatski",
        gender="male",
        region="Minsk",
        recognized_on="2021-07-20",
    )
    ales.organizations.set([viasna])
    release(
        detain(ales, "2021-07-14", charges=["228"]), "2025-12-13", "negotiated", release_event=event
    )

    maria = person(
        "maria",
        name="Maria Kalesnikava",
        gender="female",
        region="Minsk",
        recognized_on="2020-09-09",
    )
    maria.organizations.set([council])
    release(
        detain(maria, "2020-09-07", charges=["342", "361"]),
        "2025-12-13",
        "negotiated",
        release_event=event,
    )

    # Pardoned in December after an earlier detention: a pardon and a
    # December release, on one detention.
    pavel = person("pavel", gender="male", region="Homiel", recognized_on="2022-04")
    release(detain(pavel, "2022-03", charges=["342"]), "2025-12-15", "pardon")

    # A pardon long ago, a December release of another kind: never both.
    ihar = person("ihar", gender="male", region="Homiel", recognized_on="2020-01-15")
    release(detain(ihar, "2020-01-10", charges=["342"]), "2020-06-01", "pardon")
    release(detain(ihar, "2025-06-01", charges=["361"]), "2025-12-20", "sentence_served")

    # Detained in a year known only as 2021 (counts as 1 January), still held.
    yana = person("yana", gender="female", region="Hrodna", recognized_on="2021-03")
    yana.organizations.set([viasna])
    detain(yana, "2021", charges=["342"])

    # Arrest date unknown, freed in the mass release: held on no day.
    siarhei = person("siarhei", gender="male", region="Vitsebsk")
    release(
        detain(siarhei, None),
        "2025-12-13",
        "deported",
        release_event=event,
        released_to="Lithuania",
    )

    # Died in custody.
    dzmitry = person("dzmitry", gender="male", recognized_on="2021-06-01", died_on="2023-02-01")
    detain(dzmitry, "2021-05-01", charges=["342"])

    # Recognition withdrawn; a fine ends the detention at sentencing.
    wiktor = person(
        "wiktor",
        gender="male",
        region="Minsk",
        recognized_on="2021-01-01",
        recognition_withdrawn_on="2022-01-01",
    )
    detain(wiktor, "2024-01-10", sentence_type="fine", sentenced_on="2024-03-01")

    # Never detained on record.
    nina = person("nina", gender="female")

    # Not public: never listed.
    hidden = person("hidden", visibility="draft", region="Minsk", recognized_on="2021-01-01")
    release(detain(hidden, "2021-07-14"), "2025-12-13", "pardon", release_event=event)
    anonymous = person("anonymous", visibility="anonymous", region="Minsk")
    release(detain(anonymous, "2021-07-14"), "2025-12-13", "pardon")

    for someone in (ales, maria, pavel, ihar, yana, siarhei, dzmitry, wiktor, nina):
        someone.refresh_from_db()
    return event


def listed(client, query: str = "") -> list[str]:
    response = client.get(f"/prisoners/?{query}")
    assert response.status_code == 200, response.content.decode()
    assert response.context["paginator"].count == len(response.context["people"])
    return [p.person_id for p in response.context["people"]]


def test_it_lists_published_people_by_name(client, people):
    assert listed(client) == [
        "ales",
        "dzmitry",
        "ihar",
        "maria",
        "nina",
        "pavel",
        "siarhei",
        "wiktor",
        "yana",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=released", {"ales", "maria", "pavel", "ihar", "siarhei"}),
        ("status=in_custody", {"yana"}),
        ("status=deceased", {"dzmitry"}),
        ("status=unknown", {"nina", "wiktor"}),
        ("status=deceased&status=in_custody", {"dzmitry", "yana"}),
        ("gender=female", {"maria", "yana", "nina"}),
        ("region=Minsk", {"ales", "maria", "wiktor"}),
        ("region=Minsk&region=Homiel", {"ales", "maria", "wiktor", "pavel", "ihar"}),
        ("region=Nowhere", set()),
        ("organization=Viasna", {"ales", "yana"}),
        ("organization=Viasna&organization=Coordination+Council", {"ales", "yana", "maria"}),
        ("charge=228", {"ales"}),
        ("charge=361", {"maria", "ihar"}),
        ("charge=228&charge=361", {"ales", "maria", "ihar"}),
        ("release_type=pardon", {"pavel", "ihar"}),
        ("release_type=deported&release_type=pardon", {"siarhei", "pavel", "ihar"}),
        ("release_event=2025-12-13-release", {"ales", "maria", "siarhei"}),
        ("recognized=yes", {"ales", "maria", "pavel", "ihar", "yana", "dzmitry"}),
        ("recognized=no", {"siarhei", "wiktor", "nina"}),
        ("status=released&region=Minsk", {"ales", "maria"}),
        ("unknown_parameter=1&region=Vitsebsk", {"siarhei"}),
    ],
)
def test_choice_filters_match_any_value_and_combine(client, people, query, expected):
    assert set(listed(client, query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Inclusive bounds, on first possible days.
        ("detained_after=2021-07-14", {"ales", "pavel", "ihar", "wiktor"}),
        ("detained_after=2021-07-15", {"pavel", "ihar", "wiktor"}),
        ("detained_before=2020-09-07", {"maria", "ihar"}),
        ("detained_before=2020-09-06", {"ihar"}),
        # A date known to the year counts as its first day…
        ("detained_after=2021-01-01&detained_before=2021-01-01", {"yana"}),
        ("detained_after=2021-01-02&detained_before=2021-12-31", {"ales", "dzmitry"}),
        # …and one known to the month as the 1st of that month.
        ("detained_after=2022-03-01&detained_before=2022-03-01", {"pavel"}),
        ("recognized_after=2021-03-01&recognized_before=2021-03-01", {"yana"}),
        ("recognized_after=2022-04-02", set()),
        (
            "released_after=2025-12-01&released_before=2025-12-31",
            {"ales", "maria", "pavel", "ihar", "siarhei"},
        ),
        ("released_after=2025-12-14", {"pavel", "ihar"}),
        ("released_before=2025-12-13&released_after=2025-12-13", {"ales", "maria", "siarhei"}),
    ],
)
def test_date_filters_are_inclusive_and_use_first_days(client, people, query, expected):
    assert set(listed(client, query)) == expected


def test_filters_on_detentions_apply_to_one_and_the_same_detention(client, people):
    """Ihar was pardoned in 2020 and released otherwise in December 2025."""
    assert set(listed(client, "release_type=pardon&released_after=2025-12-01")) == {"pavel"}
    assert set(listed(client, "charge=342&released_after=2025-12-01")) == {"maria", "pavel"}
    assert set(listed(client, "charge=361&release_type=pardon")) == set()
    assert set(listed(client, "charge=342&detained_after=2025-01-01")) == set()
    assert set(listed(client, "held_on=2020-03-01&charge=361")) == set()
    assert set(listed(client, "held_on=2020-03-01&charge=342")) == {"ihar"}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2021-07-13", {"maria", "yana", "dzmitry"}),
        # The day of arrest is held…
        ("2021-07-14", {"ales", "maria", "yana", "dzmitry"}),
        ("2023-01-31", {"ales", "maria", "pavel", "yana", "dzmitry"}),
        # …the day of death is not.
        ("2023-02-01", {"ales", "maria", "pavel", "yana"}),
        ("2024-02-29", {"ales", "maria", "pavel", "yana", "wiktor"}),
        ("2024-03-01", {"ales", "maria", "pavel", "yana"}),
        ("2025-12-12", {"ales", "maria", "pavel", "ihar", "yana"}),
        # The day of release is not held.
        ("2025-12-13", {"pavel", "ihar", "yana"}),
        ("2025-12-20", {"yana"}),
    ],
)
def test_held_on_counts_the_arrest_day_but_not_the_release_day(client, people, day, expected):
    assert set(listed(client, f"held_on={day}")) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        (
            "name",
            ["ales", "dzmitry", "ihar", "maria", "nina", "pavel", "siarhei", "wiktor", "yana"],
        ),
        (
            "-name",
            ["yana", "wiktor", "siarhei", "pavel", "nina", "maria", "ihar", "dzmitry", "ales"],
        ),
        # By the latest known arrest; no known arrest last, then by person_id.
        (
            "detained_on",
            ["maria", "yana", "dzmitry", "ales", "pavel", "wiktor", "ihar", "nina", "siarhei"],
        ),
        (
            "-detained_on",
            ["ihar", "wiktor", "pavel", "ales", "dzmitry", "yana", "maria", "nina", "siarhei"],
        ),
        (
            "released_on",
            ["ales", "maria", "siarhei", "pavel", "ihar", "dzmitry", "nina", "wiktor", "yana"],
        ),
        (
            "-released_on",
            ["ihar", "pavel", "ales", "maria", "siarhei", "dzmitry", "nina", "wiktor", "yana"],
        ),
    ],
)
def test_it_orders_with_empty_dates_last(client, people, ordering, expected):
    assert listed(client, f"ordering={ordering}") == expected


FACET_QUERIES = [
    "",
    "released_after=2025-12-01",
    "release_type=pardon",
    "region=Minsk&status=released",
    "charge=342&held_on=2022-06-01",
    "organization=Viasna",
    "recognized=yes&detained_after=2021-01-01",
]


@pytest.mark.parametrize("query", FACET_QUERIES)
def test_facet_counts_agree_with_the_list(client, people, query):
    """Each facet count is the size of the list with that value added (for
    a facet not yet filtered on: a second value of one filter means either),
    and the statuses of the list add up to the people listed."""
    response = client.get(f"/prisoners/?{query}")
    facets = {group["name"]: group["options"] for group in response.context["facets"]}
    assert sum(o["count"] for o in facets["status"]) == len(response.context["people"])
    for name, options in facets.items():
        if f"{name}=" in query:
            continue
        for option in options:
            if option["checked"] or not option["count"]:
                continue
            narrowed = f"{query}&{name}={option['value']}".lstrip("&")
            assert len(listed(client, narrowed)) == option["count"], (narrowed, option)


def test_facets_count_people_not_detentions(client, people):
    facets = PersonFilter({}, queryset=Person.objects.published()).facets()
    assert dict(facets["charge"])["342"] == 5  # maria, pavel, ihar (twice), yana, dzmitry
    assert dict(facets["status"]) == {
        "released": 5,
        "unknown": 2,
        "in_custody": 1,
        "deceased": 1,
    }
    assert dict(facets["release_type"]) == {
        "negotiated": 2,
        "pardon": 2,
        "deported": 1,
        "sentence_served": 1,
    }
    assert dict(facets["organization"]) == {"Viasna": 2, "Coordination Council": 1}
    assert "" not in dict(facets["region"])


@pytest.mark.parametrize(
    ("query", "param", "message"),
    [
        ("held_on=2025-13-01", "held_on", "Enter a valid date."),
        ("released_after=13.12.2025", "released_after", "Enter a valid date."),
        ("detained_before=2025-12", "detained_before", "Enter a valid date."),
        (
            "status=free",
            "status",
            "Select a valid choice. free is not one of the available choices.",
        ),
        ("recognized=maybe", "recognized", "Select a valid choice."),
        ("ordering=age", "ordering", "Select a valid choice."),
        ("release_type=escape&page=3", "release_type", "Select a valid choice."),
    ],
)
def test_an_invalid_value_shows_the_form_again_with_its_error_and_400(
    client, people, query, param, message
):
    response = client.get(f"/prisoners/?{query}")
    assert response.status_code == 400
    assert param in response.context["form"].errors
    text = response.content.decode()
    assert message.split(".")[0] in text
    assert 'role="alert"' in text
    assert 'name="q"' in text  # the form is shown again
    assert list(response.context["people"]) == []


def test_a_page_past_the_end_is_404(client):
    for _i in range(3):
        PersonFactory()
    assert client.get("/prisoners/?page=1").status_code == 200
    assert client.get("/prisoners/?page=2").status_code == 404
    assert client.get("/prisoners/?page=nope").status_code == 404
    assert client.get("/prisoners/?page=last").status_code == 200


def test_pages_keep_the_filters(client, settings):
    from prisoners.public import views

    for _i in range(views.PEOPLE_PER_PAGE + 1):
        PersonFactory(region="Minsk")
    response = client.get("/prisoners/?region=Minsk")
    assert 'href="?region=Minsk&amp;page=2"' in response.content.decode()
    assert len(client.get("/prisoners/?region=Minsk&page=2").context["people"]) == 1


def test_the_filterset_serves_other_outputs_without_html(people):
    """The open-data outputs reuse PersonFilter as it is: qs and form errors."""
    good = PersonFilter(
        {"region": ["Minsk"], "ordering": "-name"}, queryset=Person.objects.published()
    )
    assert good.is_valid()
    assert [p.person_id for p in good.qs] == ["wiktor", "maria", "ales"]
    bad = PersonFilter({"held_on": "soon"}, queryset=Person.objects.published())
    assert not bad.is_valid()
    assert bad.errors == {"held_on": ["Enter a valid date."]}


def test_empty_fields_of_the_form_are_ignored(client, people):
    """A GET form sends its empty fields too."""
    query = "q=&region=Minsk&held_on=&recognized=&ordering=name"
    assert listed(client, query) == ["ales", "maria", "wiktor"]


@pytest.mark.parametrize(
    "url", ["/prisoners/", "/prisoners/export.csv", "/prisoners/feed.atom", "/api/prisoners/"]
)
def test_an_empty_choice_chooses_nothing_in_every_output(client, people, url):
    response = client.get(url, {"status": "", "gender": "", "release_type": "", "region": "Minsk"})
    assert response.status_code == 200
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content).decode()
    else:
        body = response.content.decode()
    named = {
        p
        for p in ("ales", "maria", "wiktor", "pavel", "yana", "nina")
        if f"{p}," in body or f"/{p}/" in body or f'"{p}"' in body
    }
    assert named == {"ales", "maria", "wiktor"}
    assert client.get(url, {"status": ["", "free"]}).status_code == 400
