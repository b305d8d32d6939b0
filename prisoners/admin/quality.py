"""The data-quality page: where the records are probably wrong or stale
(the questions are in stats/quality.py), each row linking to its record;
probable duplicates are dismissed here, which records NotSameAs."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ..history import acting_as
from ..models import NotSameAs, Person
from ..stats import quality

PER_PAGE = 50
VIA = "data-quality page"
# Curators and editors: both correct records.
PERMISSION = "prisoners.change_person"


def can_see(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm(PERMISSION)


class NotSameForm(forms.Form):
    """Two people a curator says are different (the pair's dismiss button)."""

    first = forms.ModelChoiceField(queryset=Person.objects.all())
    second = forms.ModelChoiceField(queryset=Person.objects.all())

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("first") and cleaned_data.get("first") == cleaned_data.get("second"):
            raise forms.ValidationError(_("A person cannot be different from themselves."))
        return cleaned_data


def quality_view(request, admin_site):
    if not can_see(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    pages = {
        name: Paginator(rows, PER_PAGE).get_page(request.GET.get(f"{name}_page"))
        for name, rows in quality.sections(today).items()
    }
    quality.remember_counts(today, {name: page.paginator.count for name, page in pages.items()})
    pages["duplicates"].object_list = quality.describe(pages["duplicates"].object_list)
    people = pages["unsourced"].object_list = list(pages["unsourced"].object_list)
    found = quality.unsourced_detention_ids(people)
    for person in people:
        person.unsourced_ids = found[person.pk]
    context = {
        **admin_site.each_context(request),
        "title": _("Data quality"),
        "opts": Person._meta,
        **pages,
        "review_days": quality.REVIEW_DAYS,
    }
    return render(request, "admin/prisoners/quality.html", context)


@require_POST
def not_same_view(request):
    if not can_see(request.user):
        raise PermissionDenied
    form = NotSameForm(request.POST)
    if not form.is_valid():
        problems = " ".join(e for errors in form.errors.values() for e in errors)
        messages.error(request, _("Nothing was recorded: %(problems)s") % {"problems": problems})
        return redirect("prisoners_quality")
    first, second = form.cleaned_data["first"], form.cleaned_data["second"]
    with transaction.atomic(), acting_as(request.user, via=VIA):
        NotSameAs.record(first, second)
    messages.success(
        request,
        _("Recorded that %(first)s and %(second)s are different people.")
        % {"first": first.person_id, "second": second.person_id},
    )
    return redirect(reverse("prisoners_quality") + "#duplicates")


def quality_urls(admin_site) -> list[URLPattern]:
    """URL patterns to include under the admin's prefix, before the admin's own:
    ``path("admin/", include(quality_urls(admin.site)))``."""

    def view(request):
        return quality_view(request, admin_site)

    return [
        path("prisoners/quality/", admin_site.admin_view(view), name="prisoners_quality"),
        path(
            "prisoners/quality/not-same/",
            admin_site.admin_view(not_same_view),
            name="prisoners_quality_not_same",
        ),
    ]
