"""The filters of the public lists, one FilterSet each.

PersonFilter drives the HTML list, its feed, and (later) the CSV export and the
API, so they can never disagree. It knows nothing of HTML: its ``form`` is a
plain validated form whose errors are the 400 messages, and ``facets()`` gives
the counts beside the list as data.

Filters on a detention or its release (dates, charge, release type, release
event, held_on) apply to one and the same detention:
``release_type=pardon&released_after=2025-12-01`` is a release that was both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .. import as_of, privacy
from ..changes import Changes, changes_between, changes_of_filtered
from ..models import (
    ID_PATTERN,
    Detention,
    Facility,
    FacilityKind,
    Gender,
    Person,
    ReleaseEvent,
    ReleaseType,
    SanctionsAction,
    SanctionsEvent,
    SanctionsKind,
    SanctionsTarget,
    Status,
    TargetKind,
)
from ..partial_dates import PartialDate
from ..stats.facets import count_facets
from ..stats.ranges import EARLIEST
from .timeline import RangeForm

ISO_DATE = ["%Y-%m-%d"]
ID = re.compile(ID_PATTERN)


class MultipleTextField(forms.Field):
    """Any number of values of one parameter (``region=a&region=b``)."""

    widget = forms.SelectMultiple

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        values = [str(v).strip() for v in value]
        if any(len(v) > 300 for v in values):
            raise forms.ValidationError(_("A value is too long."), code="max_length")
        if any("\x00" in v for v in values):
            # PostgreSQL refuses NUL in text: a 400, not a database error.
            raise forms.ValidationError(_("Null characters are not allowed."), code="null")
        return [v for v in values if v]


@extend_schema_field(OpenApiTypes.STR)
class MultipleTextFilter(django_filters.Filter):
    """Matches any of the values given: ``field_name__in``, or any other
    lookup OR-ed over the values (``iexact`` ignores case)."""

    field_class = MultipleTextField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if self.lookup_expr == "in":
            return qs.filter(**{f"{self.field_name}__in": value})
        match = Q()
        for item in value:
            match |= Q(**{f"{self.field_name}__{self.lookup_expr}": item})
        return qs.filter(match)


class ChoicesField(django_filters.fields.MultipleChoiceField):
    """Any number of choices; an empty value (``status=``, as a GET form or a
    hand-made link sends it) chooses nothing, as for the other filters."""

    def to_python(self, value) -> list[str]:
        return [v for v in super().to_python(value) if v]


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    field_class = ChoicesField


class IsoDateFilter(django_filters.DateFilter):
    """An inclusive bound, ``YYYY-MM-DD``, compared with a partial date's
    first day (a date known to the month counts as the 1st)."""

    def __init__(self, field_name: str, lookup_expr: str, **kwargs):
        kwargs.setdefault("input_formats", ISO_DATE)
        kwargs.setdefault("help_text", _("YYYY-MM-DD, inclusive."))
        super().__init__(field_name=field_name, lookup_expr=lookup_expr, **kwargs)


class PastDayField(forms.DateField):
    """A day that has begun (today or before, in the site's TIME_ZONE) and
    not before the earliest day of any range: the list as it stood then."""

    def validate(self, value):
        super().validate(value)
        if value and value > timezone.localdate():
            raise forms.ValidationError(
                _("Choose today or an earlier day: the list of a future day is not known."),
                code="future",
            )
        if value and value < EARLIEST:
            raise forms.ValidationError(
                _("Choose %(earliest)s or a later day.") % {"earliest": EARLIEST.isoformat()},
                code="out_of_bounds",
            )


@extend_schema_field(OpenApiTypes.DATE)
class AsOfFilter(django_filters.DateFilter):
    field_class = PastDayField


class AsOfForm(forms.Form):
    """``?as_of=`` alone (a person's page, the home page's figures)."""

    as_of = PastDayField(required=False, input_formats=ISO_DATE, label=_("As published on"))


class PartialDateBoundField(forms.CharField):
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: a period's bound, as a
    PartialDate."""

    def to_python(self, value) -> PartialDate | None:
        value = super().to_python(value)
        if not value:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError:
            raise forms.ValidationError(
                _("Enter a date as YYYY-MM-DD, YYYY-MM or YYYY."), code="invalid"
            ) from None


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "example": "2026-06"}
)
class ExpectedReleaseFilter(django_filters.Filter):
    """An inclusive bound on the expected release of the open detention
    (its first possible day, as other date filters compare): ``after`` from
    the first day of the date given, ``before`` to its last, so that
    ``expected_release_after=2026&expected_release_before=2026`` is who is
    due out in 2026."""

    field_class = PartialDateBoundField

    def __init__(self, *args, bound: str, **kwargs):
        self.bound = bound
        kwargs.setdefault("help_text", _("YYYY-MM-DD, YYYY-MM or YYYY, inclusive."))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value: PartialDate | None):
        if value is None:
            return qs
        if self.bound == "after":
            return qs.expected_release_between(value.first, None)
        return qs.expected_release_between(None, value.last)


