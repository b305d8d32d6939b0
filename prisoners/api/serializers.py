"""JSON shapes of the public API: published records only, ids as in URLs,
dates as written in the interchange format (``2021``, ``2021-07``,
``2021-07-14``)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import privacy
from ..models import (
    Detention,
    Organization,
    Person,
    ReleaseEvent,
    SanctionsEvent,
    SanctionsTarget,
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


class DetentionSerializer(serializers.ModelSerializer):
    detained_on = PartialDateField()
    sentenced_on = PartialDateField()
    charges = serializers.SlugRelatedField(slug_field="article", many=True, read_only=True)
    # A detention's facility is often unknown.
    facility = serializers.StringRelatedField(allow_null=True)
    sources = serializers.SlugRelatedField(slug_field="url", many=True, read_only=True)
    release = serializers.SerializerMethodField()

    class Meta:
        model = Detention
        fields = [
            "detention_id",
            "detained_on",
            "charges",
            "sentence_type",
            "sentence_months",
            "sentenced_on",
            "facility",
            "release",
            "sources",
        ]

    @extend_schema_field(ReleaseSerializer(allow_null=True))
    def get_release(self, detention):
        release = getattr(detention, "release", None)
        return ReleaseSerializer(release).data if release else None


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
            "detentions",
        ]

    def get_url(self, obj) -> str:
        return absolute(obj.get_absolute_url())


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
