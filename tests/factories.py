"""Factories: a test names only what matters to it."""

import factory
from django.utils.text import slugify

from prisoners.choices import KIND_OF_ACTION
from prisoners.models import (
    Charge,
    Detention,
    Facility,
    Organization,
    Person,
    Release,
    ReleaseEvent,
    SanctionsEvent,
    SanctionsTarget,
    SentenceChange,
    Source,
    Stay,
)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ["url"]

    url = factory.Sequence(lambda n: f"https://example.org/source/{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organization {n}")


class ChargeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Charge
        django_get_or_create = ["article"]

    article = factory.Sequence(lambda n: f"{300 + n}")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Penal colony No. {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    """A published person with one source, unless told otherwise."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    person_id = factory.Sequence(lambda n: f"person-{n}")
    name = factory.Sequence(lambda n: f"Person Number{n}")
    visibility = "published"

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [SourceFactory()]
        self.sources.set(extracted)


class DetentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Detention
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    detention_id = factory.Sequence(lambda n: f"detention-{n}")
    detained_on = "2021-01-01"

    @factory.post_generation
    def stay(detention, create, extracted, **kwargs):
        """A facility given is the detention's one stay, from the arrest (the
        detention's facility is its stays')."""
        if create and detention.facility_id and not detention.stays.exists():
            Stay.objects.create(detention=detention, facility_id=detention.facility_id)


class ReleaseEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReleaseEvent

    event_id = factory.Sequence(lambda n: f"release-event-{n}")
    date = "2025-12-13"
    title = factory.Sequence(lambda n: f"Group release {n}")
    published = True


class SanctionsTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SanctionsTarget
        django_get_or_create = ("target_id",)

    name = factory.Sequence(lambda n: f"Target {n}")
    target_id = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = "company"


class SanctionsEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SanctionsEvent
        skip_postgeneration_save = True

    event_id = factory.Sequence(lambda n: f"sanctions-event-{n}")
    date = "2025-12-13"
    authority = "US"
    action = "lifted"
    kind = factory.LazyAttribute(lambda o: KIND_OF_ACTION[o.action])
    published = True

    @factory.post_generation
    def target(event, create, names, **kwargs):
        """``target="Belaruskali; Belarusian Potash Company"``: the targets
        by name, made when new (as the old free-text target read)."""
        names = "Belaruskali" if names is None else names
        if create:
            event.targets.set(
                [
                    SanctionsTargetFactory(name=name.strip(), target_id=slugify(name.strip()))
                    for name in names.split(";")
                    if name.strip()
                ]
            )


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    detention = factory.SubFactory(DetentionFactory)
    released_on = "2025-12-13"
    release_type = "pardon"


class SentenceChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SentenceChange
        skip_postgeneration_save = True

    detention = factory.SubFactory(DetentionFactory)
    changed_on = "2023-01-01"
    kind = "additional"
    sentence_type = "colony"
    sentence_months = 60

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create and extracted:
            self.sources.set(extracted)
