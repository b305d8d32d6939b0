"""The record of a merge of two people: enough to undo it exactly."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from .people import Person


class MergeRecord(models.Model):
    """Two people merged into one (prisoners/merging.py): the absorbed
    person's values and links, what moved to the kept person, and the kept
    person's values that the merge overwrote, so that undo() puts both back.
    Kept after an undo, with who undid it and when."""

    kept = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        related_name="merges",
        verbose_name=_("kept person"),
    )
    absorbed_person_id = models.CharField(_("absorbed person id"), max_length=100)
    absorbed_name = models.CharField(_("absorbed name"), max_length=300)
    # {"fields": {column: value}, "sources": [pk], "organizations": [pk]}
    absorbed = models.JSONField(encoder=DjangoJSONEncoder)
    # The kept person's columns the merge overwrote: before and after.
    kept_before = models.JSONField(encoder=DjangoJSONEncoder, default=dict)
    kept_after = models.JSONField(encoder=DjangoJSONEncoder, default=dict)
    # {"detentions": [pk], "other_ids": [pk], "sources": [pk added],
    #  "organizations": [pk added], "not_same_as": [[pk, pk]] (the absorbed
    #  person's pairs), "not_same_as_added": [pk]}
    moved = models.JSONField(encoder=DjangoJSONEncoder, default=dict)
    # The fields whose value came from the absorbed person.
    taken = models.JSONField(default=list)
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        ordering = ["-merged_at", "-pk"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self) -> str:
        kept = self.kept.person_id if self.kept else "?"
        return f"{self.absorbed_person_id} → {kept}"
