"""The pages of the records the others point to: facilities (where people
are held) and sanctions targets. Thin views, as in views.py."""

from __future__ import annotations

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .. import privacy
from . import errors, queries
from .filters import FacilityFilter, InForceForm, SanctionsTargetFilter
from .views import PEOPLE_PER_PAGE, FilteredListView


class FacilityListView(FilteredListView):
    filterset_class = FacilityFilter
    template_name = "prisoners/facility_list.html"
    paginate_by = PEOPLE_PER_PAGE
    context_object_name = "facilities"

    def get_base_queryset(self):
        return queries.facilities()


def facility_detail(request, facility_id):
    facility = get_object_or_404(
        privacy.facilities().prefetch_related("sources"), facility_id=facility_id
    )
    return render(
        request,
        "prisoners/facility_detail.html",
        {
            "facility": facility,
            "held_now": _page(request, queries.held_now_at(facility), "now"),
            "held_before": _page(request, queries.held_before_at(facility), "page"),
        },
    )


def _page(request, rows, parameter: str):
    """The page of ``rows`` the ``parameter`` asks for (the first by
    default); a page past the end, or not a number, is a 404."""
    try:
        return Paginator(rows, PEOPLE_PER_PAGE).page(request.GET.get(parameter) or 1)
    except InvalidPage as error:
        raise Http404 from error


class SanctionsTargetListView(FilteredListView):
    filterset_class = SanctionsTargetFilter
    template_name = "prisoners/sanctions_target_list.html"
    paginate_by = PEOPLE_PER_PAGE
    context_object_name = "targets"

    def get_base_queryset(self):
        return queries.sanctions_targets()


def sanctions_target_detail(request, target_id):
    """A target's acts under each authority, and where it stood on a day."""
    target = get_object_or_404(
        privacy.sanctions_targets().prefetch_related("sources"), target_id=target_id
    )
    form = InForceForm(request.GET)
    context = {"target": target, "form": form, "invalid": not form.is_valid()}
    if context["invalid"]:
        return errors.page_400(request, "prisoners/sanctions_target_detail.html", context)
    day = form.cleaned_data["in_force_on"] or timezone.localdate()
    context["day"] = day
    context["standings"] = queries.standings(day, [target])[0][1]
    context["history"] = queries.target_history(target)
    return render(request, "prisoners/sanctions_target_detail.html", context)
