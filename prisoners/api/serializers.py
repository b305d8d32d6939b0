"""JSON shapes of the public API: published records only, ids as in URLs,
dates as written in the interchange format (``2021``, ``2021-07``,
``2021-07-14``)."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import letters, privacy, terms
from ..choices import ChangeKind, Letters
from ..models import (
    Detention,
    Facility,
    Organization,
    Person,
    ReleaseEvent,
    SanctionsEvent,
    SanctionsTarget,
    SentenceChange,
)
from ..public.citation import absolute
from ..stats.series import Interval

# The list of people's not_named_count, as the schema describes it.
NOT_NAMED_COUNT_HELP = (
    "People counted in the figures but never named (at their family's request) who match "
    "the filters: count + not_named_count with held_on=D&recognized=yes is the held figure "
    "of D. Only held_on and recognized=yes may be asked of them, on their dates taken as "
    "the first day of the month; null for any other filter."
)


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "example": "2021-07"}
)
class PartialDateField(serializers.Field):
    """A date known to the day, month or year, written as it is known; null
    when unknown (every partial date of the models may be)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return str(value)


class ReleaseSerializer(serializers.Serializer):
    released_on = PartialDateField()
    release_type = serializers.CharField()
    released_to = serializers.CharField()
    release_event = serializers.SerializerMethodField()

    def get_release_event(self, release) -> str | None:
        event = release.release_event
        # A link to an unpublished event is left empty.
        return event.event_id if privacy.is_public(event) else None


class TermSerializer(serializers.Serializer):
    sentence_type = serializers.CharField(help_text="Empty when unknown.")
    sentence_months = serializers.IntegerField(allow_null=True)
    since = PartialDateField(help_text="The verdict or the change that set it; null when unknown.")


class SentenceChangeSerializer(serializers.ModelSerializer):
    changed_on = PartialDateField()
    sentence_type = serializers.CharField(help_text="The sentence after the change.")
    sentence_months = serializers.IntegerField(
        allow_null=True, help_text="The whole term after the change, counted from the arrest."
    )
    sources = serializers.SlugRelatedField(slug_field="url", many=True, read_only=True)

    class Meta:
        model = SentenceChange
        fields = ["changed_on", "kind", "sentence_type", "sentence_months", "sources"]


class DaysInCustodySerializer(serializers.Serializer):
    low = serializers.IntegerField(help_text="The fewest days the dates allow.")
    high = serializers.IntegerField(help_text="The most days the dates allow.")
    exact = serializers.BooleanField(help_text="Every date is known to the day: low = high.")


def _text(value) -> str | None:
    """A value as DRF's CharField (or PartialDateField) gives it: null stays null."""
    return None if value is None else str(value)


def _number(value) -> int | None:
    return None if value is None else int(value)


def _related(record, name: str):
    """``record.<name>.all()``, from its prefetched list when there is one:
    .all() makes a manager and a queryset each time, a row's many relations
    as many times."""
    cache = getattr(record, "_prefetched_objects_cache", {})
    return cache[name] if name in cache else getattr(record, name).all()


def _sentence_change(change) -> dict:
    """SentenceChangeSerializer's fields, read directly."""
    return {
        "changed_on": _text(change.changed_on),
        "kind": change.kind,
        "sentence_type": _text(change.sentence_type),
        "sentence_months": _number(change.sentence_months),
        "sources": [source.url for source in _related(change, "sources")],
    }


