"""Realistic synthetic records at scale, deterministic for a seed.

People detained once or several times, dates known to the day, month or year
(some arrests unknown), Belarusian, Russian and Latin names with aliases,
group releases linked to sanctions events, drafts and anonymous people.
Written with bulk_create for speed, with a history written in bulk too
(HISTORY_DAYS): each person added on a day of the last two years, some
first as a draft published days later, some corrected since, so that
/changes/ and as_of= (prisoners/changes.py, as_of.py) read real work. The
derived columns that save() would write (search text, detention ends,
status) come from the models' own helpers (Person.derive_columns,
Detention.end_with, PersonQuerySet.refresh_status).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .choices import (
    KIND_OF_ACTION,
    NON_CUSTODIAL,
    FacilityKind,
    Gender,
    ReleaseType,
    SanctionsAction,
    SentenceType,
    Visibility,
)
from .models import (
    Charge,
    Detention,
    Facility,
    Organization,
    Person,
    Release,
    ReleaseEvent,
    SanctionsEvent,
    SanctionsTarget,
    Source,
    Stay,
    TargetKind,
)
from .partial_dates import PartialDate, Precision
from .search import CYRILLIC_TO_LATIN, search_text

START, END = date(2011, 1, 1), date(2026, 6, 30)
# The history spans the last HISTORY_DAYS days before the day it is written.
HISTORY_DAYS = 730
# Of the people: published a few days after being added as a draft, and
# corrected (their occupation) after being written.
PUBLISHED_LATER, CORRECTED_LATER = 0.2, 0.1

MALE_FIRST = [
    "Алесь",
    "Андрэй",
    "Сяргей",
    "Павел",
    "Мікола",
    "Дзмітрый",
    "Віктар",
    "Ігар",
    "Уладзімір",
    "Янка",
    "Міхаіл",
    "Аляксей",
    "Юрый",
    "Раман",
    "Вадзім",
]
FEMALE_FIRST = [
    "Марыя",
    "Вольга",
    "Алена",
    "Наталля",
    "Таццяна",
    "Ірына",
    "Святлана",
    "Ганна",
    "Кацярына",
    "Юлія",
    "Марфа",
    "Дар'я",
    "Ксенія",
    "Людміла",
]
SURNAMES = [
    ("Бяляцкі", "Бяляцкая"),
    ("Калеснік", "Калеснік"),
    ("Навумчык", "Навумчык"),
    ("Шарэнда", "Шарэнда"),
    ("Лукашэвіч", "Лукашэвіч"),
    ("Казлоў", "Казлова"),
    ("Нічыпорчык", "Нічыпорчык"),
    ("Мароз", "Мароз"),
    ("Ткачук", "Ткачук"),
    ("Жукоўскі", "Жукоўская"),
    ("Карпенка", "Карпенка"),
    ("Саўчанка", "Саўчанка"),
    ("Ляўчук", "Ляўчук"),
    ("Дубовік", "Дубовік"),
    ("Шапіра", "Шапіра"),
    ("Раманаў", "Раманава"),
    ("Пятровіч", "Пятровіч"),
    ("Гурскі", "Гурская"),
    ("Стасевіч", "Стасевіч"),
    ("Бабарыка", "Бабарыка"),
]
REGIONS = [
    "Minsk",
    "Minsk region",
    "Brest region",
    "Homiel region",
    "Hrodna region",
    "Mahilioŭ region",
    "Vitsebsk region",
]
OCCUPATIONS = [
    "",
    "",
    "teacher",
    "engineer",
    "journalist",
    "student",
    "doctor",
    "worker",
    "lawyer",
    "IT specialist",
    "pensioner",
    "entrepreneur",
]
ARTICLES = [
    "342",
    "361-1",
    "130",
    "293",
    "369",
    "368",
    "367",
    "361",
    "357",
    "356",
    "423",
    "411",
    "364",
    "361-4",
]
COUNTRIES = ["Lithuania", "Ukraine", "Poland", "Latvia"]
AUTHORITIES = ["US", "EU", "UK", "CA", "CH"]
TARGETS = [
    "Belaruskali",
    "Belavia",
    "Grodno Azot",
    "Naftan",
    "Belarusian Potash Company",
    "MAZ",
    "BelAZ",
]
SECTORS = {
    "Belaruskali": "potash",
    "Belarusian Potash Company": "potash",
    "Belavia": "aviation",
    "Grodno Azot": "chemicals",
    "Naftan": "oil",
    "MAZ": "machinery",
    "BelAZ": "machinery",
}
ACTIONS = [
    SanctionsAction.IMPOSED,
    SanctionsAction.IMPOSED,
    SanctionsAction.EXTENDED,
    SanctionsAction.EASED,
    SanctionsAction.LIFTED,
    SanctionsAction.SUSPENDED,
    SanctionsAction.REIMPOSED,
]
RELEASE_TYPES = [
    ReleaseType.PARDON,
    ReleaseType.SENTENCE_SERVED,
    ReleaseType.SENTENCE_SERVED,
    ReleaseType.EARLY_RELEASE,
    ReleaseType.ACQUITTED,
    ReleaseType.OTHER,
]
CUSTODIAL = [
    SentenceType.PRISON,
    SentenceType.COLONY,
    SentenceType.COLONY,
    SentenceType.COLONY,
    SentenceType.RESTRICTED_FREEDOM,
    SentenceType.HOME_CONFINEMENT,
    SentenceType.ADMINISTRATIVE_ARREST,
]

# Russian spellings differ from Belarusian in a few regular ways.
_RUSSIAN = str.maketrans({"і": "и", "ў": "в", "І": "И", "э": "е", "'": "ь"})


def latin(cyrillic: str) -> str:
    return "".join(
        CYRILLIC_TO_LATIN.get(c.lower(), c).capitalize()
        if c.isupper()
        else CYRILLIC_TO_LATIN.get(c, c)
        for c in cyrillic
    )


def _history(record, when, kind: str, **changes):
    """A history row of ``record`` written at ``when`` (``kind``: "+" added,
    "~" changed), with ``changes`` to its values."""
    history = type(record).history.model
    tracked = {f.attname for f in history._meta.fields} - {"history_id"}
    values = {
        f.attname: getattr(record, f.attname)
        for f in record._meta.concrete_fields
        if f.attname in tracked
    }
    values.update(changes)
    return history(
        **values, history_date=when, history_type=kind, history_change_reason="synthetic"
    )


class Generator:
    def __init__(self, seed: int, persons: int):
        self.random = random.Random(seed)
        # The history's own stream: the records stay those of the seed.
        self.history_random = random.Random(seed + 1)
        self.now = timezone.now()
        self.seed = seed
        self.persons = persons
        self.prefix = f"synthetic-{seed}"

    def day(self, start: date = START, end: date = END) -> date:
        span = max((end - start).days, 0)
        return start + timedelta(days=self.random.randint(0, span))

    def partial(self, day: date, exact: float = 0.8, month: float = 0.15) -> PartialDate:
        roll = self.random.random()
        if roll < exact:
            return PartialDate(day, Precision.DAY)
        if roll < exact + month:
            return PartialDate(day.replace(day=1), Precision.MONTH)
        return PartialDate(day.replace(month=1, day=1), Precision.YEAR)

    # Reference rows -----------------------------------------------------

    def references(self) -> None:
        rnd = self.random
        self.charges = [Charge.objects.get_or_create(article=a)[0] for a in ARTICLES]
        self.colonies = [
            Facility.objects.get_or_create(
                name=f"Penal colony No. {n}",
                defaults={"kind": FacilityKind.COLONY, "region": REGIONS[n % len(REGIONS)]},
            )[0]
            for n in range(1, 31)
        ]
        self.pretrial = [
            Facility.objects.get_or_create(
                name=f"Pre-trial prison No. {n}",
                defaults={"kind": FacilityKind.PRETRIAL, "region": REGIONS[n % len(REGIONS)]},
            )[0]
            for n in range(1, 8)
        ]
        self.facilities = self.colonies + self.pretrial
        self.organizations = [
            Organization.objects.get_or_create(name=name)[0]
            for name in [
                "Viasna",
                "Belarusian Association of Journalists",
                "Coordination Council",
                "Free trade union",
                "Student union",
                "Independent media",
            ]
        ]
        sanctions, chosen = [], []
        # Targets of the same seed are kept from an earlier run: made once.
        ids = {f"{self.prefix}-{slugify(name)}": name for name in TARGETS}
        kept = list(SanctionsTarget.objects.filter(target_id__in=ids))
        made = SanctionsTarget.objects.bulk_create(
            SanctionsTarget(
                target_id=i,
                name=f"{name} ({self.prefix})",
                kind=TargetKind.COMPANY,
                search_text=search_text(i, name),
            )
            for i, name in ids.items()
            if i not in {t.target_id for t in kept}
        )
        targets = {t.name: t for t in [*kept, *made]}
        for n in range(max(10, self.persons // 3000)):
            target = rnd.choice(TARGETS)
            chosen.append(targets[f"{target} ({self.prefix})"])
            action = rnd.choice(ACTIONS)
            sanctions.append(
                SanctionsEvent(
                    event_id=f"{self.prefix}-sanctions-{n}",
                    date=self.partial(self.day(date(2020, 8, 1)), exact=0.95, month=0.05),
                    authority=rnd.choice(AUTHORITIES),
                    action=action,
                    kind=KIND_OF_ACTION[action],
                    sector=SECTORS[target],
                    legal_reference=f"Regulation {rnd.randint(100, 999)}/{rnd.randint(2020, 2026)}",
                    description="Synthetic sanctions event.",
                    published=rnd.random() < 0.95,
                )
            )
        self.sanctions = SanctionsEvent.objects.bulk_create(sanctions)
        on = SanctionsEvent.targets.through
        on.objects.bulk_create(
            on(sanctionsevent_id=event.pk, sanctionstarget_id=target.pk)
            for event, target in zip(self.sanctions, chosen, strict=True)
        )
        waves = []
        for n in range(max(12, self.persons // 2500)):
            waves.append(
                ReleaseEvent(
                    event_id=f"{self.prefix}-release-{n}",
                    date=PartialDate(self.day(date(2021, 1, 1)), Precision.DAY),
                    title=f"Synthetic group release {n}",
                    announced_count=rnd.randint(10, 150),
                    negotiator=rnd.choice(["", "US envoy", "EU mediator", "Vatican envoy"]),
                    description="Synthetic release event.",
                    published=rnd.random() < 0.95,
                )
            )
        self.waves = ReleaseEvent.objects.bulk_create(waves)
        links = ReleaseEvent.sanctions.through
        links.objects.bulk_create(
            links(releaseevent_id=wave.pk, sanctionsevent_id=rnd.choice(self.sanctions).pk)
            for wave in self.waves
            if rnd.random() < 0.6
        )

    # People ---------------------------------------------------------------

    def person(self, n: int) -> tuple[Person, list[dict]]:
        rnd = self.random
        female = rnd.random() < 0.3
        first = rnd.choice(FEMALE_FIRST if female else MALE_FIRST)
        surname = rnd.choice(SURNAMES)[1 if female else 0]
        name_be = f"{first} {surname}"
        name_ru = name_be.translate(_RUSSIAN)
        name = latin(name_be)
        aliases = [latin(name_ru)] if latin(name_ru) != name else []
        if rnd.random() < 0.2:
            aliases.append(" ".join(reversed(name.split())))
        born = self.partial(self.day(date(1940, 1, 1), date(2005, 12, 31)), exact=0.6, month=0.2)
        visibility = rnd.choices(
            [Visibility.PUBLISHED, Visibility.DRAFT, Visibility.ANONYMOUS], [90, 5, 5]
        )[0]
        person = Person(
            person_id=f"{self.prefix}-{n}",
            name=name,
            name_be=name_be,
            name_ru=name_ru,
            aliases="; ".join(aliases),
            gender=Gender.FEMALE if female else Gender.MALE,
            born=born,
            region=rnd.choice(REGIONS),
            occupation=rnd.choice(OCCUPATIONS),
            bio="Synthetic record.",
            internal_notes="Synthetic: generated, not a real person.",
            visibility=visibility,
        )
        person.derive_columns()

        count = rnd.choices([1, 2, 3, 4], [50, 35, 12, 3])[0]
        start = self.day(date(2011, 1, 1), date(2025, 6, 30))
        detentions = []
        for index in range(count):
            last = index == count - 1
            known = rnd.random() > 0.03
            detained = self.partial(start) if known else None
            detention = {
                "detention_id": f"{person.person_id}-{index + 1}",
                "detained_on": detained,
                "charges": rnd.sample(self.charges, rnd.choice([1, 1, 2, 3])),
                "facility": rnd.choice(self.facilities) if rnd.random() < 0.7 else None,
            }
            fate = (
                "released"
                if not last
                else rnd.choices(["open", "released", "fine", "died"], [40, 52, 6, 2])[0]
            )
            sentenced = start + timedelta(days=rnd.randint(30, 300))
            if fate == "fine":
                detention.update(sentence_type=rnd.choice(NON_CUSTODIAL), sentence_months=0)
                detention["sentenced_on"] = self.partial(sentenced) if sentenced < END else None
            else:
                detention.update(
                    sentence_type=rnd.choice(CUSTODIAL), sentence_months=rnd.randint(3, 180)
                )
                detention["sentenced_on"] = self.partial(sentenced) if sentenced < END else None
            if fate == "released":
                wave = rnd.choice(self.waves) if rnd.random() < 0.35 else None
                if wave and wave.date.first > start:
                    released = wave.date
                else:
                    wave = None
                    released = self.partial(
                        start + timedelta(days=rnd.randint(10, 2000)), exact=0.85, month=0.1
                    )
                if released.first >= END or (detained and released.last < detained.first):
                    fate = "open"
                else:
                    detention["release"] = {
                        "released_on": released,
                        "release_type": ReleaseType.NEGOTIATED
                        if wave and rnd.random() < 0.5
                        else rnd.choice(RELEASE_TYPES),
                        "release_event": wave,
                        "released_to": rnd.choice(COUNTRIES) if wave and rnd.random() < 0.3 else "",
                    }
                    start = released.last + timedelta(days=rnd.randint(30, 900))
            self.stays(detention, "release" in detention)
            if fate == "died":
                person.died_on = PartialDate(
                    max(start, sentenced) + timedelta(days=rnd.randint(30, 900)), Precision.DAY
                )
                if person.died_on.first >= END:
                    person.died_on = None
            detentions.append(detention)
            if fate != "released" or start >= END - timedelta(days=60):
                break
        first_start = next((d["detained_on"] for d in detentions if d["detained_on"]), None)
        if first_start and rnd.random() < 0.85:
            person.recognized_on = self.partial(
                first_start.first + timedelta(days=rnd.randint(5, 120)), exact=0.7, month=0.25
            )
            if rnd.random() < 0.03:
                person.recognition_withdrawn_on = PartialDate(
                    person.recognized_on.last + timedelta(days=rnd.randint(60, 900)),
                    Precision.DAY,
                )
        return person, detentions

    def stays(self, detention: dict, released: bool) -> None:
        """Where the person was held: a pre-trial prison until the sentence,
        then a colony (some open detentions), else the facility's one stay."""
        rnd = self.random
        facility = detention["facility"]
        sentenced, detained = detention["sentenced_on"], detention["detained_on"]
        custodial = detention["sentence_type"] not in NON_CUSTODIAL
        if (
            facility
            and custodial
            and not released
            and sentenced
            and detained
            and rnd.random() < 0.4
        ):
            colony = rnd.choice(self.colonies)
            detention["facility"] = colony
            detention["stays"] = [
                (rnd.choice(self.pretrial), detained, sentenced),
                (colony, sentenced, None),
            ]
        else:
            detention["stays"] = [(facility, None, None)] if facility else []

    def run(self, chunk: int = 2000, progress: Callable[[int], None] = lambda n: None) -> None:
        self.references()
        for offset in range(0, self.persons, chunk):
            with transaction.atomic():
                self.write_chunk(range(offset, min(offset + chunk, self.persons)))
            progress(min(chunk, self.persons - offset))

    def write_chunk(self, numbers: range) -> None:
        pairs = [self.person(n) for n in numbers]
        people = Person.objects.bulk_create([person for person, _ in pairs])
        sources = Source.objects.bulk_create(
            Source(url=f"https://example.org/synthetic/{p.person_id}") for p in people
        )
        Person.sources.through.objects.bulk_create(
            Person.sources.through(person_id=p.pk, source_id=s.pk)
            for p, s in zip(people, sources, strict=True)
        )
        organization_links = [
            Person.organizations.through(person_id=p.pk, organization_id=o.pk)
            for p in people
            if self.random.random() < 0.3
            for o in self.random.sample(self.organizations, self.random.choice([1, 1, 2]))
        ]
        Person.organizations.through.objects.bulk_create(organization_links)

        detentions, releases, charge_links, stays = [], [], [], []
        for person, rows in pairs:
            for row in rows:
                release = row.pop("release", None)
                charges = row.pop("charges")
                in_facilities = row.pop("stays")
                detention = Detention(person=person, **row)
                detention.end_reason, detention.ended_on = detention.end_with(
                    release["released_on"] if release else None
                )
                detention.derive_term(changes=[])
                detentions.append(detention)
                if release:
                    releases.append(Release(detention=detention, **release))
                charge_links.append((detention, charges))
                stays.extend(
                    Stay(detention=detention, facility=facility, started_on=start, ended_on=end)
                    for facility, start, end in in_facilities
                )
        Detention.objects.bulk_create(detentions)
        Release.objects.bulk_create(releases)
        Stay.objects.bulk_create(stays)
        Detention.charges.through.objects.bulk_create(
            Detention.charges.through(detention_id=d.pk, charge_id=c.pk)
            for d, charges in charge_links
            for c in charges
        )
        Person.objects.filter(pk__in=[p.pk for p in people]).refresh_status()
        self.write_history(people, detentions, releases)

    def write_history(self, people, detentions, releases) -> None:
        """One history of each record, as if curators had written it over
        the last HISTORY_DAYS days: simple-history's rows, in bulk."""
        rnd, rows = self.history_random, {Person: [], Detention: [], Release: []}
        published = {}
        for person in people:
            added = self.now - timedelta(seconds=rnd.randint(0, HISTORY_DAYS * 86400))
            shown = added
            if person.visibility == Visibility.PUBLISHED and rnd.random() < PUBLISHED_LATER:
                rows[Person].append(_history(person, added, "+", visibility=Visibility.DRAFT))
                shown = min(added + timedelta(days=rnd.randint(1, 30)), self.now)
                rows[Person].append(_history(person, shown, "~"))
            elif rnd.random() < CORRECTED_LATER:
                rows[Person].append(_history(person, added, "+", occupation="(unknown)"))
                shown = min(added + timedelta(days=rnd.randint(1, 60)), self.now)
                rows[Person].append(_history(person, shown, "~"))
            else:
                rows[Person].append(_history(person, added, "+"))
            published[person.pk] = added
        rows[Detention] = [_history(d, published[d.person_id], "+") for d in detentions]
        rows[Release] = [_history(r, published[r.detention.person_id], "+") for r in releases]
        for model, history in rows.items():
            model.history.model.objects.bulk_create(history, batch_size=2000)
