"""How a detention's sentence changed after the first verdict."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import rules
from ..choices import SentenceChangeKind, SentenceType
from ..partial_dates import PartialDateField, partial_date_constraints
from .base import PUBLIC, ChoiceLabels, _history, shown_publicly
from .people import Detention
from .references import Source


class SentenceChange(ChoiceLabels):
    """A later change to a detention's sentence: an appeal, an additional
    sentence while inside (Belarus's Article 411), a commutation, a shorter
    term. Its term is the whole term from then on, counted from the arrest;
    the latest change's is the term in force (terms.current_term). Saving it
    writes the detention's derived columns (Detention.sync_term)."""

    detention = models.ForeignKey(
        Detention,
        on_delete=models.CASCADE,
        related_name="sentence_changes",
        verbose_name=_("detention"),
    )
    changed_on = PartialDateField(_("changed on"), help_text=PUBLIC)
    kind = models.CharField(
        _("kind of change"), max_length=15, choices=SentenceChangeKind.choices, help_text=PUBLIC
    )
    sentence_type = models.CharField(
        _("sentence type"),
        max_length=25,
        choices=SentenceType.choices,
        blank=True,
        help_text=shown_publicly(_("The sentence after the change. ")),
    )
    sentence_months = models.IntegerField(
        _("sentence in months"),
        null=True,
        blank=True,
        help_text=shown_publicly(
            _("The whole term after the change, in months, counted from the arrest. ")
        ),
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="sentence_changes", verbose_name=_("sources")
    )

    history = _history(m2m_fields=[sources])

    class Meta:
        ordering = ["changed_on_first", "id"]
        verbose_name = _("sentence change")
        verbose_name_plural = _("sentence changes")
        indexes = [
            # A detention's changes in date order (the person page's prefetch,
            # derive_term, the export): by detention, then date.
            models.Index(
                fields=["detention", "changed_on_first"], name="sentence_change_detention"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(changed_on_first__isnull=False), name="sentence_change_date_required"
            ),
            models.CheckConstraint(
                condition=Q(sentence_months__isnull=True) | Q(sentence_months__gte=0),
                name="sentence_change_not_negative",
            ),
            *partial_date_constraints("sentence_change", "changed_on"),
        ]

    def __str__(self) -> str:
        return f"{self.detention} {self.changed_on} ({self.get_kind_display()})"

    def clean(self) -> None:
        errors = {}
        if not self.changed_on:
            errors["changed_on"] = [_("A change of sentence needs a date.")]
        if self.sentence_months is not None and self.sentence_months < 0:
            errors["sentence_months"] = [_("A sentence cannot be negative.")]
        violations = []
        if self.detention_id is not None:
            violations = [
                rules.sentence_change_not_before_arrest(
                    self.changed_on, self.detention.detained_on
                ),
                rules.sentence_change_not_before_sentence(
                    self.changed_on, self.detention.sentenced_on
                ),
            ]
        for violation in violations:
            if violation is not None:
                errors.setdefault(violation.field, []).append(violation.error())
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            self.detention.sync_term()

    def delete(self, *args, **kwargs):
        detention = self.detention
        with transaction.atomic(savepoint=False):
            result = super().delete(*args, **kwargs)
            detention.sync_term()
        return result
