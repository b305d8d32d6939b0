"""Sanctions as legal acts: what is in force on a day (prisoners/sanctions.py),
targets as records found by any of their names, and the pages, filters,
files and API that say so."""

from datetime import date, timedelta

import pytest

from prisoners.choices import Standing
from prisoners.interchange.exporter import sanctions_event_rows
from prisoners.interchange.importer import run_import
from prisoners.interchange.targets import target_rows
from prisoners.models import SanctionsEvent, SanctionsTarget
from prisoners.sanctions import standings_on
from tests.factories import ReleaseEventFactory, SanctionsEventFactory, SanctionsTargetFactory

pytestmark = pytest.mark.django_db

DESIGNATED, LICENSED, DELISTED = date(2021, 8, 9), date(2025, 12, 13), date(2026, 3, 1)
LICENCE_EXPIRES = date(2026, 6, 1)


@pytest.fixture
def belaruskali():
    """Designated by the US, then licensed, then delisted; the EU's sectoral
    measure in force all along, until it expires."""
    target = SanctionsTargetFactory(
        target_id="belaruskali", name="Belaruskali", aliases="Belaruskali OAO; Беларуськалий"
    )
    acts = {
        "designation": SanctionsEventFactory(
            event_id="us-designation", date="2021-08-09", action="imposed", target=""
        ),
        "licence": SanctionsEventFactory(
            event_id="us-licence",
            date="2025-12-12",  # announced the day before it takes effect
            effective_on=LICENSED,
            expires_on=LICENCE_EXPIRES,
            action="eased",
            legal_reference="OFAC General License 13",
            target="",
        ),
        "delisting": SanctionsEventFactory(
            event_id="us-delisting", date="2026-03-01", action="lifted", target=""
        ),
        "eu": SanctionsEventFactory(
            event_id="eu-measure",
            date="2021-06-24",
            authority="EU",
            kind="sectoral_measure",
            action="imposed",
            expires_on=date(2027, 3, 1),
            target="",
        ),
    }
    for act in acts.values():
        act.targets.set([target])
    return target


def standing_on(day, target, authority="US"):
    found = standings_on(day, SanctionsEvent.objects.published(), [target.pk])[target.pk]
    return next((s.standing for s in found if s.authority == authority), None)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (DESIGNATED - timedelta(days=1), None),
        (DESIGNATED, Standing.DESIGNATED),
        (LICENSED - timedelta(days=1), Standing.DESIGNATED),
        (LICENSED, Standing.LICENSED),
        (DELISTED - timedelta(days=1), Standing.LICENSED),
        (DELISTED, Standing.DELISTED),
        (LICENCE_EXPIRES, Standing.DELISTED),
    ],
)
def test_it_gives_each_day_the_standing_of_a_designation_a_licence_then_a_delisting(
    belaruskali, day, expected
):
    assert standing_on(day, belaruskali) == expected


def test_it_keeps_another_authoritys_measure_in_force_until_it_expires(belaruskali):
    assert standing_on(DELISTED, belaruskali, "EU") == Standing.DESIGNATED
    assert standing_on(date(2027, 3, 1), belaruskali, "EU") == Standing.EXPIRED


def test_it_ends_a_designation_only_by_a_delisting_of_the_same_target_and_authority(
    belaruskali,
):
    other = SanctionsTargetFactory(target_id="belavia", name="Belavia")
    SanctionsEventFactory(
        event_id="us-belavia-off", date="2025-01-01", action="lifted"
    ).targets.set([other])
    SanctionsEventFactory(
        event_id="uk-off", date="2025-01-01", authority="UK", action="lifted", target=""
    ).targets.set([belaruskali])
    assert standing_on(date(2025, 6, 1), belaruskali) == Standing.DESIGNATED


def test_a_draft_delisting_ends_nothing_in_public(belaruskali):
    SanctionsEvent.objects.filter(event_id="us-delisting").update(published=False)
    assert standing_on(DELISTED, belaruskali) == Standing.LICENSED


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2021-08-08", ["eu-measure"]),
        ("2025-12-13", ["eu-measure", "us-designation", "us-licence"]),
        ("2026-03-01", ["eu-measure", "us-delisting", "us-licence"]),
        ("2026-06-01", ["eu-measure", "us-delisting"]),
    ],
)
def test_it_lists_the_acts_in_force_on_a_day(client, belaruskali, day, expected):
    response = client.get(f"/sanctions/?in_force_on={day}")
    assert sorted(e.event_id for e in response.context["events"]) == expected
    api = client.get(f"/api/sanctions-events/?in_force_on={day}").json()
    assert sorted(e["id"] for e in api["results"]) == expected