ORDERINGS = {
    "name": [F("name").asc(), "person_id"],
    "-name": [F("name").desc(), "person_id"],
    "detained_on": [F("latest_detained_on").asc(nulls_last=True), "person_id"],
    "-detained_on": [F("latest_detained_on").desc(nulls_last=True), "person_id"],
    "released_on": [F("latest_released_on").asc(nulls_last=True), "person_id"],
    "-released_on": [F("latest_released_on").desc(nulls_last=True), "person_id"],
    "days_in_custody": [F("days_in_custody").asc(), "person_id"],
    "-days_in_custody": [F("days_in_custody").desc(), "person_id"],
}
# A name search finds few people among many: sorting them is faster than
# walking the index person_published_name until a page of them turns up,
# which PostgreSQL prefers when it expects matches to be spread evenly. The
# concatenation sorts as the name does and cannot be read from the index.
SEARCH_ORDERINGS = {
    "name": [Concat("name", Value("")).asc(), "person_id"],
    "-name": [Concat("name", Value("")).desc(), "person_id"],
}
ORDERING_CHOICES = [
    ("name", _("name (A–Z)")),
    ("-name", _("name (Z–A)")),
    ("detained_on", _("detained, earliest first")),
    ("-detained_on", _("detained, latest first")),
    ("released_on", _("released, earliest first")),
    ("-released_on", _("released, latest first")),
    ("-days_in_custody", _("days in custody, most first")),
    ("days_in_custody", _("days in custody, fewest first")),
]
# Sorted on the days each person has spent in custody up to today.
BY_DAYS_IN_CUSTODY = {"days_in_custody", "-days_in_custody"}


# The filters that may be asked of people counted but not named, at the
# figures' granularity: those the figures themselves are built on.
NOT_NAMED_FILTERS = {"held_on", "recognized"}


