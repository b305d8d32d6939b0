"""Merging two people in the admin (editors only): the action on the person
list, the page that shows both side by side with a choice per field where
they differ, and the list of merges with their undo. The work is done by
prisoners/merging.py."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import merging
from ..models import MergeRecord, NotSameAs, Person


@admin.action(description=gettext_lazy("Merge two people…"), permissions=["publish"])
def merge_people(modeladmin, request, queryset):
    """Go to the merge page of the two people selected."""
    pks = sorted(queryset.values_list("pk", flat=True)[:3])
    if len(pks) != 2:
        modeladmin.message_user(request, _("Select exactly two people to merge."), messages.ERROR)
        return None
    return HttpResponseRedirect(reverse("admin:prisoners_person_merge", args=pks))


def _display(person: Person, name: str) -> str:
    value = getattr(person, name)
    if value in (None, ""):
        return "—"
    if hasattr(value, "display"):
        return value.display()
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    field = Person._meta.get_field(name)
    if field.choices:
        return str(getattr(person, f"get_{name}_display")())
    return str(value)


def _label(name: str) -> str:
    partial = Person._partial_dates.get(name)
    label = partial.verbose_name if partial else Person._meta.get_field(name).verbose_name
    return str(label)[:1].upper() + str(label)[1:]


class MergeForm(forms.Form):
    """Which record to keep, and for each field where the two differ, whose
    value: each choice is the primary key of one of the two people."""

    def __init__(self, a: Person, b: Person, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.a, self.b = a, b
        keep, absorb = merging.default_kept(a, b)
        pair = [(a.pk, a.person_id), (b.pk, b.person_id)]
        self.fields["keep"] = forms.TypedChoiceField(
            label=_("Keep the record of"),
            choices=pair,
            coerce=int,
            initial=keep.pk,
            widget=forms.RadioSelect,
            help_text=_("Its id stays; the other id becomes another id of it and redirects to it."),
        )
        self.differing = merging.differing_fields(a, b)
        taken = merging.default_taken(keep, absorb)
        for name in self.differing:
            self.fields[name] = forms.TypedChoiceField(
                label=_label(name),
                choices=[(a.pk, _display(a, name)), (b.pk, _display(b, name))],
                coerce=int,
                initial=absorb.pk if name in taken else keep.pk,
                widget=forms.RadioSelect,
            )

    def people(self) -> tuple[Person, Person, list[str]]:
        """(keep, absorb, the fields taken from absorb) as chosen."""
        keep_pk = self.cleaned_data["keep"]
        keep, absorb = (self.a, self.b) if keep_pk == self.a.pk else (self.b, self.a)
        taken = [name for name in self.differing if self.cleaned_data[name] == absorb.pk]
        return keep, absorb, taken

    def rows(self) -> list[dict]:
        """One row a merged field: its label, both values, and the two
        radio buttons where the values differ."""
        rows = []
        for name in merging.MERGED_FIELDS:
            radios = list(self[name].subwidgets) if name in self.fields else None
            rows.append(
                {
                    "label": _label(name),
                    "a": _display(self.a, name),
                    "b": _display(self.b, name),
                    "radios": radios,
                }
            )
        return rows


def _summary(person: Person) -> dict:
    return {
        "person": person,
        "detentions": person.detentions.select_related("release").order_by("detained_on_first"),
        "sources": person.sources.all(),
        "organizations": person.organizations.all(),
        "other_ids": person.other_ids.all(),
    }


class MergeMixin:
    """The merge page and the list of merges, on the person admin."""

    def get_urls(self):
        return [
            path(
                "merge/<int:a>/<int:b>/",
                self.admin_site.admin_view(self.merge_view),
                name="prisoners_person_merge",
            ),
            path(
                "merges/",
                self.admin_site.admin_view(self.merges_view),
                name="prisoners_person_merges",
            ),
            path(
                "merges/<int:record_id>/undo/",
                self.admin_site.admin_view(self.undo_merge_view),
                name="prisoners_person_merge_undo",
            ),
            *super().get_urls(),
        ]

    def _check_merge_permission(self, request) -> None:
        if not self.has_publish_permission(request):
            raise PermissionDenied

    def merge_view(self, request, a: int, b: int):
        self._check_merge_permission(request)
        first = get_object_or_404(Person, pk=a)
        second = get_object_or_404(Person, pk=b)
        form = MergeForm(first, second, request.POST if request.method == "POST" else None)
        refused = []
        if form.is_valid():
            keep, absorb, taken = form.people()
            try:
                record = merging.merge(keep, absorb, taken, request.user)
            except merging.MergeRefused as error:
                refused = error.messages
            else:
                self.message_user(
                    request,
                    format_html(
                        _(
                            "Merged {absorbed} into {kept}: {absorbed} now redirects here. "
                            '<a href="{undo}">Undo it from the list of merges</a>.'
                        ),
                        absorbed=record.absorbed_person_id,
                        kept=keep.person_id,
                        undo=reverse("admin:prisoners_person_merges"),
                    ),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:prisoners_person_change", args=[keep.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge two people"),
            "opts": self.model._meta,
            "form": form,
            "rows": form.rows(),
            "a": _summary(first),
            "b": _summary(second),
            "refused": refused,
            "said_different": NotSameAs.objects.filter(**NotSameAs.pair(first, second)).exists(),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/prisoners/person/merge.html", context)

    def merges_view(self, request):
        self._check_merge_permission(request)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merges"),
            "opts": self.model._meta,
            "records": MergeRecord.objects.select_related("kept", "merged_by", "undone_by")[:500],
        }
        return TemplateResponse(request, "admin/prisoners/person/merges.html", context)

    def undo_merge_view(self, request, record_id: int):
        self._check_merge_permission(request)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:prisoners_person_merges"))
        record = get_object_or_404(MergeRecord, pk=record_id)
        try:
            person, changed_since = merging.undo(record, request.user)
        except merging.MergeRefused as error:
            self.message_user(request, "; ".join(str(m) for m in error.messages), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:prisoners_person_merges"))
        message = _("Undone: %(id)s is a record of its own again.") % {"id": person.person_id}
        if changed_since:
            message += " " + _(
                "Fields of the kept person changed since the merge were left as they are: "
                "%(fields)s."
            ) % {"fields": ", ".join(_label(name) for name in changed_since)}
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:prisoners_person_change", args=[person.pk]))