@pytest.mark.parametrize(
    "url",
    [
        "/sanctions/?in_force_on=13.12.2025",
        "/sanctions/?kind=lifted",
        "/sanctions/?target=Belaruskali+OAO",
        "/api/sanctions-events/?target=bela%20ruskali",
        "/sanctions/export.csv?in_force_on=2025-02-30",
        "/api/sanctions-events/?in_force_on=tomorrow",
        "/api/sanctions-targets/?kind=ship",
        "/sanctions/targets/?kind=ship",
        "/sanctions/targets/belaruskali/?in_force_on=yesterday",
    ],
)
def test_it_answers_an_invalid_sanctions_filter_with_400(client, belaruskali, url):
    assert client.get(url).status_code == 400


def test_the_target_page_shows_what_is_in_force_and_the_history_under_each_authority(
    client, belaruskali
):
    text = client.get("/sanctions/targets/belaruskali/?in_force_on=2025-12-20").content.decode()
    assert 'data-standing="licensed"' in text
    assert "OFAC General License 13" in text
    for event_id in ("us-designation", "us-licence", "us-delisting", "eu-measure"):
        assert f"/sanctions/{event_id}/" in text
    later = client.get("/sanctions/targets/belaruskali/?in_force_on=2026-03-02").content.decode()
    assert 'data-standing="delisted"' in later


def test_the_release_event_page_states_what_changed_and_what_stayed_in_force(client, belaruskali):
    event = ReleaseEventFactory(event_id="dec-release", date="2025-12-13")
    event.sanctions.set([SanctionsEvent.objects.get(event_id="us-licence")])
    text = client.get("/releases/dec-release/").content.decode()
    assert "What changed, and what stayed in force on 13 Dec 2025" in text
    assert 'data-standing="licensed"' in text  # US: designated, a licence authorizes
    assert 'data-standing="designated"' in text  # EU: its measure stayed
    assert "/sanctions/us-designation/" in text


@pytest.mark.parametrize("name", ["Belaruskali", "belaruskali oao", "Беларуськалий", "belaruskali"])
def test_an_import_finds_a_target_by_any_of_its_names(belaruskali, name):
    header = "event_id,date,authority,kind,action,target,published\n"
    row = f"gl-14,2026-01-05,US,general_licence,eased,{name},yes\n"
    result = run_import([("s.csv", (header + row).encode())])
    assert result.ok, result.errors
    act = SanctionsEvent.objects.get(event_id="gl-14")
    assert [t.target_id for t in act.targets.all()] == ["belaruskali"]
    assert SanctionsTarget.objects.count() == 1


@pytest.mark.parametrize("query", ["OAO", "беларуськалий", "belaruskali"])
def test_the_targets_list_finds_a_target_by_any_alias(client, belaruskali, query):
    response = client.get("/sanctions/targets/", {"q": query})
    assert [t.target_id for t in response.context["targets"]] == ["belaruskali"]


def test_an_import_makes_a_target_of_a_name_not_recorded_and_writes_kinds_from_actions():
    header = "event_id,date,authority,action,target\n"
    result = run_import(
        [("s.csv", (header + "old,2021,US,imposed,Grodno Azot; Naftan\n").encode())]
    )
    assert result.ok, result.errors
    act = SanctionsEvent.objects.get()
    assert act.kind == "designation"
    assert sorted(t.target_id for t in act.targets.all()) == ["grodno-azot", "naftan"]


def test_an_import_refuses_a_name_shared_by_two_targets_and_an_expiry_before_effect():
    SanctionsTargetFactory(target_id="bpc", name="Belarusian Potash Company", aliases="BPC")
    SanctionsTargetFactory(target_id="bpc-2", name="BPC")
    header = "event_id,date,authority,action,target,effective_on,expires_on\n"
    row = "gl,2025-12-13,US,eased,bpc,2025-12-13,2025-12-01\nx,2025,US,eased,BPC,,\n"
    result = run_import([("s.csv", (header + row).encode())])
    assert result.errors == [
        "s.csv:2: expires_on: the act expires on or before the day it takes effect",
        "s.csv:3: target: 'BPC' names several targets (bpc, bpc-2): give the target_id",
    ]