class PersonFilter(django_filters.FilterSet):
    """Published people by name, status, region, dates…  Build it on
    ``privacy.people()``."""

    # Filters whose field_name is a path from Detention: they are applied
    # together to one detention queryset (see filter_queryset).
    DETENTION_FILTERS = (
        "charge",
        "release_type",
        "release_event",
        "detained_after",
        "detained_before",
        "released_after",
        "released_before",
        "held_on",
    )

    q = django_filters.CharFilter(method="filter_q", label=_("Name"), max_length=200)
    status = ChoicesFilter(choices=Status.choices, label=_("Status"), distinct=False)
    gender = ChoicesFilter(choices=Gender.choices, label=_("Gender"), distinct=False)
    region = MultipleTextFilter(field_name="region", label=_("Region"))
    organization = MultipleTextFilter(method="filter_organization", label=_("Organization"))
    recognized = django_filters.ChoiceFilter(
        choices=[("yes", _("yes")), ("no", _("no"))],
        method="filter_recognized",
        label=_("Recognized as a political prisoner"),
        empty_label=_("either"),
    )
    recognized_after = IsoDateFilter("recognized_on_first", "gte", label=_("Recognized from"))
    recognized_before = IsoDateFilter("recognized_on_first", "lte", label=_("Recognized until"))

    charge = MultipleTextFilter(field_name="charges__article", label=_("Charge (article)"))
    release_type = ChoicesFilter(
        field_name="release__release_type",
        choices=ReleaseType.choices,
        label=_("Release type"),
        distinct=False,
    )
    release_event = MultipleTextFilter(
        field_name="release__release_event__event_id", label=_("Release event")
    )
    detained_after = IsoDateFilter("detained_on_first", "gte", label=_("Detained from"))
    detained_before = IsoDateFilter("detained_on_first", "lte", label=_("Detained until"))
    released_after = IsoDateFilter("release__released_on_first", "gte", label=_("Released from"))
    released_before = IsoDateFilter("release__released_on_first", "lte", label=_("Released until"))
    expected_release_after = ExpectedReleaseFilter(bound="after", label=_("Expected release from"))
    expected_release_before = ExpectedReleaseFilter(
        bound="before", label=_("Expected release until")
    )
    held_on = django_filters.DateFilter(
        method="filter_held_on",
        input_formats=ISO_DATE,
        label=_("Held on"),
        help_text=_("YYYY-MM-DD: people held on that day."),
    )

    as_of = AsOfFilter(
        method="filter_as_of",
        input_formats=ISO_DATE,
        label=_("As published on"),
        help_text=_(
            "YYYY-MM-DD: the people on the public list at the end of that day; "
            "the other filters select by today's records."
        ),
    )

    ordering = django_filters.ChoiceFilter(
        choices=ORDERING_CHOICES, method="filter_ordering", label=_("Sort by"), empty_label=None
    )

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_organization(self, queryset, name, values):
        if not values:
            return queryset
        members = Person.organizations.through.objects.filter(organization__name__in=values)
        return queryset.filter(pk__in=members.values("person_id"))

    def filter_recognized(self, queryset, name, value):
        # With held_on, recognized on that day, as the held figure counts:
        # the list held_on=d&recognized=yes is who that figure names.
        day = self.form.cleaned_data.get("held_on")
        if value == "yes":
            return queryset.recognized_on(day) if day else queryset.recognized()
        if value == "no":
            return queryset.not_recognized_on(day) if day else queryset.not_recognized()
        return queryset

    def filter_as_of(self, queryset, name, value: date):
        return queryset.filter(pk__in=as_of.on_the_list(value))

    def as_of_day(self) -> date | None:
        """The day of ``as_of``, when the list is asked as it stood then."""
        return self.form.cleaned_data.get("as_of") if self.is_valid() else None

    def as_of_not_named(self) -> int | None:
        """With ``as_of`` alone: how many on the list that day are not named
        now (unpublished, anonymous or deleted since). None otherwise: the
        other filters may not be asked of them."""
        day = self.as_of_day()
        if day is None:
            return None
        others = [
            name
            for name, value in self.form.cleaned_data.items()
            if value not in django_filters.constants.EMPTY_VALUES
            and name not in ("ordering", "as_of")
        ]
        return None if others else as_of.not_named_now(day)

    def filter_held_on(self, detentions, name, value: date):
        return detentions.held_on(value)

    def not_named_count(self) -> int | None:
        """How many people counted in the figures but never named (anonymous)
        match the filters; None when the filters ask what may not be asked of
        them. Only NOT_NAMED_FILTERS may (held_on, recognized=yes), on
        counting days as the figures count them: held_on=d&recognized=yes
        names ``count`` people and ``not_named_count`` more make the held
        figure of d. Any other filter (a name, region, organization, charge,
        status, a date range…) would tell what is not public about them."""
        if not self.is_valid():
            return None
        data = self.form.cleaned_data
        given = {
            name
            for name, value in data.items()
            if value not in django_filters.constants.EMPTY_VALUES and name != "ordering"
        }
        if not given or given - NOT_NAMED_FILTERS or data.get("recognized") == "no":
            return None
        day, people = data.get("held_on"), Person.objects.not_named()
        if day:
            people = people.counted_held_on(day)
        if data.get("recognized") == "yes":
            people = people.counted_recognized_on(day) if day else people.recognized()
        return people.count()

    def filter_ordering(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset

    def matching_detentions(self) -> QuerySet[Detention]:
        """The detentions that satisfy every detention filter given (all of
        them, when none is), release events limited to published ones."""
        detentions = Detention.objects.all()
        data = self.form.cleaned_data
        for name in self.DETENTION_FILTERS:
            value = data.get(name)
            if value in django_filters.constants.EMPTY_VALUES:
                continue
            detentions = self.filters[name].filter(detentions, value)
        if data.get("release_event"):
            published = privacy.published_release_event("release__release_event")
            detentions = detentions.filter(published)
        return detentions

    def narrows(self) -> bool:
        """Whether any filter is given: the order alone leaves the whole list."""
        return any(
            value not in django_filters.constants.EMPTY_VALUES
            for name, value in self.form.cleaned_data.items()
            if name != "ordering"
        )

    def has_detention_filters(self) -> bool:
        data = self.form.cleaned_data
        return any(
            data.get(name) not in django_filters.constants.EMPTY_VALUES
            for name in self.DETENTION_FILTERS
        )

    def narrow(self, queryset, *, detentions: bool = True):
        """``queryset`` with every filter given (without ``detentions``, the
        filters on the person only), unordered."""
        data = self.form.cleaned_data
        for name, value in data.items():
            if name in self.DETENTION_FILTERS or name == "ordering":
                continue
            queryset = self.filters[name].filter(queryset, value)
        if detentions and self.has_detention_filters():
            queryset = queryset.with_detentions_matching(self.matching_detentions())
        return queryset

    def filter_queryset(self, queryset):
        queryset = self.narrow(queryset)
        ordering = self.form.cleaned_data.get("ordering") or "name"
        if ordering in BY_DAYS_IN_CUSTODY:
            queryset = queryset.with_days_in_custody(timezone.localdate())
        elif ordering not in ("name", "-name"):
            queryset = queryset.with_latest_dates()
        if self.form.cleaned_data.get("q") and ordering in SEARCH_ORDERINGS:
            return queryset.order_by(*SEARCH_ORDERINGS[ordering])
        return queryset.order_by(*ORDERINGS[ordering])

    def facets(self, time_limit_ms: float | None = None) -> dict[str, list[tuple[str, int]]]:
        """How many people of the filtered list have each value of each facet
        (stats.facets.count_facets); an invalid request has none."""
        if not self.is_valid():
            return {}
        held = None
        if self.has_detention_filters():
            # The matching detentions of people who pass the person filters:
            # those people have a matching detention, so they are the listed ones.
            person_ids = self.narrow(self.queryset, detentions=False).values("pk")
            held = self.matching_detentions().filter(person__in=person_ids)
        return count_facets(self.narrow(self.queryset), held, time_limit_ms)


class ReleaseEventFilter(django_filters.FilterSet):
    """Release events by date; build it on published events."""

    date_after = IsoDateFilter("date_first", "gte", label=_("From"))
    date_before = IsoDateFilter("date_first", "lte", label=_("Until"))

    class Meta:
        model = ReleaseEvent
        fields: list[str] = []


class TargetIdsField(MultipleTextField):
    """Target ids (``belavia``), any number, case ignored."""

    def to_python(self, value) -> list[str]:
        ids = [v.lower() for v in super().to_python(value)]
        if any(not ID.match(i) for i in ids):
            raise forms.ValidationError(
                _("Give a target's id, such as belavia (see the list of targets)."),
                code="invalid",
            )
        return ids


@extend_schema_field(OpenApiTypes.STR)
class TargetIdsFilter(MultipleTextFilter):
    field_class = TargetIdsField


class SanctionsEventFilter(django_filters.FilterSet):
    """Sanctions acts by date, authority, kind, action, target and the day
    they are in force; build it on published events."""

    date_after = IsoDateFilter("date_first", "gte", label=_("From"))
    date_before = IsoDateFilter("date_first", "lte", label=_("Until"))
    authority = MultipleTextFilter(
        field_name="authority", lookup_expr="iexact", label=_("Authority")
    )
    kind = ChoicesFilter(choices=SanctionsKind.choices, label=_("Kind of act"), distinct=False)
    action = ChoicesFilter(choices=SanctionsAction.choices, label=_("Action"), distinct=False)
    target = TargetIdsFilter(method="filter_target", label=_("Target"))
    in_force_on = django_filters.DateFilter(
        method="filter_in_force_on",
        input_formats=ISO_DATE,
        label=_("In force on"),
        help_text=_("YYYY-MM-DD: the acts in force on that day."),
    )

    class Meta:
        model = SanctionsEvent
        fields: list[str] = []

    def filter_target(self, queryset, name, values):
        """Acts on any of the targets, by target_id."""
        if not values:
            return queryset
        acts = SanctionsEvent.objects.filter(targets__target_id__in=values)
        return queryset.filter(pk__in=acts.values("pk"))

    def filter_in_force_on(self, queryset, name, value):
        # Only published acts end others in public (prisoners/sanctions.py).
        return queryset.in_force_on(value, among=privacy.sanctions_events())


class SanctionsTargetFilter(django_filters.FilterSet):
    """Sanctions targets by name (any language or alias) and kind; build it
    on privacy.sanctions_targets()."""

    q = django_filters.CharFilter(method="filter_q", label=_("Name or alias"), max_length=200)
    kind = ChoicesFilter(choices=TargetKind.choices, label=_("Kind"), distinct=False)

    class Meta:
        model = SanctionsTarget
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return queryset.named(value)


class InForceForm(forms.Form):
    """The day a target's page shows what was in force (today when not given)."""

    in_force_on = forms.DateField(
        required=False,
        input_formats=ISO_DATE,
        label=_("In force on"),
        help_text=_("YYYY-MM-DD: the acts in force on that day."),
    )


# /changes/: a range of days and the filters of the list of people.
CHANGES_DAYS = 7


def changes_start(end: date) -> date:
    """/changes/ shows the last CHANGES_DAYS days by default (today included)."""
    return end - timedelta(days=CHANGES_DAYS - 1)


@dataclass
class AskedChanges:
    """A request to /changes/ (its page, feed, CSV and API): its range form
    and filters, valid or not, and the answer when both are."""

    form: RangeForm
    filterset: PersonFilter
    changes: Changes | None = None

    @property
    def errors(self) -> dict:
        return {**self.form.errors, **(self.filterset.form.errors if self.form.is_valid() else {})}


def ask_changes(query: QueryDict) -> AskedChanges:
    """Read ``from``, ``to`` and the filters of /prisoners/ from ``query``;
    answer when they are valid."""
    form = RangeForm(query, today=timezone.localdate(), start_by_default=changes_start)
    filterset = PersonFilter(query, queryset=privacy.people())
    asked = AskedChanges(form, filterset)
    if not (form.is_valid() and filterset.is_valid()):
        return asked
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    if filterset.narrows():
        named = filterset.narrow(privacy.people())
        asked.changes = changes_of_filtered(start, end, named)
    else:
        asked.changes = changes_between(start, end, privacy.people())
    return asked


class FacilityFilter(django_filters.FilterSet):
    """Facilities by kind and region (either of several values)."""

    kind = ChoicesFilter(choices=FacilityKind.choices, label=_("Kind"), distinct=False)
    region = MultipleTextFilter(field_name="region", lookup_expr="iexact", label=_("Region"))

    class Meta:
        model = Facility
        fields: list[str] = []


class MonthForm(forms.Form):
    """The month of /birthdays/, its feed and print layout: 1 to 12, this
    month (in TIME_ZONE) when not given."""

    month = forms.IntegerField(
        label=_("Month"),
        min_value=1,
        max_value=12,
        required=False,
        error_messages={
            error: _("Enter a month as a number from 1 to 12.")
            for error in ("invalid", "min_value", "max_value")
        },
    )

    def __init__(self, data, today: date):
        super().__init__(data)
        self.today = today

    def clean_month(self) -> int:
        return self.cleaned_data["month"] or self.today.month
