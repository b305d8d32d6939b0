"""Group releases and sanctions events."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from .. import rules
from ..choices import SanctionsAction, SanctionsKind
from ..local_names import in_language
from ..partial_dates import PartialDateField, partial_date_constraints
from ..querysets import EventQuerySet
from ..sanctions import SanctionsEventQuerySet
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
from .sanctions import SanctionsTarget


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


# /sanctions/targets/ is the list of targets, never an act's page.
not_targets_validator = RegexValidator(
    r"^targets$", _("“targets” is the address of the list of targets."), inverse_match=True
)


class SanctionsEvent(ChoiceLabels):
    """A legal act of an authority on its targets: a designation, a general
    licence, a delisting, a sectoral measure… announced on ``date``, in
    force from ``effective_on`` (the announcement's first day when not
    given) until ``expires_on`` or, for a designation, a later delisting of
    the same target by the same authority (SanctionsEventQuerySet.in_force_on)."""

    event_id = models.CharField(
        _("event id"),
        max_length=100,
        unique=True,
        validators=[id_validator, event_id_validator, not_targets_validator],
        help_text=_("Stable id, part of the public URL."),
    )
    date = PartialDateField(
        _("date announced"),
        help_text=shown_publicly(_("The day the act was announced or signed. ")),
        db_index=True,
    )
    authority = models.CharField(
        _("authority"), max_length=100, help_text=shown_publicly(_("Who acts: US, EU, UK… "))
    )
    kind = models.CharField(
        _("kind of act"),
        max_length=20,
        choices=SanctionsKind.choices,
        default=SanctionsKind.OTHER,
        help_text=shown_publicly(
            _(
                "The instrument, not the headline: a general licence authorizes dealings "
                "while the designation stays; only a delisting ends it. "
            )
        ),
    )
    action = models.CharField(
        _("action"),
        max_length=10,
        choices=SanctionsAction.choices,
        help_text=shown_publicly(_("How the news described it: imposed, eased, lifted… ")),
    )
    targets = models.ManyToManyField(
        SanctionsTarget,
        blank=True,
        related_name="sanctions_events",
        verbose_name=_("targets"),
        help_text=_(
            "What the act applies to; an act that designates some and delists others "
            "is recorded as two acts."
        ),
    )
    sector = models.CharField(_("sector"), max_length=100, blank=True, help_text=PUBLIC)
    legal_reference = models.CharField(
        _("legal reference"),
        max_length=300,
        blank=True,
        help_text=shown_publicly(
            _(
                "The official reference: EO 14038, OFAC General License 13, Regulation (EU) "
                "2021/1030. "
            )
        ),
    )
    official_url = models.URLField(
        _("official URL"),
        max_length=2000,
        blank=True,
        help_text=shown_publicly(_("The act's text on the authority's own site. ")),
    )
    effective_on = models.DateField(
        _("in effect from"),
        null=True,
        blank=True,
        help_text=shown_publicly(
            _("The day the act takes effect; empty: the day it was announced. ")
        ),
    )
    expires_on = models.DateField(
        _("expires on"),
        null=True,
        blank=True,
        help_text=shown_publicly(
            _(
                "The first day a licence or measure no longer applies (a licence that "
                "expires at 12:01 a.m. on 1 June expires on 1 June; a measure that applies "
                "until 28 February expires on 1 March). Empty: until ended. "
            )
        ),
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

    objects = SanctionsEventQuerySet.as_manager()
    history = _history(m2m_fields=[targets, sources])

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
                condition=~Q(event_id="targets"), name="sanctionsevent_id_not_targets"
            ),
            models.CheckConstraint(
                condition=Q(date_first__isnull=False), name="sanctionsevent_date_required"
            ),
            # rules.expiry_after_effect
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(effective_on__isnull=True)
                | Q(expires_on__gt=F("effective_on")),
                name="sanctionsevent_expiry_after_effect",
            ),
            *partial_date_constraints("sanctionsevent", "date"),
        ]
        indexes = [
            # in_force_on(): the acts of a kind by one authority (the delistings
            # that end a designation).
            models.Index(fields=["authority", "kind"], name="sanctionsevent_authority_kind"),
        ]
        permissions = [("publish_sanctionsevent", "Can publish and unpublish sanctions events")]

    def __str__(self) -> str:
        return self.title_with(self.authority)

    def clean(self) -> None:
        violation = rules.expiry_after_effect(self.expires_on, self.effective_on)
        if violation:
            raise ValidationError({violation.field: violation.error()})

    def target_names(self) -> str:
        """The targets' names in the page's language, "; "-separated (read
        through .all(), so that a prefetch serves a list)."""
        return "; ".join(t.shown_name for t in self.targets.all()) or self.sector

    def title_with(self, authority: str) -> str:
        """The event's title naming the authority as given (the public pages
        give its name in the page's language: "ЕС: агульная ліцэнзія — Belavia")."""
        # One string, so that be/ru can write the whole title their way.
        return pgettext("a sanctions event's title", "%(authority)s %(action)s: %(target)s") % {
            "authority": authority,
            "action": self.get_kind_display(),
            "target": self.target_names() if self.pk else self.sector,
        }

    def get_absolute_url(self) -> str:
        return reverse("sanctions-event-detail", args=[self.event_id])

    @property
    def shown_description(self) -> str:
        return in_language(self, "description")
