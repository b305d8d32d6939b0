"""Figures other sites may show: the held chart, releases per month and the
headline figure as minimal pages to frame (``/embed/…``; tracker.security
lets these alone be framed), and the two charts as standalone SVG images
(``/charts/….svg``) that name their source and data version inside the
image. The same range rule (stats/ranges.py through timeline.RangeForm),
the same series and the same geometry as /timeline/."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_exempt

from .. import query_strings
from ..partial_dates import PartialDate, Precision
from ..stats import charts, figures, series
from . import errors, timeline
from .citation import absolute, last_changed

SVG = "image/svg+xml; charset=utf-8"


def _day(day: date) -> str:
    return PartialDate(day, Precision.DAY).display()


def _number(n: int) -> str:
    return formats.number_format(n, use_l10n=True, force_grouping=True)


def held_description(held: list[tuple[date, int]]) -> str:
    """The held chart in words, for screen readers and the image's <desc>."""
    (start, first), (end, last) = held[0], held[-1]
    top_day, top = max(held, key=lambda point: point[1])
    return _(
        "Recognized political prisoners held on each day: %(first)s on %(start)s, "
        "%(last)s on %(end)s; at most %(top)s, on %(top_day)s."
    ) % {
        "first": _number(first),
        "start": _day(start),
        "last": _number(last),
        "end": _day(end),
        "top": _number(top),
        "top_day": _day(top_day),
    }


def releases_description(releases: list[tuple[date, int]], start: date, end: date) -> str:
    total = sum(n for _month, n in releases)
    text = ngettext(
        "Releases per month from %(start)s to %(end)s: %(n)s in total.",
        "Releases per month from %(start)s to %(end)s: %(n)s in total.",
        total,
    ) % {"start": _day(start), "end": _day(end), "n": _number(total)}
    if total:
        month, most = max(releases, key=lambda point: point[1])
        text += " " + _("Most in %(month)s: %(n)s.") % {
            "month": PartialDate(month, Precision.MONTH).display(),
            "n": _number(most),
        }
    return text


def _figure(kind: str, start: date, end: date) -> dict:
    """A chart, its description and where it comes from."""
    if kind == "held":
        points = figures.held_series(start, end)
        chart, text = charts.held_chart(points), held_description(points)
    else:
        points = series.releases_per_month(start, end)
        chart = charts.releases_chart(points, start, end)
        text = releases_description(points, start, end)
    query = f"?from={start.isoformat()}&to={end.isoformat()}"
    return {
        "kind": kind,
        "chart": chart,
        "description": text,
        "start": start,
        "end": end,
        "source_url": absolute(reverse("timeline") + query),
    }


def _chart(request, kind: str, svg: bool):
    form = timeline.RangeForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        if svg:
            return errors.text_400(form)
        context = {
            "form": form,
            "source_url": absolute(reverse("timeline")),
            "changed": last_changed(request),
        }
        return errors.page_400(request, "prisoners/embed_chart.html", context)
    figure = _figure(kind, form.cleaned_data["start"], form.cleaned_data["end"])
    figure["changed"] = last_changed(request)
    if svg:
        figure["self_url"] = absolute(query_strings.citable_path(request))
        return render(request, "prisoners/chart.svg", figure, content_type=SVG)
    return render(request, "prisoners/embed_chart.html", figure)


@xframe_options_exempt
def held(request):
    return _chart(request, "held", svg=False)


@xframe_options_exempt
def releases(request):
    return _chart(request, "releases", svg=False)


def held_svg(request):
    return _chart(request, "held", svg=True)


def releases_svg(request):
    return _chart(request, "releases", svg=True)


@xframe_options_exempt
def counter(request):
    """The home page's headline: recognized political prisoners held today."""
    today = timezone.localdate()
    return render(
        request,
        "prisoners/embed_counter.html",
        {
            "today": today,
            "held_now": figures.held_on(today),
            "not_named": {"held": figures.not_named_held(today)},
            "changed": last_changed(request),
            "source_url": absolute(reverse("home")),
        },
    )
