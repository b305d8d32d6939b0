"""The admin's forms: help text on every field, optimistic locking, a
detention row that carries its release, and the checks a person must pass
before saving (duplicates, sources before publishing)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext_lazy as _

from .. import rules
from ..models import PUBLIC, Detention, Person, Release, ReleaseType
from ..models.base import shown_publicly
from ..partial_dates import PartialDateFormField, PartialDateModelForm
from ..search import normalize


def latest_version(instance):
    """The newest historical record of ``instance`` (None for a new record or
    one written without history, such as by bulk_create)."""
    if instance.pk is None:
        return None
    return instance.history.order_by("-history_date", "-history_id").first()


def lock_for_save(instance) -> None:
    """Lock the rows a save of ``instance`` writes, until the transaction
    ends: its person first, then its detention, then the record, the same
    order whichever form saves, so that two saves wait for each other
    instead of deadlocking (a detention's save writes its person's status;
    a release's, its detention's end). No-op on SQLite, which lets one
    transaction write at a time anyway."""
    queries = []
    if isinstance(instance, Detention | Release):
        detention_pk = instance.pk if isinstance(instance, Detention) else instance.detention_id
        queries.append(Person.objects.filter(detentions=detention_pk))
        if isinstance(instance, Release):
            queries.append(Detention.objects.filter(pk=detention_pk))
    queries.append(type(instance)._default_manager.filter(pk=instance.pk))
    for rows in queries:
        list(rows.select_for_update(of=("self",)).values_list("pk", flat=True))


class AdminForm(PartialDateModelForm):
    """Every field says whether it is shown publicly, and a change form
    refuses to overwrite a change saved since it was loaded.

    The hidden ``_version`` holds the id of the record's newest historical
    record when the form was loaded. If the record has a newer one on save,
    somebody else saved in between: the form is shown again with what was
    typed and a message naming them. Saving again then overwrites their
    change knowingly (the hidden field is moved on to their version).

    The check locks the record's rows first (lock_for_save) and every admin
    view validates and saves in one transaction (model_admins.VersionedAdmin),
    so no save can come between the check and the write: of two editors
    saving the same loaded form at once, the second waits, then is shown
    the first one's change."""

    _version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What a record shows publicly is its model's fields: a form's own
        # field (a tick, a note to the form) is never shown, and a text
        # that says private already is not contradicted.
        model = self._meta.model
        model_fields = {f.name for f in model._meta.get_fields()}
        model_fields |= set(getattr(model, "_partial_dates", {}))
        for name, field in self.fields.items():
            if field.widget.is_hidden or name not in model_fields:
                continue
            # Read in English: the words are looked for, not their translation.
            with translation.override("en"):
                text = str(field.help_text or "").lower()
            if "public" not in text and "private" not in text:
                field.help_text = format_lazy("{} {}", field.help_text, PUBLIC) if text else PUBLIC
        if not self.is_bound:
            version = latest_version(self.instance)
            self.initial["_version"] = version.history_id if version else None

    def clean(self):
        cleaned_data = super().clean()
        self._check_version()
        return cleaned_data

    def _check_version(self) -> None:
        if self.instance.pk is None:
            return
        # Without the field nothing says which version was edited: refused,
        # never saved unchecked. An empty one means the record had no
        # history when loaded.
        if self.add_prefix("_version") not in self.data:
            raise ValidationError(
                _(
                    "This form was sent without the version of the record it was loaded "
                    "with, so a change saved since cannot be detected. Nothing was saved: "
                    "open the record again and make your change there."
                ),
                code="no_version",
            )
        lock_for_save(self.instance)
        loaded = self.cleaned_data.get("_version")
        version = latest_version(self.instance)
        if version is None or version.history_id == loaded:
            return
        who = version.history_user or _("someone (no user recorded)")
        when = date_format(version.history_date, "DATETIME_FORMAT")
        data = self.data.copy()
        data[self.add_prefix("_version")] = version.history_id
        self.data = data
        raise ValidationError(
            _(
                "%(who)s changed this record on %(when)s, after you opened it. Your text "
                "is kept below: compare it with their version (open the record in a new "
                "tab), then save again to overwrite their change."
            ),
            code="stale",
            params={"who": who, "when": when},
        )


