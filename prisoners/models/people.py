"""A person, their detentions and how each ended in release."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import rules, terms
from ..choices import (
    EndReason,
    Gender,
    Letters,
    SentenceType,
    Status,
    Visibility,
)
from ..local_names import in_language
from ..partial_dates import PartialDate, PartialDateField, partial_date_constraints
from ..querysets import DetentionQuerySet, PersonQuerySet
from ..search import search_text
from .base import (
    ID_PATTERN,
    LONG_TEXT,
    PRIVATE,
    PUBLIC,
    ChoiceLabels,
    _dated_history,
    _order,
    id_validator,
    in_be_ru,
    shown_publicly,
)
from .references import Charge, Facility, Organization, Source

# Derived on the person from their detentions (refresh_status), never typed:
# no history of their own, as status.
DERIVED_PERSON_FIELDS = [
    "expected_release_first",
    "expected_release_last",
    "expected_release_precision",
    "custody_days",
    "custody_since",
]
# Derived on a detention from its dates and sentence changes (derive_term).
DERIVED_DETENTION_FIELDS = [
    "expected_release_first",
    "expected_release_last",
    "expected_release_precision",
    "custody_days",
    "first_change_on_first",
    "first_change_on_last",
    "first_change_on_precision",
]


def _raise_violations(*violations: rules.Violation | None, errors: dict | None = None) -> None:
    """Raise the rules refused (and ``errors``), each on its field with its code."""
    errors = errors or {}
    for violation in violations:
        if violation is not None:
            errors.setdefault(violation.field, []).append(violation.error())
    if errors:
        raise ValidationError(errors)


def _on_field(field: str, violation: rules.Violation | None) -> rules.Violation | None:
    """``violation`` said on ``field`` of the form (a rule of a sentence change,
    refused when the detention's own date moves past it)."""
    if violation is None:
        return None
    return rules.Violation(field, violation.code, violation.message, violation.params)


class Person(ChoiceLabels):
    person_id = models.CharField(
        _("person id"),
        max_length=100,
        unique=True,
        validators=[id_validator],
        help_text=_("Stable id, part of the public URL, e.g. viasna-1234."),
    )
    name = models.CharField(
        pgettext_lazy("of a person", "name"),
        max_length=300,
        help_text=shown_publicly(_("Name as shown in English: Latin script where one exists. ")),
    )
    name_be = models.CharField(
        _("name in Belarusian"), max_length=300, blank=True, help_text=PUBLIC
    )
    name_ru = models.CharField(_("name in Russian"), max_length=300, blank=True, help_text=PUBLIC)
    aliases = models.TextField(
        _("aliases"), blank=True, help_text=shown_publicly(_("Other spellings, separated by ';'. "))
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    born = PartialDateField(_("born"), help_text=PUBLIC)
    died_on = PartialDateField(
        _("died on"), help_text=shown_publicly(_("Closes an open detention (death in custody). "))
    )
    region = models.CharField(_("region"), max_length=100, blank=True, help_text=PUBLIC)
    occupation = models.CharField(_("occupation"), max_length=200, blank=True, help_text=PUBLIC)
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="people", verbose_name=_("organizations")
    )
    recognized_on = PartialDateField(
        _("recognized on"),
        help_text=shown_publicly(_("Recognized as a political prisoner; empty: not recognized. ")),
    )
    recognition_withdrawn_on = PartialDateField(_("recognition withdrawn on"), help_text=PUBLIC)
    bio = models.TextField(_("bio"), blank=True, max_length=LONG_TEXT, help_text=PUBLIC)
    bio_be, bio_ru = in_be_ru(
        models.TextField, _("bio in Belarusian"), _("bio in Russian"), max_length=LONG_TEXT
    )
    internal_notes = models.TextField(
        _("internal notes"), blank=True, max_length=LONG_TEXT, help_text=PRIVATE
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.DRAFT,
        help_text=_(
            "Draft: shown nowhere. Anonymous: counted in totals and charts, never named. "
            "Published: shown publicly (needs at least one source)."
        ),
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="people", verbose_name=_("sources")
    )
    letters = models.CharField(
        _("can receive letters"),
        max_length=10,
        choices=Letters.choices,
        default=Letters.UNKNOWN,
        help_text=shown_publicly(
            _(
                "Whether letters reach the person where they are held now. With yes, the "
                "person's page shows where to write while they are held in a facility "
                "with a postal address. "
            )
        ),
    )
    letters_checked_on = models.DateField(
        _("letters checked on"),
        null=True,
        blank=True,
        help_text=shown_publicly(_("The day a curator last confirmed whether letters reach. ")),
    )
    letters_addressee = models.CharField(
        _("addressee on the envelope"),
        max_length=300,
        blank=True,
        help_text=shown_publicly(
            _(
                "The person's name as the facility wants it on letters, e.g. "
                '"Колесникова Мария Александровна, 1982 г. р.". Leave empty to write the '
                "name in Russian (or as recorded) and the year of birth. "
            )
        ),
    )
    letters_withheld = models.BooleanField(
        _("withhold where to write"),
        default=False,
        help_text=_(
            "Tick to show no address and no letters section for this person, e.g. when "
            "letters could harm them or the family asked. Private: the public never sees "
            "that it is withheld."
        ),
    )
    # Derived on save, never typed: see refresh_status() and search.py.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UNKNOWN, editable=False
    )
    search_text = models.TextField(editable=False, blank=True)
    # The birthday as month * 100 + day (1205 for 5 December) when the birth
    # date is known to the day, else NULL: /birthdays/ asks for a month's
    # range of it from the index person_birthday instead of reading every
    # person's date. Derived on save (derive_columns()), never typed.
    birthday = models.PositiveSmallIntegerField(null=True, editable=False)
    # The last change the public could see in this person's entry (their
    # record, detentions, releases, sources): the feed's updated time and
    # order. Written by data_version.py on every write, never typed.
    public_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    # What the list sorts and filters on, derived from the detentions by
    # PersonQuerySet.refresh_status() (derive_status() for a new person
    # inserted with their detentions, checked against it by a test): the
    # open detention's expected release; the days of the ended detentions
    # (first possible days, as filters count) and the first possible day of
    # the open one's arrest, from which the days held now count. No index
    # serves the sort by days in custody: its key moves with today, so
    # PostgreSQL ranks the published people in one top-N sort of these two
    # columns, without reading a detention (docs/performance.md).
    expected_release = PartialDateField(_("expected release"), editable=False)
    custody_days = models.IntegerField(
        _("days in custody (ended detentions)"), default=0, editable=False
    )
    custody_since = models.DateField(_("in custody since"), null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()
    history = _dated_history(
        "visibility",
        excluded_fields=[
            "status",
            "search_text",
            "public_changed_at",
            "birthday",
            *DERIVED_PERSON_FIELDS,
        ],
        m2m_fields=[organizations, sources],
    )

    class Meta:
        ordering = ["name", "person_id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            # The published list in its default order (/prisoners/, /api/prisoners/):
            # WHERE visibility = 'published' ORDER BY name, person_id LIMIT 50 reads
            # the page from the index instead of sorting every published person.
            models.Index(fields=["visibility", "name", "person_id"], name="person_published_name"),
            # COUNT(*) of the published list and the status and region facets
            # (PersonFilter.facets: id IN (published ids) GROUP BY status / region),
            # and the status + region filters: index-only scans, not the wide table.
            models.Index(
                fields=["visibility", "status", "region", "id"], name="person_visibility_facets"
            ),
            # The home page's count of recognized political prisoners
            # (Person.objects.counted().recognized().count()): an index-only scan.
            models.Index(
                fields=["visibility", "recognition_withdrawn_on_first", "recognized_on_first"],
                name="person_counted_recognized",
            ),
            # The feed of the whole list, most recently changed first:
            # WHERE visibility = 'published' ORDER BY public_changed_at DESC
            # LIMIT 50 reads the newest entries from the index.
            models.Index(
                fields=["visibility", "-public_changed_at", "person_id"],
                name="person_public_changed",
            ),
            # Who is due out in a period: the list's expected_release_after /
            # expected_release_before (WHERE visibility = 'published' AND
            # expected_release_first BETWEEN …) reads the range from the index.
            models.Index(
                fields=["visibility", "expected_release_first"], name="person_expected_release"
            ),
            # /birthdays/: WHERE visibility = 'published' AND birthday BETWEEN
            # 1201 AND 1231, read from the index and in day order.
            models.Index(fields=["visibility", "birthday"], name="person_birthday"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person_id__regex=ID_PATTERN), name="person_id_format"
            ),
            models.CheckConstraint(
                condition=_order("died_on", "born"), name="person_death_not_before_birth"
            ),
            models.CheckConstraint(
                condition=Q(recognition_withdrawn_on_first__isnull=True)
                | (
                    Q(recognized_on_first__isnull=False)
                    & Q(recognition_withdrawn_on_last__gte=F("recognized_on_first"))
                ),
                name="person_withdrawal_not_before_recognition",
            ),
            models.CheckConstraint(
                condition=Q(letters__in=Letters.values), name="person_letters_known_value"
            ),
            *partial_date_constraints(
                "person",
                "born",
                "died_on",
                "recognized_on",
                "recognition_withdrawn_on",
                "expected_release",
            ),
        ]
        permissions = [("publish_person", "Can publish, unpublish and anonymize people")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("person-detail", args=[self.person_id])

    @property
    def shown_bio(self) -> str:
        return in_language(self, "bio")

    @property
    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.split(";") if a.strip()]

    def clean(self) -> None:
        detentions = self.detentions.all() if self.died_on and self.pk else []
        _raise_violations(
            rules.death_not_before_birth(self.died_on, self.born),
            rules.withdrawal_not_before_recognition(
                self.recognition_withdrawn_on, self.recognized_on
            ),
            *(
                rules.death_not_before_arrest(self.died_on, d.detained_on, d.detention_id)
                for d in detentions
            ),
        )

    def derive_columns(self) -> None:
        """Write the aliases in their stored form, the search text and the
        birthday: what save() derives, for writers that bulk_create."""
        self.aliases = "; ".join(self.alias_list)
        self.search_text = search_text(self.name, self.name_be, self.name_ru, *self.alias_list)
        self.birthday = rules.birthday(self.born)

    def save(self, *args, **kwargs) -> None:
        self.derive_columns()
        adding = self._state.adding
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            # A death closes an open detention; a removed death reopens it.
            # A person being added has no detention yet.
            detentions = [] if adding else self.detentions.exclude(end_reason=EndReason.RELEASE)
            for detention in detentions:
                detention.person = self
                detention.sync_end()
            self.refresh_status()

    def derive_status(self, detentions: list[Detention]) -> None:
        """Set the status and what the list sorts by from ``detentions`` (all
        of this person's, their end and term derived): what refresh_status()
        would write, for writers that insert a new person with their
        detentions (one write of the row, not an insert and an update)."""
        self.status = rules.status(
            self.died_on_first is not None, [d.end_reason for d in detentions]
        )
        open_one = next((d for d in detentions if d.end_reason == EndReason.OPEN), None)
        self.expected_release = open_one.expected_release if open_one else None
        self.custody_since = open_one.detained_on_first if open_one else None
        self.custody_days = sum(d.custody_days for d in detentions if d.custody_days is not None)

    def refresh_status(self) -> None:
        """Re-derive the stored status (see PersonQuerySet.refresh_status)."""
        people = Person.objects.filter(pk=self.pk)
        people.refresh_status()
        self.status = people.values_list("status", flat=True).get()


