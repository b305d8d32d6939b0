"""Group releases and sanctions events."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from ..choices import SanctionsAction
from ..local_names import in_language
from ..partial_dates import PartialDateField, partial_date_constraints
from ..querysets import EventQuerySet
from .base import (
    EVENT_ID_LETTER,
    ID_PATTERN,
    LONG_TEXT,
    PUBLIC,
    ChoiceLabels,
    _history,
    event_id_validator,
    id_validator,
    in_be_ru,
    shown_publicly,
)
from .references import Source


class ReleaseEvent(models.Model):
    """A group release on one day."""

    event_id = models.CharField(
        _("event id"),
        max_length=100,
        unique=True,
        validators=[id_validator, event_id_validator],
        help_text=_("Stable id, part of the public URL, e.g. 2025-12-13-release."),
    )
    date = PartialDateField(_("date"), help_text=PUBLIC, db_index=True)
    title = models.CharField(_("title"), max_length=300, help_text=PUBLIC)
    title_be, title_ru = in_be_ru(
        models.CharField, _("title in Belarusian"), _("title in Russian"), max_length=300
    )
    announced_count = models.IntegerField(
        _("announced count"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=shown_publicly(_("How many people the announcement said were freed. ")),
    )
    negotiator = models.CharField(_("negotiator"), max_length=300, blank=True, help_text=PUBLIC)
    sanctions = models.ManyToManyField(
        "SanctionsEvent",
        blank=True,
        related_name="release_events",
        verbose_name=_("linked sanctions events"),
    )
    description = models.TextField(
        _("description"), blank=True, max_length=LONG_TEXT, help_text=PUBLIC
    )
    description_be, description_ru = in_be_ru(
        models.TextField,
        _("description in Belarusian"),
        _("description in Russian"),
        max_length=LONG_TEXT,
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="release_events", verbose_name=_("sources")
    )
    published = models.BooleanField(_("published"), default=False)

    objects = EventQuerySet.as_manager()
    history = _history(m2m_fields=[sanctions, sources])

    class Meta:
        ordering = ["-date_first", "event_id"]
        verbose_name = _("release event")
        verbose_name_plural = _("release events")
        constraints = [
            models.CheckConstraint(
                condition=Q(event_id__regex=ID_PATTERN) & Q(event_id__regex=EVENT_ID_LETTER),
                name="releaseevent_id_format",
            ),
            models.CheckConstraint(
                condition=Q(date_first__isnull=False), name="releaseevent_date_required"
            ),
            models.CheckConstraint(
                condition=Q(announced_count__isnull=True) | Q(announced_count__gte=0),
                name="releaseevent_announced_count_not_negative",
            ),
            *partial_date_constraints("releaseevent", "date"),
        ]
        permissions = [("publish_releaseevent", "Can publish and unpublish release events")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("release-event-detail", args=[self.event_id])

    @property
    def shown_title(self) -> str:
        return in_language(self, "title")

    @property
    def shown_description(self) -> str:
        return in_language(self, "description")


class SanctionsEvent(ChoiceLabels):
    """An authority imposes, eases or lifts sanctions on a target."""

    event_id = models.CharField(
        _("event id"),
        max_length=100,
        unique=True,
        validators=[id_validator, event_id_validator],
        help_text=_("Stable id, part of the public URL."),
    )
    date = PartialDateField(_("date"), help_text=PUBLIC, db_index=True)
    authority = models.CharField(
        _("authority"), max_length=100, help_text=shown_publicly(_("Who acts: US, EU, UK… "))
    )
    action = models.CharField(_("action"), max_length=10, choices=SanctionsAction.choices)
    target = models.CharField(_("target"), max_length=500, help_text=PUBLIC)
    sector = models.CharField(_("sector"), max_length=100, blank=True, help_text=PUBLIC)
    legal_reference = models.CharField(
        _("legal reference"), max_length=300, blank=True, help_text=PUBLIC
    )
    description = models.TextField(
        _("description"), blank=True, max_length=LONG_TEXT, help_text=PUBLIC
    )
    description_be, description_ru = in_be_ru(
        models.TextField,
        _("description in Belarusian"),
        _("description in Russian"),
        max_length=LONG_TEXT,
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="sanctions_events", verbose_name=_("sources")
    )
    published = models.BooleanField(_("published"), default=False)

    objects = EventQuerySet.as_manager()
    history = _history(m2m_fields=[sources])

    class Meta:
        ordering = ["-date_first", "event_id"]
        verbose_name = _("sanctions event")
        verbose_name_plural = _("sanctions events")
        constraints = [
            models.CheckConstraint(
                condition=Q(event_id__regex=ID_PATTERN) & Q(event_id__regex=EVENT_ID_LETTER),
                name="sanctionsevent_id_format",
            ),
            models.CheckConstraint(
                condition=Q(date_first__isnull=False), name="sanctionsevent_date_required"
            ),
            *partial_date_constraints("sanctionsevent", "date"),
        ]
        permissions = [("publish_sanctionsevent", "Can publish and unpublish sanctions events")]

    def __str__(self) -> str:
        return self.title_with(self.authority)

    def title_with(self, authority: str) -> str:
        """The event's title naming the authority as given (the public pages
        give its name in the page's language: "ЕС: змякчэнне — Belavia")."""
        # One string, so that be/ru can write the whole title their way.
        return pgettext("a sanctions event's title", "%(authority)s %(action)s: %(target)s") % {
            "authority": authority,
            "action": self.get_action_display(),
            "target": self.target,
        }

    def get_absolute_url(self) -> str:
        return reverse("sanctions-event-detail", args=[self.event_id])

    @property
    def shown_description(self) -> str:
        return in_language(self, "description")