def unique_id(base: str, taken) -> str:
    """``base`` or ``base-2``, ``base-3``… whichever ``taken(candidate)`` says
    is free."""
    candidate, suffix = base, 1
    while taken(candidate):
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


def person_id_for(name: str) -> str:
    base = slugify(normalize(name))[:90] or "person"
    return unique_id(base, lambda c: Person.objects.filter(person_id=c).exists())


def possible_duplicates(*names: str, exclude_pk=None, limit: int = 10) -> list[Person]:
    """People whose search text holds every word of one of ``names`` (on
    PostgreSQL also close misspellings: see PersonQuerySet.search)."""
    found: dict[int, Person] = {}
    for name in names:
        if not normalize(name or ""):
            continue
        people = Person.objects.search(name).exclude(pk=exclude_pk).order_by("name")
        for person in people[:limit]:
            found.setdefault(person.pk, person)
    return list(found.values())[:limit]


class PersonForm(AdminForm):
    not_duplicate = forms.BooleanField(
        label=_("This is a different person"),
        required=False,
        help_text=_("Tick when the possible duplicates listed are other people. Private."),
    )

    class Meta:
        model = Person
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "person_id" in self.fields and self.instance.pk is None:
            self.fields["person_id"].required = False
            self.fields["person_id"].help_text = _(
                "Stable id, part of the public URL. Leave empty to make one from the "
                "name; it cannot change once the person has been published."
            )
        self.duplicates: list[Person] = []
        if "letters" in self.fields:
            # A post without it (a page loaded before the field existed, a
            # script) keeps the stored value, as an import without the column.
            self.fields["letters"].required = False

    def clean_letters(self) -> str:
        return self.cleaned_data.get("letters") or self.instance.letters

    def clean(self):
        cleaned_data = super().clean()
        name = cleaned_data.get("name")
        if "person_id" in self.fields and not cleaned_data.get("person_id") and name:
            cleaned_data["person_id"] = person_id_for(name)
        if self.instance.pk is None and name:
            self._check_duplicates(cleaned_data)
        # Read by the detention inline's formset, which counts the sources of
        # the whole submission before a person may be published.
        self.instance._submitted_sources = list(cleaned_data.get("sources") or [])
        self.instance._person_form = self
        return cleaned_data

    def _check_duplicates(self, cleaned_data) -> None:
        aliases = (cleaned_data.get("aliases") or "").split(";")
        names = [cleaned_data.get(f) for f in ("name", "name_be", "name_ru")] + aliases
        self.duplicates = possible_duplicates(*names)
        if not self.duplicates:
            return
        links = format_html_join(
            ", ",
            '<a href="{}" target="_blank">{} ({})</a>',
            (
                (reverse("admin:prisoners_person_change", args=[p.pk]), p.name, p.person_id)
                for p in self.duplicates
            ),
        )
        help_text = format_html("{} {}", _("Possible duplicates:"), links)
        # The bound field copied the help text when the form was cleaned.
        self.fields["not_duplicate"].help_text = self["not_duplicate"].help_text = help_text
        if not cleaned_data.get("not_duplicate"):
            self.add_error(
                "not_duplicate",
                _(
                    "This name resembles %(people)s. Check them, then tick “This is a "
                    "different person” to save."
                )
                % {"people": "; ".join(f"{p.name} ({p.person_id})" for p in self.duplicates)},
            )


