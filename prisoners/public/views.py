"""The public pages. Each view reads its input, asks a queryset or a domain
function, and renders; published records only."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import ListView, MonthArchiveView, YearArchiveView
from django.views.generic.detail import SingleObjectMixin

from ..models import (
    Detention,
    Gender,
    Person,
    Release,
    ReleaseEvent,
    ReleaseType,
    SanctionsEvent,
    Status,
)
from ..stats import charts, figures, series
from . import timeline
from .filters import PersonFilter, ReleaseEventFilter, SanctionsEventFilter

PEOPLE_PER_PAGE = 50
EVENTS_PER_PAGE = 20
# A list of group releases names the people of an event only up to this
# many; for a larger one it links to the event's page, which pages them.
NAMES_IN_LISTS = 10
# The archive of a year or month names the releases outside group releases
# up to this many; for more it gives their number (at 100,000 people, a
# year named 5,569 in a page of 750 KB).
OTHER_RELEASES_NAMED = 100


def home(request):
    today = timezone.localdate()
    return render(
        request,
        "prisoners/home.html",
        {
            "today": today,
            "held_now": figures.held_on(today),
            "released_this_year": figures.releases_between(
                date(today.year, 1, 1), date(today.year, 12, 31)
            ),
            "recognized_total": Person.objects.counted().recognized().count(),
            "release_events": timeline.latest_release_events(5),
            "sanctions_events": timeline.public_sanctions_events()[:5],
        },
    )


# What a list of the people named in a release shows of each.
NAMED_RELEASE_FIELDS = [
    "release_event",
    "released_on_first",
    "released_on_last",
    "released_on_precision",
    "release_type",
    "released_to",
    "detention__person__person_id",
    "detention__person__name",
    "detention__person__name_be",
    "detention__person__name_ru",
]


def _named(releases):
    """Those of ``releases`` whose person is published, with the person, by
    name then person_id.

    Select them through the event's row (``release_event__event_id``), not
    on ``release_event_id``: PostgreSQL then looks each person up by index
    rather than reading every detention (915 names: 20 ms against 50 ms).
    And keep published() a subquery: a condition on the joined person lets
    PostgreSQL walk every published person in name order (person_published_name)
    to find the first page's 50 (75 ms against 17 ms)."""
    return (
        releases.filter(detention__person__in=Person.objects.published())
        .select_related("detention__person")
        .only(*NAMED_RELEASE_FIELDS)
        .order_by("detention__person__name", "detention__person__person_id", "pk")
    )


def _name_the_few(events) -> None:
    """Give ``named_releases`` to the events that name at most NAMES_IN_LISTS
    people, in one query: the others are too long to list here."""
    few = {event.pk: event for event in events if 0 < event.named_count <= NAMES_IN_LISTS}
    for event in few.values():
        event.named_releases = []
    if few:
        event_ids = [event.event_id for event in few.values()]
        for release in _named(Release.objects.filter(release_event__event_id__in=event_ids)):
            few[release.release_event_id].named_releases.append(release)