class Detention(ChoiceLabels):
    """One arrest and what followed. Its end (release, death, or a
    non-custodial sentence) is written by sync_end() only."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="detentions", verbose_name=_("person")
    )
    detention_id = models.CharField(
        _("detention id"),
        max_length=150,
        unique=True,
        validators=[id_validator],
        help_text=_("Stable id, by default <person id>-<detained on>."),
    )
    detained_on = PartialDateField(
        _("detained on"), help_text=shown_publicly(_("Empty when unknown. ")), db_index=True
    )
    charges = models.ManyToManyField(
        Charge, blank=True, related_name="detentions", verbose_name=_("charges")
    )
    sentence_type = models.CharField(
        _("sentence type"), max_length=25, choices=SentenceType.choices, blank=True
    )
    sentence_months = models.IntegerField(
        _("sentence in months"),
        null=True,
        blank=True,
        help_text=shown_publicly(_("Whole months; 0 with no custodial sentence. ")),
    )
    sentenced_on = PartialDateField(_("sentenced on"), help_text=PUBLIC)
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="detentions",
        verbose_name=_("facility"),
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="detentions", verbose_name=_("sources")
    )
    end_reason = models.CharField(
        _("ended by"), max_length=10, choices=EndReason.choices, blank=True, editable=False
    )
    ended_on = PartialDateField(_("ended on"))
    expected_release_on = PartialDateField(
        _("expected release on"),
        help_text=shown_publicly(
            _(
                "When the person is due out, if a source says so: wins over the date the "
                "term gives. Empty: counted from the arrest and the current term. "
            )
        ),
    )
    # Derived by derive_term(), never typed: the expected release of an open
    # detention (the recorded one, else from the arrest and current term),
    # the days of an ended one (first possible days), and the earliest
    # sentence change, which the constraints below hold to the arrest and
    # the sentence (a rule across two tables kept on one row).
    expected_release = PartialDateField(_("expected release"), editable=False)
    custody_days = models.IntegerField(null=True, blank=True, editable=False)
    first_change_on = PartialDateField(_("first sentence change"), editable=False)

    objects = DetentionQuerySet.as_manager()
    history = _dated_history(
        "person_id", m2m_fields=[charges, sources], excluded_fields=DERIVED_DETENTION_FIELDS
    )

    class Meta:
        ordering = ["detained_on_first", "detention_id"]
        verbose_name = _("detention")
        verbose_name_plural = _("detentions")
        indexes = [
            # Sorting the list by detention date: MAX(detained_on_first) per person
            # (PersonQuerySet.with_latest_dates); and the detentions of the
            # published people in the charge and release type facets
            # (person_id IN (…) gives their ids from the index alone).
            models.Index(
                fields=["person", "detained_on_first", "id"], name="detention_person_detained"
            ),
            # Who is held in a facility now (the facility pages' counts and lists).
            models.Index(
                fields=["facility", "person"],
                condition=Q(end_reason=EndReason.OPEN),
                name="detention_open_facility",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(detention_id__regex=ID_PATTERN), name="detention_id_format"
            ),
            models.CheckConstraint(
                condition=_order("ended_on", "detained_on"),
                name="detention_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=_order("sentenced_on", "detained_on"),
                name="detention_sentence_not_before_arrest",
            ),
            models.CheckConstraint(
                condition=Q(sentence_months__isnull=True) | Q(sentence_months__gte=0),
                name="detention_sentence_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(end_reason__in=[EndReason.OPEN, EndReason.SENTENCE])
                | Q(ended_on_first__isnull=False),
                name="detention_end_has_date",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end_reason=EndReason.OPEN),
                name="detention_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=_order("first_change_on", "detained_on"),
                name="detention_sentence_change_not_before_arrest",
            ),
            models.CheckConstraint(
                condition=_order("first_change_on", "sentenced_on"),
                name="detention_sentence_change_not_before_sentence",
            ),
            models.CheckConstraint(
                condition=_order("expected_release_on", "detained_on"),
                name="detention_expected_release_not_before_arrest",
            ),
            *partial_date_constraints(
                "detention",
                "detained_on",
                "sentenced_on",
                "ended_on",
                "expected_release_on",
                "expected_release",
                "first_change_on",
            ),
        ]

    def __str__(self) -> str:
        return self.detention_id

    @property
    def is_open(self) -> bool:
        return self.end_reason == EndReason.OPEN

    def compute_end(self) -> tuple[EndReason, PartialDate | None]:
        # releases.py imports this module: its model is asked for at run time.
        release_model = Detention.release.related.related_model
        release = release_model.objects.filter(detention=self).first() if self.pk else None
        return self.end_with(release.released_on if release else None)

    def end_with(self, released_on: PartialDate | None) -> tuple[EndReason, PartialDate | None]:
        """The end (reason, date) with a release on ``released_on``, or none:
        compute_end() without reading the release, for writers that know it."""
        return rules.detention_end(
            released_on, self.sentence_type, self.sentenced_on, self.person.died_on
        )

    def derive_term(self, changes=None) -> None:
        """Set the columns derived from the dates, the sentence and its
        ``changes`` (read when not given): the expected release, the days of
        an ended detention and the earliest change. save() calls it; writers
        that bulk_create call it after end_with()."""
        if changes is None:
            changes = list(self.sentence_changes.all()) if self.pk else []
        term = terms.current_term(self, changes)
        self.expected_release = terms.expected_release(
            self.end_reason == EndReason.OPEN, self.detained_on, term, self.expected_release_on
        )
        ended = self.end_reason != EndReason.OPEN
        self.custody_days = terms.ended_days(self.detained_on, self.ended_on) if ended else None
        self.first_change_on = min(
            (c.changed_on for c in changes), key=lambda d: (d.last, d.first), default=None
        )

    def sync_term(self) -> None:
        """Write the derived columns again after a sentence change, without a
        history row (they are derived), then the person's. Always written:
        this instance may have been read before another change was saved."""
        self.derive_term()
        derived = {name: getattr(self, name) for name in DERIVED_DETENTION_FIELDS}
        Detention.objects.filter(pk=self.pk).update(**derived)
        self.person.refresh_status()

    def sync_end(self) -> None:
        """Save the end if it changed."""
        reason, ended_on = self.compute_end()
        if (reason, ended_on) != (self.end_reason, self.ended_on):
            self.save()

    def clean(self) -> None:
        errors = {}
        if self.sentence_months is not None and self.sentence_months < 0:
            errors["sentence_months"] = [_("A sentence cannot be negative.")]
        violations = [
            rules.sentence_not_before_arrest(self.sentenced_on, self.detained_on),
            rules.expected_release_not_before_arrest(self.expected_release_on, self.detained_on),
        ]
        if self.pk:
            for change in self.sentence_changes.all():
                violations += [
                    _on_field(
                        "detained_on",
                        rules.sentence_change_not_before_arrest(
                            change.changed_on, self.detained_on
                        ),
                    ),
                    _on_field(
                        "sentenced_on",
                        rules.sentence_change_not_before_sentence(
                            change.changed_on, self.sentenced_on
                        ),
                    ),
                ]
        if self.person_id is not None:
            reason, _ended = self.compute_end()
            others = Detention.objects.filter(person_id=self.person_id).ongoing()
            violations.append(
                rules.one_open_detention(
                    reason == EndReason.OPEN, others.exclude(pk=self.pk).exists()
                )
            )
            if reason == EndReason.DEATH:
                violations.append(
                    rules.death_not_before_arrest(
                        self.person.died_on,
                        self.detained_on,
                        self.detention_id,
                        field="detained_on",
                    )
                )
        _raise_violations(*violations, errors=errors)

    def save(self, *args, **kwargs) -> None:
        self.end_reason, self.ended_on = self.compute_end()
        self.derive_term()
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            self.person.refresh_status()

    def delete(self, *args, **kwargs):
        person = self.person
        with transaction.atomic(savepoint=False):
            result = super().delete(*args, **kwargs)
            person.refresh_status()
        return result
