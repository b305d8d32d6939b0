"""Change-list actions: publishing (editors only) and recording a group
release for the selected people."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .. import rules
from ..models import Detention, Person, Release, ReleaseEvent, ReleaseType, Visibility


def refused_by_source_rule(people: list[Person], visibility: Visibility) -> list[Person]:
    """Those of ``people`` the source rule refuses ``visibility`` to."""
    if rules.source_to_publish(visibility, has_source=False) is None:
        return []
    with_source = set(
        Person.objects.filter(pk__in=[p.pk for p in people])
        .with_source()
        .values_list("pk", flat=True)
    )
    return [p for p in people if rules.source_to_publish(visibility, p.pk in with_source)]


def _set_visibility(modeladmin, request, queryset, visibility: Visibility, done: str) -> None:
    people = list(queryset)
    missing = refused_by_source_rule(people, visibility)
    if missing:
        modeladmin.message_user(
            request,
            _(
                "Nobody was published: %(people)s have no source (their own or a "
                "detention's). Add one first."
            )
            % {"people": ", ".join(f"{p.name} ({p.person_id})" for p in missing)},
            messages.ERROR,
        )
        return
    changed = 0
    with transaction.atomic():
        for person in people:
            if person.visibility != visibility:
                # One save each, so that the history names who did it.
                person.visibility = visibility
                person._history_user = request.user
                person.save()
                changed += 1
    modeladmin.message_user(request, done % {"count": changed}, messages.SUCCESS)


@admin.action(description=_("Publish"), permissions=["publish"])
def publish_people(modeladmin, request, queryset):
    _set_visibility(
        modeladmin, request, queryset, Visibility.PUBLISHED, _("%(count)d people published.")
    )


@admin.action(description=_("Unpublish (back to draft)"), permissions=["publish"])
def unpublish_people(modeladmin, request, queryset):
    _set_visibility(
        modeladmin, request, queryset, Visibility.DRAFT, _("%(count)d people back to draft.")
    )


@admin.action(description=_("Make anonymous"), permissions=["publish"])
def anonymize_people(modeladmin, request, queryset):
    _set_visibility(
        modeladmin, request, queryset, Visibility.ANONYMOUS, _("%(count)d people made anonymous.")
    )


def _set_published(modeladmin, request, queryset, published: bool) -> None:
    changed = 0
    with transaction.atomic():
        for event in queryset:
            if event.published != published:
                event.published = published
                event._history_user = request.user
                event.save()
                changed += 1
    message = _("%(count)d events published.") if published else _("%(count)d events unpublished.")
    modeladmin.message_user(request, message % {"count": changed}, messages.SUCCESS)


@admin.action(description=_("Publish"), permissions=["publish"])
def publish_events(modeladmin, request, queryset):
    _set_published(modeladmin, request, queryset, True)


@admin.action(description=_("Unpublish (back to draft)"), permissions=["publish"])
def unpublish_events(modeladmin, request, queryset):
    _set_published(modeladmin, request, queryset, False)


class RecordReleaseForm(forms.Form):
    release_event = forms.ModelChoiceField(
        label=_("Release event"),
        queryset=ReleaseEvent.objects.order_by("-date_first", "event_id"),
        help_text=_("Each release takes the event's date. Shown publicly once published."),
    )
    release_type = forms.ChoiceField(
        label=_("Release type"),
        choices=ReleaseType.choices,
        initial=ReleaseType.PARDON,
        help_text=_("Shown publicly once published."),
    )
    released_to = forms.CharField(
        label=_("Released to"),
        required=False,
        max_length=100,
        help_text=_("Country they went to, if all went to the same one. Shown publicly."),
    )


@admin.action(description=_("Record release in event…"), permissions=["add_release"])
def record_release(modeladmin, request, queryset):
    """Close each selected person's open detention with the event's date.

    All or nothing: if anyone has no open detention, or the release would be
    before their arrest, nothing is written and they are named."""
    people = list(queryset.order_by("name", "person_id"))
    form = RecordReleaseForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        event = form.cleaned_data["release_event"]
        open_detentions = {
            d.person_id: d for d in Detention.objects.ongoing().filter(person__in=people)
        }
        without = [p for p in people if p.pk not in open_detentions]
        too_early = [
            p
            for p in people
            if p.pk in open_detentions
            and rules.release_not_before_arrest(event.date, open_detentions[p.pk].detained_on)
        ]
        if without or too_early:
            problems = []
            if without:
                problems.append(
                    _("no open detention: %(people)s")
                    % {"people": ", ".join(f"{p.name} ({p.person_id})" for p in without)}
                )
            if too_early:
                problems.append(
                    _("arrested after the event's date: %(people)s")
                    % {"people": ", ".join(f"{p.name} ({p.person_id})" for p in too_early)}
                )
            modeladmin.message_user(
                request,
                _("No release was recorded (all or nothing). Refused: %(problems)s.")
                % {"problems": "; ".join(str(p) for p in problems)},
                messages.ERROR,
            )
            return None
        with transaction.atomic():
            for person in people:
                release = Release(
                    detention=open_detentions[person.pk],
                    released_on=event.date,
                    release_type=form.cleaned_data["release_type"],
                    release_event=event,
                    released_to=form.cleaned_data["released_to"],
                )
                release._history_user = request.user
                release.save()
        modeladmin.message_user(
            request,
            _("Recorded the release of %(count)d people in “%(event)s”.")
            % {"count": len(people), "event": event},
            messages.SUCCESS,
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Record release in event"),
        "opts": modeladmin.model._meta,
        "people": people,
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action": "record_release",
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, "admin/prisoners/person/record_release.html", context)