class FilteredListView(ListView):
    """A list narrowed by a FilterSet; an invalid value answers 400 with the
    form and its errors, a page past the end 404."""

    filterset_class = None
    base_queryset = None

    def get(self, request, *args, **kwargs):
        self.filterset = self.filterset_class(request.GET, queryset=self.get_base_queryset())
        self.invalid = not self.filterset.is_valid()
        if self.invalid:
            self.object_list = self.filterset.queryset.none()
            context = self.get_context_data()
            return self.render_to_response(context, status=400)
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filterset=self.filterset, form=self.filterset.form, invalid=self.invalid, **kwargs
        )

    def get_paginate_by(self, queryset):
        # An invalid request shows the form and its errors, whatever the page.
        return None if self.invalid else self.paginate_by

    def render_to_response(self, context, status=200, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response.status_code = status
        return response


class PersonListView(FilteredListView):
    filterset_class = PersonFilter
    template_name = "prisoners/person_list.html"
    paginate_by = PEOPLE_PER_PAGE
    context_object_name = "people"

    def get_base_queryset(self):
        return Person.objects.published()

    def get_queryset(self):
        detentions = Detention.objects.select_related("release").order_by(
            "detained_on_first", "detention_id"
        )
        return self.filterset.qs.prefetch_related(Prefetch("detentions", queryset=detentions))

    @cached_property
    def facets(self) -> dict:
        """The counts beside the list: stored for the whole list (unless
        being rebuilt elsewhere), counted for a filtered one."""
        if self.invalid:
            return {}
        if not self.filterset.narrows() and (stored := figures.whole_list_facets()) is not None:
            return stored
        return self.filterset.facets(settings.FACET_TIME_LIMIT_MS)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if "status" in self.facets:
            # Everyone has one status: the status counts add up to the list,
            # and counting it again would cost as much as counting them.
            paginator.count = sum(n for _status, n in self.facets["status"])
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        facets = self.facets
        # Facets not counted in time offer the whole list's values.
        uncounted = (
            (figures.whole_list_facets(rebuild=False) or {})
            if facets and len(facets) < len(FACETS)
            else {}
        )
        context["facets"] = facet_groups(self.filterset, facets, self.invalid, uncounted)
        context["date_fields"] = DATE_FILTERS
        context["gender_choices"] = _options(
            "gender", Gender.choices, self.filterset.form.data.getlist("gender")
        )
        return context


def _options(name, choices, selected, counts=None) -> dict:
    counts = counts if counts is not None else {}
    options = [
        {"value": value, "label": label, "count": counts.get(value), "checked": value in selected}
        for value, label in choices
    ]
    return {"name": name, "options": options}


DATE_FILTERS = [
    "detained_after",
    "detained_before",
    "released_after",
    "released_before",
    "recognized_after",
    "recognized_before",
    "held_on",
]
FACETS = ["status", "release_type", "region", "charge", "organization"]
# Beside the list, the largest values of a facet (and those selected).
FACET_SHOWN = 20
FACET_LABELS = {"status": dict(Status.choices), "release_type": dict(ReleaseType.choices)}


def facet_groups(
    filterset: PersonFilter, facets: dict, invalid: bool, uncounted: dict | None = None
) -> list[dict]:
    """The facets beside the list, labelled, with what is selected. For an
    invalid request there are no counts, only the values chosen; a facet not
    counted in time offers the values of ``uncounted`` (those of the whole
    list), without counts."""
    groups = []
    for name in FACETS:
        counted = name in facets
        counts = dict(facets[name] if counted else (uncounted or {}).get(name, []))
        selected = filterset.form.data.getlist(name)
        largest = list(counts)[:FACET_SHOWN]
        values = largest + [v for v in selected if v not in largest]
        options = [
            {
                "value": value,
                "label": FACET_LABELS.get(name, {}).get(value, value),
                "count": counts.get(value, 0) if counted else None,
                "checked": value in selected,
            }
            for value in values
        ]
        groups.append(
            {
                "name": name,
                "title": filterset.filters[name].label,
                "options": options,
                "uncounted": not (counted or invalid),
            }
        )
    return groups


def person_detail(request, person_id):
    detentions = Detention.objects.select_related(
        "facility", "release", "release__release_event"
    ).prefetch_related(
        "charges",
        "sources",
        Prefetch(
            "release__release_event__sanctions",
            queryset=SanctionsEvent.objects.published(),
            to_attr="public_sanctions",
        ),
    )
    person = get_object_or_404(
        Person.objects.published().prefetch_related(
            "organizations", "sources", Prefetch("detentions", queryset=detentions)
        ),
        person_id=person_id,
    )
    return render(
        request,
        "prisoners/person_detail.html",
        {"person": person, "rows": timeline.person_rows(person)},
    )


class ReleaseEventListView(FilteredListView):
    filterset_class = ReleaseEventFilter
    template_name = "prisoners/release_list.html"
    paginate_by = EVENTS_PER_PAGE
    context_object_name = "events"

    def get_base_queryset(self):
        return timeline.public_release_events()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        _name_the_few(context["events"])
        return context


class ReleaseArchiveMixin:
    date_field = "date_first"
    allow_empty = True
    allow_future = True
    make_object_list = True
    context_object_name = "events"

    def get_queryset(self):
        return timeline.public_release_events()

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # The annotated counts do not mix with .dates(): ask the plain table.
        plain = ReleaseEvent.objects.published().filter(pk__in=queryset.order_by().values("pk"))
        return super().get_date_list(plain, date_type, ordering)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        _name_the_few(context["events"])
        start, end = self.period()
        others = (
            Release.objects.filter(
                detention__person__in=Person.objects.published(),
                released_on_first__range=(start, end),
            )
            .exclude(release_event__published=True)
            .select_related("detention__person")
            .order_by("released_on_first", "detention__person__name")
        )
        named = list(others[: OTHER_RELEASES_NAMED + 1])
        if len(named) > OTHER_RELEASES_NAMED:
            # Too many to name on one page: the filterable list pages them.
            context["other_count"], named = others.count(), []
        context["other_releases"] = named
        context["period_start"], context["period_end"] = start, end
        return context


class ReleaseYearView(ReleaseArchiveMixin, YearArchiveView):
    template_name = "prisoners/release_archive_year.html"

    def period(self):
        year = int(self.get_year())
        return date(year, 1, 1), date(year, 12, 31)


class ReleaseMonthView(ReleaseArchiveMixin, MonthArchiveView):
    template_name = "prisoners/release_archive_month.html"
    month_format = "%m"

    def period(self):
        start = date(int(self.get_year()), int(self.get_month()), 1)
        return start, series.month_end(start)


class ReleaseEventDetailView(SingleObjectMixin, ListView):
    """A group release and the people it names, a page of them at a time as
    on the list of people."""

    template_name = "prisoners/release_event_detail.html"
    paginate_by = PEOPLE_PER_PAGE
    slug_field = slug_url_kwarg = "event_id"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object(
            queryset=timeline.public_release_events().prefetch_related("sources")
        )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return _named(Release.objects.filter(release_event__event_id=self.object.event_id))

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        # Counted with the event already: the same releases, no second query.
        paginator.count = self.object.named_count
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(event=self.object, **kwargs)
        context["named_releases"] = context["object_list"]
        return context


release_event_detail = ReleaseEventDetailView.as_view()


class SanctionsEventListView(FilteredListView):
    filterset_class = SanctionsEventFilter
    template_name = "prisoners/sanctions_list.html"
    paginate_by = PEOPLE_PER_PAGE
    context_object_name = "events"

    def get_base_queryset(self):
        return timeline.public_sanctions_events()


def sanctions_event_detail(request, event_id):
    event = get_object_or_404(
        timeline.public_sanctions_events().prefetch_related("sources"), event_id=event_id
    )
    return render(request, "prisoners/sanctions_event_detail.html", {"event": event})


def timeline_view(request):
    form = timeline.RangeForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return render(request, "prisoners/timeline.html", {"form": form}, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    held = figures.held_series(start, end)
    releases = series.releases_per_month(start, end)
    return render(
        request,
        "prisoners/timeline.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "rows": timeline.chronology(start, end),
            "held_chart": charts.held_chart(held),
            "releases_chart": charts.releases_chart(releases, start, end),
            "table": series.monthly_table(held, releases, end),
        },
    )


def robots_txt(request):
    """Crawlers may read every public page; the sitemap lists them."""
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