def test_targets_and_acts_survive_a_round_trip_through_their_files():
    target = SanctionsTargetFactory(
        target_id="belavia",
        name="Belavia",
        name_be="Белавія",
        name_ru="Белавиа",
        aliases="Belavia Belarusian Airlines",
        country="Belarus",
        ofac_id="12345",
        eu_id="EU.1.2",
        opensanctions_id="NK-belavia",
    )
    act = SanctionsEventFactory(
        event_id="gl-belavia",
        action="eased",
        official_url="https://example.org/gl",
        effective_on=date(2025, 9, 11),
        expires_on=date(2026, 9, 11),
        target="",
    )
    act.targets.set([target])
    targets = "\n".join(",".join(f'"{c}"' for c in row) for row in target_rows()) + "\n"
    acts = (
        "\n".join(
            ",".join(f'"{c}"' for c in row)
            for row in sanctions_event_rows(SanctionsEvent.objects.all())
        )
        + "\n"
    )
    assert "gl-belavia" in acts and ',"belavia",' in acts
    SanctionsEvent.objects.all().delete()
    SanctionsTarget.objects.all().delete()
    result = run_import([("t.csv", targets.encode()), ("s.csv", acts.encode())])
    assert result.ok, result.errors
    again = SanctionsEvent.objects.get()
    assert (again.kind, again.effective_on, again.expires_on, again.official_url) == (
        "general_licence",
        date(2025, 9, 11),
        date(2026, 9, 11),
        "https://example.org/gl",
    )
    stored = again.targets.get()
    assert (stored.name_be, stored.ofac_id, stored.alias_list) == (
        "Белавія",
        "12345",
        ["Belavia Belarusian Airlines"],
    )
    assert (
        "OFAC SDN",
        "12345",
        "https://sanctionssearch.ofac.treas.gov/Details.aspx?id=12345",
    ) in (stored.list_links)


def test_the_api_gives_an_acts_kind_dates_official_url_and_target_ids(client, belaruskali):
    act = client.get("/api/sanctions-events/us-licence/").json()
    assert act["kind"] == "general_licence"
    assert (act["effective_on"], act["expires_on"]) == ("2025-12-13", "2026-06-01")
    assert act["targets"] == ["belaruskali"]
    assert "official_url" in act
    target = client.get("/api/sanctions-targets/belaruskali/").json()
    assert target["aliases"] == ["Belaruskali OAO", "Беларуськалий"]


def test_a_target_only_drafts_name_is_public_nowhere(client):
    SanctionsEventFactory(event_id="draft-act", target="Secret Target", published=False)
    assert client.get("/sanctions/targets/secret-target/").status_code == 404
    assert client.get("/api/sanctions-targets/secret-target/").status_code == 404
    assert b"secret-target" not in client.get("/sanctions/targets/export.csv").getvalue()
    assert b"Secret Target" not in client.get("/sanctions/").content


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_kinds_of_actions_and_targets_of_the_free_text():
    """0025: each action's kind, and the `;`-separated target text matched by
    name or alias, case ignored (a name not matched makes a target)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("prisoners", "0024_sanctions_acts")],
        [("prisoners", "0025_sanctions_targets_data")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Target = apps.get_model("prisoners", "SanctionsTarget")
    Event = apps.get_model("prisoners", "SanctionsEvent")
    Target.objects.create(
        target_id="bpc", name="Belarusian Potash Company", aliases="BPC", kind="company"
    )
    for event_id, action, text in [
        ("a-1", "eased", "Belaruskali; bpc"),
        ("a-2", "imposed", "belaruskali ;  Belarusian  potash company"),
    ]:
        Event.objects.create(
            event_id=event_id,
            date_first="2025-12-13",
            date_last="2025-12-13",
            date_precision="day",
            authority="US",
            action=action,
            target=text,
        )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    Event = apps.get_model("prisoners", "SanctionsEvent")
    found = {
        e.event_id: (e.kind, sorted(t.target_id for t in e.targets.all()))
        for e in Event.objects.all()
    }
    assert found == {
        "a-1": ("general_licence", ["belaruskali", "bpc"]),
        "a-2": ("designation", ["belaruskali", "bpc"]),
    }
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_the_timeline_shows_published_sanctions_relief_beside_releases(client, belaruskali):
    SanctionsEventFactory(
        event_id="draft-licence", date="2025-12-20", action="eased", published=False
    )
    response = client.get("/timeline/?from=2025-01-01&to=2026-12-31")
    text = response.content.decode()
    assert 'id="relief-chart"' in text
    relief = dict(response.context["relief"])
    assert [a.event_id for a in relief[date(2025, 12, 1)]] == ["us-licence"]
    assert [a.event_id for a in relief[date(2026, 3, 1)]] == ["us-delisting"]
    assert "draft-licence" not in text


def test_it_refuses_an_act_that_expires_before_it_takes_effect_and_keeps_a_later_expiry():
    from django.core.exceptions import ValidationError

    act = SanctionsEventFactory.build(effective_on=date(2026, 1, 1), expires_on=date(2026, 1, 1))
    with pytest.raises(ValidationError) as refused:
        act.clean()
    assert refused.value.error_dict["expires_on"][0].code == "expiry_not_after_effect"
    act.expires_on = date(2026, 1, 2)
    act.clean()


def test_a_target_filter_ignores_case(client, belaruskali):
    response = client.get("/sanctions/?target=BelaRuskali")
    assert response.status_code == 200
    assert len(response.context["events"]) == 4


def test_no_act_takes_the_address_of_the_list_of_targets():
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    with pytest.raises(ValidationError):
        SanctionsEventFactory.build(event_id="targets").clean_fields(exclude=["date"])
    with pytest.raises(IntegrityError), transaction.atomic():
        SanctionsEventFactory(event_id="targets")