class DetentionSerializer(serializers.ModelSerializer):
    detained_on = PartialDateField()
    sentenced_on = PartialDateField()
    charges = serializers.SlugRelatedField(slug_field="article", many=True, read_only=True)
    # A detention's facility is often unknown.
    facility = serializers.StringRelatedField(allow_null=True)
    sources = serializers.SlugRelatedField(slug_field="url", many=True, read_only=True)
    release = serializers.SerializerMethodField()
    sentence_changes = SentenceChangeSerializer(many=True, read_only=True)
    current_term = serializers.SerializerMethodField()
    expected_release_on = PartialDateField(
        help_text="The expected release the sources give, when they do."
    )
    expected_release = PartialDateField(
        help_text="Of an open detention: expected_release_on, else the arrest plus the current "
        "term, at the arrest's precision; null when unknown or not held."
    )

    class Meta:
        model = Detention
        fields = [
            "detention_id",
            "detained_on",
            "charges",
            "sentence_type",
            "sentence_months",
            "sentenced_on",
            "sentence_changes",
            "current_term",
            "expected_release_on",
            "expected_release",
            "facility",
            "release",
            "sources",
        ]

    def to_representation(self, detention) -> dict:
        # The fields above, read directly (the schema still comes from them):
        # DRF's field by field reading is most of the time a page of people takes.
        return {
            "detention_id": _text(detention.detention_id),
            "detained_on": _text(detention.detained_on),
            "charges": [charge.article for charge in _related(detention, "charges")],
            "sentence_type": _text(detention.sentence_type),
            "sentence_months": _number(detention.sentence_months),
            "sentenced_on": _text(detention.sentenced_on),
            "sentence_changes": [
                _sentence_change(c) for c in _related(detention, "sentence_changes")
            ],
            "current_term": self.get_current_term(detention),
            "expected_release_on": _text(detention.expected_release_on),
            "expected_release": _text(detention.expected_release),
            "facility": _text(detention.facility),
            "release": self.get_release(detention),
            "sources": [source.url for source in _related(detention, "sources")],
        }

    @extend_schema_field(TermSerializer)
    def get_current_term(self, detention):
        """The latest sentence change's term, else the first sentence's."""
        return _TERM.to_representation(terms.current_term(detention))

    @extend_schema_field(ReleaseSerializer(allow_null=True))
    def get_release(self, detention):
        release = getattr(detention, "release", None)
        return _RELEASE.to_representation(release) if release else None


class LetterAddressSerializer(serializers.Serializer):
    """Where to write: the facility's postal address (Belarusian and
    Russian, either may be empty) and the person's name on the envelope."""

    addressee = serializers.CharField()
    address_be = serializers.CharField()
    address_ru = serializers.CharField()
    facility = serializers.CharField(source="facility.name")


class LettersSerializer(serializers.Serializer):
    """Whether letters reach the person, when a curator last checked, and
    where to write while they are held now (null otherwise)."""

    status = serializers.ChoiceField(choices=Letters.choices)
    checked_on = serializers.DateField(allow_null=True)
    address = LetterAddressSerializer(allow_null=True)


# One of each nested shape for every row: a serializer made for each value
# would copy its fields each time, most of the time a page of people takes.
_TERM = TermSerializer()
_RELEASE = ReleaseSerializer()
_DAYS = DaysInCustodySerializer()
_LETTERS = LettersSerializer()


class PersonSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="person_id")
    aliases = serializers.ListField(source="alias_list", child=serializers.CharField())
    born = PartialDateField()
    died_on = PartialDateField()
    recognized_on = PartialDateField()
    recognition_withdrawn_on = PartialDateField()
    organizations = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    sources = serializers.SlugRelatedField(slug_field="url", many=True, read_only=True)
    detentions = DetentionSerializer(many=True, read_only=True)
    days_in_custody = serializers.SerializerMethodField()
    expected_release = PartialDateField(
        help_text="The expected release of the open detention; null when none."
    )
    letters = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "url",
            "name",
            "name_be",
            "name_ru",
            "aliases",
            "gender",
            "born",
            "died_on",
            "region",
            "occupation",
            "organizations",
            "status",
            "recognized_on",
            "recognition_withdrawn_on",
            "bio",
            "sources",
            "days_in_custody",
            "expected_release",
            "detentions",
            "letters",
        ]

    def to_representation(self, person) -> dict:
        # The fields above, read directly, as DetentionSerializer's.
        detentions = self.fields["detentions"].child
        return {
            "id": _text(person.person_id),
            "url": self.get_url(person),
            "name": _text(person.name),
            "name_be": _text(person.name_be),
            "name_ru": _text(person.name_ru),
            "aliases": [_text(alias) for alias in person.alias_list],
            "gender": person.gender,
            "born": _text(person.born),
            "died_on": _text(person.died_on),
            "region": _text(person.region),
            "occupation": _text(person.occupation),
            "organizations": [o.name for o in _related(person, "organizations")],
            "status": person.status,
            "recognized_on": _text(person.recognized_on),
            "recognition_withdrawn_on": _text(person.recognition_withdrawn_on),
            "bio": _text(person.bio),
            "sources": [source.url for source in _related(person, "sources")],
            "days_in_custody": self.get_days_in_custody(person),
            "expected_release": _text(person.expected_release),
            "detentions": [detentions.to_representation(d) for d in _related(person, "detentions")],
            "letters": self.get_letters(person),
        }

    @extend_schema_field(DaysInCustodySerializer(allow_null=True))
    def get_days_in_custody(self, person):
        """Days in custody over every detention, an open one up to today, as
        the range partial dates allow; null when no dates are known."""
        days = terms.person_days_in_custody(person, timezone.localdate())
        return _DAYS.to_representation(days) if days else None

    def get_url(self, obj) -> str:
        return absolute(obj.get_absolute_url())

    @extend_schema_field(LettersSerializer())
    def get_letters(self, person) -> dict:
        status, checked_on, _addressee = letters.public_letters_of(person)
        address = letters.letter_address(person, letters.current_facility(person))
        return _LETTERS.to_representation(
            {"status": status, "checked_on": checked_on, "address": address}
        )


class SanctionsTargetSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="target_id")
    url = serializers.SerializerMethodField()
    aliases = serializers.ListField(source="alias_list", child=serializers.CharField())
    sources = serializers.SlugRelatedField(slug_field="url", many=True, read_only=True)

    class Meta:
        model = SanctionsTarget
        fields = [
            "id",
            "url",
            "name",
            "name_be",
            "name_ru",
            "aliases",
            "kind",
            "country",
            "ofac_id",
            "eu_id",
            "opensanctions_id",
            "sources",
        ]

    def get_url(self, obj) -> str:
        return absolute(obj.get_absolute_url())


class SanctionsEventSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="event_id")
    date = PartialDateField()
    sources = serializers.SlugRelatedField(slug_field="url", many=True, read_only=True)
    release_events = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    targets = serializers.SlugRelatedField(slug_field="target_id", many=True, read_only=True)
    target = serializers.SerializerMethodField(
        help_text="The targets' names, '; '-separated (before targets were records: "
        "read `targets` for their ids)."
    )

    class Meta:
        model = SanctionsEvent
        fields = [
            "id",
            "url",
            "date",
            "authority",
            "kind",
            "action",
            "targets",
            "target",
            "sector",
            "legal_reference",
            "official_url",
            "effective_on",
            "expires_on",
            "description",
            "release_events",
            "sources",
        ]

    def get_target(self, event) -> str:
        return "; ".join(t.name for t in event.targets.all())

    def get_release_events(self, event) -> list[str]:
        return [e.event_id for e in event.public_release_events]

    def get_url(self, obj) -> str:
        return absolute(obj.get_absolute_url())


class ReleaseEventSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="event_id")
    date = PartialDateField()
    recorded_count = serializers.IntegerField(
        help_text="Releases recorded for this event, anonymous people included."
    )
    people = serializers.SerializerMethodField()
    sanctions = serializers.SerializerMethodField()
    sources = serializers.SlugRelatedField(slug_field="url", many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = ReleaseEvent
        fields = [
            "id",
            "url",
            "date",
            "title",
            "announced_count",
            "recorded_count",
            "negotiator",
            "description",
            "people",
            "sanctions",
            "sources",
        ]

    def get_people(self, event) -> list[str]:
        """person_ids of the published people released in this event."""
        return event.named_person_ids

    def get_sanctions(self, event) -> list[str]:
        return [s.event_id for s in event.public_sanctions]

    def get_url(self, obj) -> str:
        return absolute(obj.get_absolute_url())


class OrganizationSerializer(serializers.ModelSerializer):
    # Declared: the model's validator forbids ';' (inverse_match), which the
    # schema would have read as a pattern every name must match.
    name = serializers.CharField()
    people = serializers.IntegerField(
        source="people_count", help_text="Published people in this organization."
    )

    class Meta:
        model = Organization
        fields = ["name", "description", "people"]


class FacilitySerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="facility_id")
    url = serializers.SerializerMethodField()
    held_now = serializers.IntegerField(
        help_text=(
            "Published people held here now (an open detention whose facility this is). "
            "People not named (anonymous, unpublished) are never counted per facility."
        )
    )
    sources = serializers.SlugRelatedField(slug_field="url", many=True, read_only=True)

    class Meta:
        model = Facility
        fields = [
            "id",
            "url",
            "name",
            "name_be",
            "name_ru",
            "kind",
            "region",
            "address_be",
            "address_ru",
            "address_checked_on",
            "held_now",
            "sources",
        ]

    def get_url(self, obj) -> str:
        return absolute(obj.get_absolute_url())


class HeldPointSerializer(serializers.Serializer):
    date = serializers.DateField()
    held = serializers.IntegerField()


class ReleasesPointSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="YYYY-MM, or YYYY by year.")
    releases = serializers.IntegerField()


class HeldSeriesSerializer(serializers.Serializer):
    """The answer of /api/stats/held/ (the schema's; the view writes it)."""

    interval = serializers.ChoiceField(choices=[Interval.DAY, Interval.MONTH])
    results = HeldPointSerializer(many=True)


class ReleasesSeriesSerializer(serializers.Serializer):
    """The answer of /api/stats/releases/ (the schema's; the view writes it)."""

    interval = serializers.ChoiceField(choices=[Interval.MONTH, Interval.YEAR])
    results = ReleasesPointSerializer(many=True)


@extend_schema_field(OpenApiTypes.STR)
class EventIdField(serializers.SlugRelatedField):
    """An event by its id, in a serializer without a model for the schema
    to ask the field's type of."""


class ChangeSerializer(serializers.Serializer):
    """One named change (prisoners/changes.py)."""

    day = serializers.DateField()
    person_id = serializers.CharField(source="person.person_id")
    name = serializers.CharField(source="person.name")
    url = serializers.SerializerMethodField()
    fields = serializers.ListField(
        child=serializers.CharField(), help_text="Corrected: the public fields that changed."
    )
    detained_on = PartialDateField(help_text="Detained again: the day of the arrest.")
    released_on = PartialDateField(help_text="Released: the day of the release.")
    release_type = serializers.CharField(allow_blank=True)
    release_event = EventIdField(
        slug_field="event_id",
        read_only=True,
        allow_null=True,
        help_text="The group release, when published.",
    )

    def get_url(self, change) -> str:
        return absolute(change.person.get_absolute_url())


class ChangeGroupSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    count = serializers.IntegerField(help_text="Named and not named.")
    not_named_count = serializers.IntegerField(
        source="not_named",
        allow_null=True,
        help_text="People not named now (anonymous, unpublished or deleted); null when "
        "the list's filters narrow the changes: they may not be asked of them.",
    )
    changes = ChangeSerializer(many=True)


class ChangesSerializer(serializers.Serializer):
    """The answer of /api/changes/."""

    count = serializers.IntegerField()
    groups = ChangeGroupSerializer(many=True)

    def get_fields(self):
        # "from" is a Python keyword: the range is named as asked, here.
        return {
            "from": serializers.DateField(source="start"),
            "to": serializers.DateField(source="end"),
            **super().get_fields(),
        }
