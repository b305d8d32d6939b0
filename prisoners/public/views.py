"""The public pages. Each view reads its input, asks a queryset or a domain
function, and renders; published records only."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import ListView, MonthArchiveView, YearArchiveView
from django.views.generic.detail import SingleObjectMixin

from .. import as_of, letters, local_names, privacy, query_strings
from ..choices import Gender, GuideKey, ReleaseType, Status
from ..partial_dates import MONTHS_IN_FULL
from ..querysets import with_sources_of_people
from ..stats import charts, figures, series
from . import errors, queries, rows, timeline
from .citation import absolute
from .filters import (
    AsOfForm,
    MonthForm,
    PersonFilter,
    ReleaseEventFilter,
    SanctionsEventFilter,
    ask_changes,
)

PEOPLE_PER_PAGE = 50
EVENTS_PER_PAGE = 20
# A list of group releases names the people of an event only up to this
# many; for a larger one it links to the event's page, which pages them.
NAMES_IN_LISTS = 10
# The archive of a year or month names the releases outside group releases
# up to this many; for more it gives their number (a year of them makes too
# long a page).
OTHER_RELEASES_NAMED = 100
# /changes/ names up to this many people a group; the CSV, feed and API all.
CHANGES_NAMED = 200
# A month's birthdays a page (a real list has about a hundred a month; the
# print layout pages alike).
BIRTHDAYS_PER_PAGE = 200


def home(request):
    form = AsOfForm(request.GET)
    if not form.is_valid():
        return errors.page_400(request, "prisoners/home.html", {"form": form, "invalid": True})
    day = form.cleaned_data.get("as_of")
    if day is not None:
        # The figures as recorded at the end of that day (as_of.py).
        then = as_of.home_figures(day)
        return render(
            request,
            "prisoners/home.html",
            {
                "form": form,
                "today": day,
                "as_of": day,
                "held_now": then["held"],
                "released_this_year": then["released"],
                "recognized_total": then["recognized"],
                "not_named": {
                    "held": then["held_not_named"],
                    "recognized": then["recognized_not_named"],
                },
            },
        )
    today = timezone.localdate()
    return render(
        request,
        "prisoners/home.html",
        {
            "form": form,
            "today": today,
            "held_now": figures.held_on(today),
            "released_this_year": figures.releases_between(
                date(today.year, 1, 1), date(today.year, 12, 31)
            ),
            "recognized_total": figures.recognized_total(),
            "not_named": figures.not_named_figures(today),
            "release_events": queries.latest_release_events(5),
            # Titles only: their targets, not the release events they link.
            "sanctions_events": queries.sanctions_events(links=False)[:5],
        },
    )


class FilteredListView(ListView):
    """A list narrowed by a FilterSet; an invalid value answers 400 with the
    form and its errors, a page past the end 404."""

    filterset_class = None

    def get(self, request, *args, **kwargs):
        self.filterset = self.filterset_class(request.GET, queryset=self.get_base_queryset())
        self.invalid = not self.filterset.is_valid()
        if self.invalid:
            self.object_list = self.filterset.queryset.none()
            return errors.page_400(request, self.get_template_names(), self.get_context_data())
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        # The filters' summary on a phone says how many values are chosen.
        filters = [name for name in self.filterset.filters if name != "ordering"]
        return super().get_context_data(
            filterset=self.filterset,
            form=self.filterset.form,
            invalid=self.invalid,
            active_filters=query_strings.values_in_use(self.request.GET, filters),
            **kwargs,
        )

    def get_paginate_by(self, queryset):
        # An invalid request shows the form and its errors, whatever the page.
        return None if self.invalid else self.paginate_by


class PeopleFacetsMixin:
    """The facets of the filtered list of people."""

    filterset_class = PersonFilter

    def get_base_queryset(self):
        return privacy.people()

    @cached_property
    def facets(self) -> dict:
        """The counts beside the list: stored for the whole list (unless
        being rebuilt elsewhere), counted for a filtered one."""
        if self.invalid:
            return {}
        if not self.filterset.narrows() and (stored := figures.whole_list_facets()) is not None:
            return stored
        return self.filterset.facets(settings.FACET_TIME_LIMIT_MS)

    def facet_groups(self, shown: int | None = None) -> list[dict]:
        facets = self.facets
        # Facets not counted in time offer the whole list's values.
        uncounted = (
            (figures.whole_list_facets(rebuild=False) or {})
            if facets and len(facets) < len(FACETS)
            else {}
        )
        return facet_groups(self.filterset, facets, self.invalid, uncounted, shown)


class PersonListView(PeopleFacetsMixin, FilteredListView):
    template_name = "prisoners/person_list.html"
    paginate_by = PEOPLE_PER_PAGE
    context_object_name = "people"

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if "status" in self.facets:
            # Everyone has one status: the status counts add up to the list,
            # and counting it again would cost as much as counting them.
            paginator.count = sum(n for _status, n in self.facets["status"])
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["facets"] = self.facet_groups(FACET_SHOWN)
        context["not_named_count"] = None if self.invalid else self.filterset.not_named_count()
        # The date fields in the form's order, picked here rather than by a
        # loop over every field in the template.
        form = self.filterset.form
        context["date_fields"] = [form[name] for name in form.fields if name in DATE_FILTERS]
        day = None if self.invalid else self.filterset.as_of_day()
        if day is not None:
            # The page's people as the list showed them then (as_of.py).
            context["people"] = as_of.as_it_stood(list(context["people"]), day, rows_only=True)
            context["as_of"] = day
            context["as_of_not_named"] = self.filterset.as_of_not_named()
            context["rows"] = rows.person_rows(context["people"], day)
        else:
            # The page's people read as the columns a row shows, not records.
            context["people"] = rows.as_columns(context["people"])
            context["rows"] = rows.list_rows(context["people"])
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
    "expected_release_after",
    "expected_release_before",
    "held_on",
    "as_of",
]
FACETS = ["status", "release_type", "region", "charge", "organization"]
# Beside the list, the largest values of a facet (and those selected).
FACET_SHOWN = 20
FACET_LABELS = {"status": dict(Status.choices), "release_type": dict(ReleaseType.choices)}


def facet_groups(
    filterset: PersonFilter,
    facets: dict,
    invalid: bool,
    uncounted: dict | None = None,
    shown: int | None = FACET_SHOWN,
) -> list[dict]:
    """The facets beside the list, labelled, with what is selected: the
    ``shown`` largest values (all of them with None) and those chosen, and
    how many values there are. For an invalid request there are no counts,
    only the values chosen; a facet not counted in time offers the values of
    ``uncounted`` (those of the whole list), without counts."""
    groups = []
    for name in FACETS:
        counted = name in facets
        counts = dict(facets[name] if counted else (uncounted or {}).get(name, []))
        selected = [v for v in filterset.form.data.getlist(name) if v.strip()]
        largest = list(counts)[:shown]
        values = largest + [v for v in selected if v not in largest]
        # Only values the public list counts are named in be/ru: a value typed
        # into the query string and used only by hidden records is echoed as
        # typed, never given its recorded translation.
        labels = FACET_LABELS.get(name) or local_names.shown_names(
            name, [v for v in values if v in counts]
        )
        options = [
            {
                "value": value,
                "label": labels.get(value, value),
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
                "total": len(counts),
                "hidden": len(set(counts) - set(values)),
            }
        )
    return groups


class FacetValuesView(PeopleFacetsMixin, FilteredListView):
    """Every value of one facet of the list of people, counted for the
    filters given, alphabetically (a reader looks for one): the list beside
    the people shows only the largest."""

    template_name = "prisoners/person_facet.html"

    def get(self, request, *args, **kwargs):
        if kwargs["facet"] not in FACETS:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.filterset.queryset.none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        name = self.kwargs["facet"]
        group = next(g for g in self.facet_groups(shown=None) if g["name"] == name)
        chosen = [option["value"] for option in group["options"] if option["checked"]]
        for option in group["options"]:
            value = option["value"]
            values = [v for v in chosen if v != value] if option["checked"] else [*chosen, value]
            # A link adds the value to the filters (or takes a chosen one away).
            option["query"] = query_strings.in_use(self.request.GET, page=None, **{name: values})
        # A–Z by the name shown, in the page's alphabet (Брэст before Мінск).
        group["options"].sort(key=lambda option: local_names.collation_key(option["label"]))
        context["group"] = group
        return context


def person_detail(request, person_id):
    form = AsOfForm(request.GET)
    person = queries.person_page(person_id)
    if person is None:
        # A former or other id: the person's page, in the same language.
        kept = privacy.person_under_other_id(person_id)
        if kept is None:
            raise Http404
        query = request.META.get("QUERY_STRING")
        url = kept.get_absolute_url()
        return redirect(f"{url}?{query}" if query else url, permanent=True)
    if not form.is_valid():
        context = {"person": person, "rows": timeline.person_rows(person), "form": form}
        return errors.page_400(request, "prisoners/person_detail.html", context)
    day = form.cleaned_data.get("as_of")
    if day is not None:
        person = as_of.person_as_it_stood(person, day)
        if person is None:
            raise Http404("Not on the public list at the end of that day.")
        with_sources_of_people([person], stays=True)
    facility = letters.current_facility(person)
    return render(
        request,
        "prisoners/person_detail.html",
        {
            "person": person,
            "rows": timeline.person_rows(person),
            "inside": timeline.time_inside(person, timezone.localdate()),
            "as_of": day,
            "letter": letters.letter_address(person, facility),
            "letters_not_reaching": letters.not_reaching(person),
        },
    )


class ReleaseEventListView(FilteredListView):
    filterset_class = ReleaseEventFilter
    template_name = "prisoners/release_list.html"
    paginate_by = EVENTS_PER_PAGE
    context_object_name = "events"

    def get_base_queryset(self):
        return queries.release_events()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queries.name_the_few(context["events"], NAMES_IN_LISTS)
        return context


class ReleaseArchiveMixin:
    """The releases of a year or a month. Only the data's years have an
    archive (404 before the first and after the last year with a release the
    page shows), and the previous and next links go to the nearest year or
    month with one: no endless chain of empty pages for a crawler to walk."""

    date_field = "date_first"
    allow_empty = True
    allow_future = True
    make_object_list = True
    context_object_name = "events"

    def get(self, request, *args, **kwargs):
        # The months with releases, in order (one query, before Django's own
        # date arithmetic, which overflows at year 1 and year 9999).
        self.months = queries.release_months()
        year = self.period()[0].year
        if not self.months or not (self.months[0].year <= year <= self.months[-1].year):
            raise Http404("No releases in that period.")
        return super().get(request, *args, **kwargs)

    def nearest(self, day: date, period: str, before: bool) -> date | None:
        """The first day of the nearest ``period`` ("year" or "month")
        before or after the one of ``day`` that has releases, or None."""
        starts = sorted({date(m.year, 1, 1) if period == "year" else m for m in self.months})
        if before:
            earlier = [s for s in starts if s < day]
            return earlier[-1] if earlier else None
        later = [s for s in starts if s > day]
        return later[0] if later else None

    def get_queryset(self):
        return queries.release_events()

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        return super().get_date_list(queries.without_counts(queryset), date_type, ordering)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queries.name_the_few(context["events"], NAMES_IN_LISTS)
        start, end = self.period()
        others = queries.releases_outside_events(start, end)
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

    def get_previous_year(self, day):
        return self.nearest(day, "year", before=True)

    def get_next_year(self, day):
        return self.nearest(day, "year", before=False)


class ReleaseMonthView(ReleaseArchiveMixin, MonthArchiveView):
    template_name = "prisoners/release_archive_month.html"
    month_format = "%m"

    def period(self):
        start = date(int(self.get_year()), int(self.get_month()), 1)
        return start, series.month_end(start)

    def get_previous_month(self, day):
        return self.nearest(day.replace(day=1), "month", before=True)

    def get_next_month(self, day):
        return self.nearest(day.replace(day=1), "month", before=False)


class ReleaseEventDetailView(SingleObjectMixin, ListView):
    """A group release and the people it names, a page of them at a time as
    on the list of people."""

    template_name = "prisoners/release_event_detail.html"
    paginate_by = PEOPLE_PER_PAGE
    slug_field = slug_url_kwarg = "event_id"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object(queryset=queries.release_events().prefetch_related("sources"))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return queries.named_in(self.object)

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        # Counted with the event already: the same releases, no second query.
        paginator.count = self.object.named_count
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(event=self.object, **kwargs)
        context["named_releases"] = context["object_list"]
        context["standings"] = queries.release_day_standings(self.object)
        context["sector_acts"] = queries.sector_acts_in_force(self.object)
        return context


release_event_detail = ReleaseEventDetailView.as_view()


class SanctionsEventListView(FilteredListView):
    filterset_class = SanctionsEventFilter
    template_name = "prisoners/sanctions_list.html"
    paginate_by = PEOPLE_PER_PAGE
    context_object_name = "events"

    def get_base_queryset(self):
        return queries.sanctions_events()

    def get_context_data(self, **kwargs):
        return super().get_context_data(target_choices=queries.target_choices(), **kwargs)


def sanctions_event_detail(request, event_id):
    event = get_object_or_404(
        queries.sanctions_events().prefetch_related("sources"), event_id=event_id
    )
    return render(request, "prisoners/sanctions_event_detail.html", {"event": event})


def timeline_view(request):
    form = timeline.RangeForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return errors.page_400(request, "prisoners/timeline.html", {"form": form})
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    held = figures.held_series(start, end)
    releases = series.releases_per_month(start, end)
    relief = series.relief_per_month(start, end)
    table = series.monthly_table(held, releases, end)
    rows = timeline.chronology(start, end)
    return render(
        request,
        "prisoners/timeline.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "rows": rows,
            "lines": timeline.chronology_lines(rows),
            "held_chart": charts.held_chart(held),
            "releases_chart": charts.releases_chart(releases, start, end),
            "table": table,
            "months": timeline.month_rows(table),
            # The sanctions ledger (templates/prisoners/_sanctions_ledger.html).
            "relief_chart": charts.relief_chart([(m, len(a)) for m, a in relief], start, end),
            "relief": [(month, acts) for month, acts in relief if acts],
        },
    )


def changes_view(request):
    asked = ask_changes(request.GET)
    context = {
        "form": asked.form,
        "filters_form": asked.filterset.form,
        "changes": asked.changes,
        # The filters of the list go with the range (hidden in its form).
        "kept": [
            (name, value)
            for name, values in request.GET.lists()
            if name not in ("from", "to", "page")
            for value in values
            if value.strip()
        ],
    }
    if asked.changes is None:
        return errors.page_400(request, "prisoners/changes.html", context)
    context["filtered"] = asked.filterset.narrows()
    context["groups"] = [
        (group, rows.change_rows(group.changes[:CHANGES_NAMED])) for group in asked.changes.groups
    ]
    context["most"] = CHANGES_NAMED
    return render(request, "prisoners/changes.html", context)


def write_guide(request):
    return render(request, "prisoners/write.html", {"guide": queries.guide(GuideKey.WRITE)})


def birthdays(request, template_name="prisoners/birthdays.html"):
    """The birthdays of a month of the people held now (/birthdays/, and
    its print layout with another template)."""
    today = timezone.localdate()
    form = MonthForm(request.GET, today=today)
    if not form.is_valid():
        return errors.page_400(request, template_name, {"form": form, "rows": []})
    month = form.cleaned_data["month"]
    paginator = Paginator(queries.birthdays(month), BIRTHDAYS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404 from None
    return render(
        request,
        template_name,
        {
            "form": form,
            "month": month,
            "month_name": MONTHS_IN_FULL[month - 1],
            "months": [(n, MONTHS_IN_FULL[n - 1]) for n in range(1, 13)],
            "page_obj": page,
            "rows": queries.birthday_rows(page.object_list, month, today),
        },
    )


def robots_txt(request):
    """Crawlers may read every public page; the sitemap lists them."""
    sitemap = absolute(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
