"""facilities.csv and stays.csv: facility records and where each detention's
person was held, imported all or nothing, exported in full and in public."""

import pytest

from prisoners.interchange.exporter import export_records
from prisoners.interchange.importer import run_import
from prisoners.models import Detention, Facility, Stay

from .factories import DetentionFactory, FacilityFactory, PersonFactory

pytestmark = pytest.mark.django_db

FACILITIES = (
    "facility_id,name,name_be,name_ru,kind,region,address_be,address_ru,"
    "address_checked_on,sources\n"
    "colony-9,Penal colony No. 9,Папраўчая калонія № 9,Исправительная колония № 9,colony,"
    'Mahiliou,"вул. Прыкладная, 1","ул. Примерная, 1",2025-11-30,https://example.org/c9\n'
)
PRISONERS = (
    "person_id,name,published,person_sources,detention_id,detained_on,facility\n"
    "ales,Ales Bialiatski,yes,https://example.org/a,ales-1,2021-07-14,{facility}\n"
)
STAYS = "detention_id,facility,from,until,sources\n"


def files(prisoners_facility="", stays="", facilities=FACILITIES):
    found = [("prisoners.csv", PRISONERS.format(facility=prisoners_facility).encode())]
    if facilities:
        found.append(("facilities.csv", facilities.encode()))
    if stays:
        found.append(("stays.csv", (STAYS + stays).encode()))
    return found


def test_it_imports_a_facility_record_and_names_it_by_its_id():
    result = run_import(files("colony-9"))
    assert result.ok, result.errors
    facility = Facility.objects.get()
    assert (facility.facility_id, facility.kind, facility.region) == (
        "colony-9",
        "colony",
        "Mahiliou",
    )
    assert facility.address_ru == "ул. Примерная, 1"
    assert str(facility.address_checked_on) == "2025-11-30"
    assert [s.url for s in facility.sources.all()] == ["https://example.org/c9"]
    detention = Detention.objects.get()
    assert detention.facility == facility
    assert list(detention.stays.values_list("facility__facility_id", "started_on_first")) == [
        ("colony-9", None)
    ]
    again = run_import(files("colony-9"))
    assert all("0 created, 0 updated" in line for line in again.summary_lines())


def test_stays_csv_gives_the_transfers_and_the_last_one_is_the_facility():
    stays = "ales-1,SIZO-1 Minsk,2021-07-14,2022-03,\nales-1,colony-9,2022-03,,\n"
    result = run_import(files("", stays))
    assert result.ok, result.errors
    detention = Detention.objects.get()
    assert detention.facility.facility_id == "colony-9"
    assert [s.facility.name for s in detention.stays.all()] == [
        "SIZO-1 Minsk",
        "Penal colony No. 9",
    ]
    assert Facility.objects.get(name="SIZO-1 Minsk").facility_id == "sizo-1-minsk"


def test_prisoners_facility_must_agree_with_the_last_stay():
    stays = "ales-1,SIZO-1 Minsk,2021-07-14,2022-03,\nales-1,colony-9,2022-03,,\n"
    result = run_import(files("SIZO-1 Minsk", stays))
    assert result.errors == [
        "prisoners.csv:2: facility: differs from the last stay of detention ales-1 in "
        "stays.csv ('Penal colony No. 9'): leave it empty or give the same"
    ]
    assert not Detention.objects.exists()


def test_it_refuses_a_stay_outside_its_detention():
    stays = "ales-1,colony-9,2021-06,2021-05,\n"
    result = run_import(files("", stays))
    assert result.errors == [
        "stays.csv:2: from: the stay (2021-06) begins before the arrest (2021-07-14)",
        "stays.csv:2: until: the stay ends (2021-05) before it begins (2021-06)",
    ]


def test_it_refuses_a_stay_of_an_unknown_detention():
    result = run_import([("stays.csv", (STAYS + "nobody-1,colony-9,,,\n").encode())])
    assert result.errors == [
        "stays.csv:2: detention_id: unknown detention 'nobody-1': not in the database "
        "nor in a prisoners file of this import"
    ]


def test_it_refuses_a_second_facility_of_the_same_name_in_any_case():
    FacilityFactory(name="penal colony no. 9", facility_id="old-9")
    result = run_import(files())
    assert result.errors == [
        "facilities.csv:2: name: facility old-9 has this name (in any case): one name, one facility"
    ]


def test_prisoners_facility_moves_the_one_undated_stay_and_refuses_a_dated_one():
    detention = DetentionFactory(
        detention_id="ales-1",
        person=PersonFactory(person_id="ales", name="Ales Bialiatski"),
        detained_on="2021-07-14",
        facility=FacilityFactory(name="SIZO-1 Minsk"),
    )
    assert run_import(files("colony-9")).ok
    assert [s.facility.facility_id for s in detention.stays.all()] == ["colony-9"]
    stay = detention.stays.get()
    stay.started_on = "2022-03"
    stay.save()
    refused = run_import(files("SIZO-1 Minsk"))
    assert refused.errors == [
        "prisoners.csv:2: facility: detention ales-1 has 1 stay, or a dated one: "
        "give the transfer as a row of stays.csv (with its date)"
    ]


def test_it_still_reads_a_facilitys_names_from_names_csv():
    names = "kind,name,name_en,name_be,name_ru\nfacility,SIZO-1 Minsk,,СІЗА-1,СИЗО-1\n"
    result = run_import([*files("SIZO-1 Minsk", facilities=""), ("names.csv", names.encode())])
    assert result.ok, result.errors
    assert Facility.objects.get().name_be == "СІЗА-1"


def test_the_public_export_has_no_stay_or_facility_of_an_unnamed_person(tmp_path):
    secret = FacilityFactory(name="Secret place")
    DetentionFactory(person=PersonFactory(visibility="anonymous"), facility=secret)
    DetentionFactory(
        person=PersonFactory(person_id="named"), detention_id="named-1", facility=FacilityFactory()
    )
    export_records(tmp_path, public=True)
    stays = (tmp_path / "stays.csv").read_text(encoding="utf-8")
    facilities = (tmp_path / "facilities.csv").read_text(encoding="utf-8")
    assert stays.count("\n") == 2 and "named-1" in stays
    assert "Secret place" not in facilities and "secret-place" not in stays
    export_records(tmp_path / "full")
    assert "secret-place" in (tmp_path / "full" / "facilities.csv").read_text(encoding="utf-8")
    assert Stay.objects.count() == 2


def test_an_old_names_csv_alone_names_a_new_facility():
    names = "kind,name,name_en,name_be,name_ru\nfacility,SIZO-8 Zhodzina,,СІЗА-8,СИЗО-8\n"
    result = run_import([("names.csv", names.encode())])
    assert result.ok, result.errors
    assert Facility.objects.get().facility_id == "sizo-8-zhodzina"
