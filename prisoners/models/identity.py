"""One person, one record: the other ids a person or detention is known by
(another organization's list, or a record merged into this one), and the
pairs of people a curator said are not the same."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .base import ID_PATTERN, _history, id_validator
from .people import Detention, Person


class OtherId(models.Model):
    """Another id of a person: from another list (an import's ``same_as``) or
    of a person merged into this one. It answers with a redirect to the
    person's page, and an import naming it updates the person."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="other_ids", verbose_name=_("person")
    )
    other_id = models.CharField(
        _("other id"),
        max_length=100,
        unique=True,
        validators=[id_validator],
        help_text=_("An id this person had in another list or before a merge."),
    )

    history = _history()

    class Meta:
        ordering = ["other_id"]
        verbose_name = _("other id")
        verbose_name_plural = _("other ids")
        constraints = [
            models.CheckConstraint(condition=Q(other_id__regex=ID_PATTERN), name="otherid_format")
        ]

    def __str__(self) -> str:
        return self.other_id


class OtherDetentionId(models.Model):
    """Another id of a detention (from another list, or a merged record)."""

    detention = models.ForeignKey(
        Detention,
        on_delete=models.CASCADE,
        related_name="other_ids",
        verbose_name=_("detention"),
    )
    other_id = models.CharField(
        _("other id"), max_length=150, unique=True, validators=[id_validator]
    )

    history = _history()

    class Meta:
        ordering = ["other_id"]
        verbose_name = _("other detention id")
        verbose_name_plural = _("other detention ids")
        constraints = [
            models.CheckConstraint(
                condition=Q(other_id__regex=ID_PATTERN), name="otherdetentionid_format"
            )
        ]

    def __str__(self) -> str:
        return self.other_id


class NotSameAs(models.Model):
    """Two people whose names and births match but who are different people,
    as a curator said: no import, form or data-quality page asks again.
    Stored once a pair, the lower primary key first (``NotSameAs.pair``)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    history = _history()

    class Meta:
        verbose_name = _("not the same person")
        verbose_name_plural = _("not the same people")
        constraints = [
            models.UniqueConstraint(fields=["person", "other"], name="notsameas_once"),
            models.CheckConstraint(condition=Q(person__lt=F("other")), name="notsameas_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ≠ {self.other}"

    @classmethod
    def pair(cls, a: Person | int, b: Person | int) -> dict:
        """The field values of the pair (a, b) as stored: lower pk first."""
        a_pk, b_pk = (getattr(a, "pk", a), getattr(b, "pk", b))
        low, high = sorted((a_pk, b_pk))
        return {"person_id": low, "other_id": high}

    @classmethod
    def record(cls, a: Person | int, b: Person | int) -> NotSameAs:
        return cls.objects.get_or_create(**cls.pair(a, b))[0]
