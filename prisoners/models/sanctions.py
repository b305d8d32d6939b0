"""Sanctions targets: the companies, people, sectors, aircraft and vessels
that sanctions acts (SanctionsEvent) designate, license or delist."""

from __future__ import annotations

from urllib.parse import quote

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..choices import TargetKind
from ..local_names import in_language
from ..sanctions import SanctionsTargetQuerySet
from ..search import search_text
from .base import ID_PATTERN, PUBLIC, ChoiceLabels, _history, id_validator, shown_publicly
from .references import Source, _names_in_be_ru

# Where each list's entry is read (a target's ids link there). The EU
# publishes no page per entry: its reference number is searched on
# OpenSanctions, which mirrors the EU's list.
OFAC_ENTRY = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={}"
EU_ENTRY = "https://www.opensanctions.org/search/?q={}"
OPENSANCTIONS_ENTRY = "https://www.opensanctions.org/entities/{}/"


class SanctionsTarget(ChoiceLabels):
    """A company, person, sector, aircraft or vessel named by sanctions acts."""

    target_id = models.CharField(
        _("target id"),
        max_length=100,
        unique=True,
        validators=[id_validator],
        help_text=_("Stable id made from the name, part of the public URL, e.g. belavia."),
    )
    name = models.CharField(
        pgettext_lazy("of an organization or a place", "name"),
        max_length=200,
        unique=True,
        help_text=shown_publicly(_("The name the official lists use, in Latin script. ")),
    )
    name_be, name_ru = _names_in_be_ru(200)
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=shown_publicly(_("Other names and spellings, separated by ';'. ")),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TargetKind.choices)
    country = models.CharField(_("country"), max_length=100, blank=True, help_text=PUBLIC)
    ofac_id = models.CharField(
        _("OFAC SDN entry"),
        max_length=50,
        blank=True,
        help_text=shown_publicly(_("The entry's number on OFAC's SDN list, e.g. 12345. ")),
    )
    eu_id = models.CharField(
        _("EU list entry"),
        max_length=50,
        blank=True,
        help_text=shown_publicly(_("The EU reference number, e.g. EU.1234.56. ")),
    )
    opensanctions_id = models.CharField(
        _("OpenSanctions id"),
        max_length=100,
        blank=True,
        help_text=shown_publicly(_("The id of the OpenSanctions entity, e.g. NK-abc123. ")),
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="sanctions_targets", verbose_name=_("sources")
    )
    # Every name, normalized (search.py), written on save: found by any of
    # them, in any script, on SQLite too (whose LIKE ignores the case of
    # Latin letters only).
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = SanctionsTargetQuerySet.as_manager()
    history = _history(m2m_fields=[sources])

    class Meta:
        ordering = ["name"]
        verbose_name = _("sanctions target")
        verbose_name_plural = _("sanctions targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_id__regex=ID_PATTERN), name="sanctionstarget_id_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sanctions-target-detail", args=[self.target_id])

    @property
    def shown_name(self) -> str:
        return in_language(self, "name")

    @property
    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.split(";") if a.strip()]

    def save(self, *args, **kwargs):
        self.aliases = "; ".join(self.alias_list)
        self.search_text = search_text(
            self.target_id, self.name, self.name_be, self.name_ru, *self.alias_list
        )
        super().save(*args, **kwargs)

    @property
    def list_links(self) -> list[tuple[str, str, str]]:
        """``(list, id, URL)`` of each official list the target is on."""
        links = [
            ("OFAC SDN", self.ofac_id, OFAC_ENTRY),
            ("EU", self.eu_id, EU_ENTRY),
            ("OpenSanctions", self.opensanctions_id, OPENSANCTIONS_ENTRY),
        ]
        return [(name, i, url.format(quote(i, safe=""))) for name, i, url in links if i]