class DetentionForm(AdminForm):
    """A detention with its release: Django has no nested inlines, so the
    release's fields ride on the detention's row and saving the row creates,
    changes or deletes the Release (whose save writes the detention's end)."""

    released_on = PartialDateFormField(
        label=_("Released on"),
        help_text=shown_publicly(
            _("Empty with a release event: the event's date. YYYY-MM-DD, YYYY-MM or YYYY. ")
        ),
    )
    release_type = forms.ChoiceField(
        label=_("Release type"),
        choices=[("", "---------"), *ReleaseType.choices],
        required=False,
        help_text=shown_publicly(_("Required with a release. ")),
    )
    release_event = forms.ModelChoiceField(
        label=_("Release event"),
        queryset=Release._meta.get_field("release_event").related_model.objects.all(),
        required=False,
        widget=AutocompleteSelect(Release._meta.get_field("release_event"), admin.site),
        help_text=shown_publicly(_("The group release this was part of. ")),
    )
    released_to = forms.CharField(
        label=_("Released to"),
        max_length=100,
        required=False,
        help_text=Release._meta.get_field("released_to").help_text,
    )

    RELEASE_FIELDS = ["released_on", "release_type", "release_event", "released_to"]

    class Meta:
        model = Detention
        fields = [
            "detention_id",
            "detained_on",
            "charges",
            "sentence_type",
            "sentence_months",
            "sentenced_on",
            "expected_release_on",
            "sources",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["detention_id"].required = False
        # The admin shows help texts as HTML: the placeholders are text.
        self.fields["detention_id"].help_text = escape(
            _("Stable id, shown publicly. Leave empty for <person id>-<detained on>.")
        )
        release = self.existing_release
        if release and not self.is_bound:
            self.initial.update(
                released_on=release.released_on,
                release_type=release.release_type,
                release_event=release.release_event_id,
                released_to=release.released_to,
            )

    @property
    def existing_release(self) -> Release | None:
        if self.instance.pk is None:
            return None
        try:
            return self.instance.release
        except Release.DoesNotExist:
            return None

    @property
    def has_release(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in self.RELEASE_FIELDS)

    def clean(self):
        cleaned_data = super().clean()
        if self.has_release:
            event = cleaned_data.get("release_event")
            if not cleaned_data.get("released_on") and event:
                cleaned_data["released_on"] = event.date
            if not cleaned_data.get("released_on"):
                self.add_error("released_on", _("A release needs a date or a release event."))
            if not cleaned_data.get("release_type"):
                self.add_error("release_type", _("A release needs a type."))
            violation = rules.release_not_before_arrest(
                cleaned_data.get("released_on"), cleaned_data.get("detained_on")
            )
            if violation:
                self.add_error(violation.field, violation.error())
        if not cleaned_data.get("detention_id"):
            person_id = getattr(self.parent_person, "person_id", "")
            detained_on = cleaned_data.get("detained_on")
            base = f"{person_id or 'detention'}-{detained_on or 'unknown'}"
            cleaned_data["detention_id"] = unique_id(
                base,
                lambda c: (
                    Detention.objects.filter(detention_id=c).exclude(pk=self.instance.pk).exists()
                ),
            )
        return cleaned_data

    @property
    def parent_person(self) -> Person | None:
        """The person of the row: the formset's (possibly unsaved) instance,
        which already holds what was typed in the person's form."""
        return getattr(self, "_parent_person", None)

    def _post_clean(self):
        super()._post_clean()
        # The model's check reads the release from the database, which this
        # row may be about to write: the formset checks open detentions
        # across the whole submission instead.
        errors = self._errors.get("detained_on") if self._errors else None
        if not errors:
            return
        remaining = [e for e in errors.as_data() if e.code != rules.Code.SECOND_OPEN_DETENTION]
        if len(remaining) == len(errors):
            return
        if remaining:
            self._errors["detained_on"] = self.error_class(remaining)
        else:
            del self._errors["detained_on"]
            if "detained_on" not in self.cleaned_data:
                self.cleaned_data["detained_on"] = self.instance.detained_on

    @property
    def will_be_open(self) -> bool:
        return rules.is_open(
            released=self.has_release,
            sentence_type=self.cleaned_data.get("sentence_type"),
            died=bool(self.parent_person and self.parent_person.died_on),
        )

    def save(self, commit=True):
        detention = super().save(commit=commit)
        if commit:
            self.save_release()
        else:
            save_m2m = self.save_m2m

            def save_m2m_and_release():
                save_m2m()
                self.save_release()

            self.save_m2m = save_m2m_and_release
        return detention

    def save_release(self) -> None:
        release = self.existing_release
        if not self.has_release:
            if release:
                release.delete()
            return
        release = release or Release(detention=self.instance)
        data = self.cleaned_data
        release.released_on = data["released_on"]
        release.release_type = data["release_type"]
        release.release_event = data.get("release_event")
        release.released_to = data.get("released_to", "")
        release.save()


class DetentionInlineFormSet(BaseInlineFormSet):
    """Checks the rows together: one open detention per person, and a
    published person needs a source, counting those typed in this submission."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form._parent_person = self.instance
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        form._parent_person = self.instance
        return form

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data")
            and form.cleaned_data
            and not self._should_delete_form(form)
        ]
        open_rows = [form for form in rows if form.will_be_open]
        violation = rules.one_open_detention(bool(open_rows), another_open=len(open_rows) > 1)
        if violation:
            open_rows[-1].add_error(violation.field, violation.error())
            raise violation.error()
        self._check_sources(rows)

    def _check_sources(self, rows) -> None:
        person = self.instance
        submitted = getattr(person, "_submitted_sources", None)
        if submitted is None:
            # The person's form did not validate: it shows its own errors.
            return
        has_source = bool(submitted) or any(form.cleaned_data.get("sources") for form in rows)
        violation = rules.source_to_publish(person.visibility, has_source)
        if violation is None:
            return
        form = getattr(person, "_person_form", None)
        if form is not None and violation.field in form.fields:
            form.add_error(violation.field, violation.error())
        raise violation.error()


def published_left_without_source(
    people, *, without_sources=(), without_detentions=(), kept: dict | None = None
) -> list[Person]:
    """Those of the published ``people`` (pks) who would have no source once
    ``without_sources`` (Source pks) and ``without_detentions`` (Detention
    pks) are gone; ``kept`` maps a person's pk to sources a form gives them
    that are not saved yet."""
    kept = kept or {}
    published = list(Person.objects.filter(pk__in=set(people)).published())
    own = Person.sources.through.objects.filter(person__in=published)
    on_detention = Detention.sources.through.objects.filter(detention__person__in=published)
    left = set(own.exclude(source__in=without_sources).values_list("person_id", flat=True))
    left |= set(
        on_detention.exclude(source__in=without_sources)
        .exclude(detention__in=without_detentions)
        .values_list("detention__person_id", flat=True)
    )
    return [
        person
        for person in published
        if rules.last_source_kept(
            person.visibility, person.pk in left or bool(kept.get(person.pk)), ""
        )
    ]


def last_source_violation(people: list[Person]) -> rules.Violation | None:
    """The rule's refusal naming ``people``, or None when there are none."""
    if not people:
        return None
    names = ", ".join(f"{p.name} ({p.person_id})" for p in people)
    return rules.last_source_kept(people[0].visibility, False, names)


class DetentionAdminForm(AdminForm):
    """A detention on its own page: its sources (or moving it to another
    person) may not take a published person's last source away. Its
    facility is its stays' (read-only)."""

    class Meta:
        model = Detention
        exclude = ["facility"]

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None or self.errors:
            return cleaned_data
        person = cleaned_data.get("person")
        sources = cleaned_data.get("sources") or []
        kept = {person.pk: sources} if person else {}
        left_without = published_left_without_source(
            [self.instance.person_id], without_detentions=[self.instance.pk], kept=kept
        )
        violation = last_source_violation(left_without)
        if violation:
            raise violation.error()
        return cleaned_data
