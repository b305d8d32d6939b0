"""The domain's rules, each written once, over values rather than records, so
that model clean(), the admin's forms and actions and the importer (on rows
it has only parsed) ask the same function. Each rule refused gives one
Violation: the field it is about, one code (what code decides on: never the
text) and one wording, translated where it is shown. The database holds the
same rules as constraints, the backstop for whatever writes around them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import NON_CUSTODIAL, EndReason, Visibility
from .partial_dates import PartialDate

# Who counts in totals and charts: published or anonymous people. Anonymous
# people are never named, but NGO totals include them; drafts are not yet
# checked and count nowhere.
COUNTED = (Visibility.PUBLISHED, Visibility.ANONYMOUS)
# Of those, who enters public figures by month: each date of theirs that
# decides whether they count on a day (arrest, end of a detention,
# recognition, its withdrawal, release) counts from the first day of its
# month, so that subtracting what named people explain from a day series
# recovers no day of theirs. Named people count from the day itself.
# querysets.counting_day() is this rule in SQL.
BY_MONTH = (Visibility.ANONYMOUS,)


class Code(StrEnum):
    DEATH_BEFORE_BIRTH = "death_before_birth"
    WITHDRAWN_NEVER_GIVEN = "withdrawn_never_given"
    WITHDRAWN_BEFORE_RECOGNIZED = "withdrawn_before_recognized"
    SENTENCE_BEFORE_ARREST = "sentence_before_arrest"
    RELEASE_BEFORE_ARREST = "release_before_arrest"
    DEATH_BEFORE_ARREST = "death_before_arrest"
    SECOND_OPEN_DETENTION = "second_open_detention"
    PUBLISHED_WITHOUT_SOURCE = "published_without_source"
    LAST_SOURCE = "last_source"
    PUBLISHED_CHANGE_NEEDS_EDITOR = "published_change_needs_editor"
    EXPIRY_NOT_AFTER_EFFECT = "expiry_not_after_effect"


@dataclass(frozen=True)
class Violation:
    """A rule refused: on ``field``, with ``code`` and the rule's wording."""

    field: str
    code: Code
    message: Promise
    params: dict = field(default_factory=dict)
    # The dates compared, each beside the phrase of the wording that names it.
    dates: tuple[tuple[str, PartialDate], ...] = ()

    def error(self) -> ValidationError:
        return ValidationError(self.message, code=self.code, params=self.params or None)

    def in_english(self) -> str:
        """The wording in English as a line of a report: lower case first, no
        full stop, each date compared in brackets after the phrase naming it
        ("the release (2021-06) is before the arrest (2021-07-14)")."""
        with translation.override("en"):
            text = str(self.message)
        if self.params:
            text = text % self.params
        text = text[:1].lower() + text[1:].removesuffix(".")
        for phrase, value in self.dates:
            text = text.replace(phrase, f"{phrase} ({value})", 1)
        return text


def _order(
    later: PartialDate | None,
    earlier: PartialDate | None,
    violation: tuple[str, Code, Promise],
    phrases: tuple[str, str] = ("", ""),
    params: dict | None = None,
) -> Violation | None:
    """The ``violation`` (field, code, wording) when ``later`` is before
    ``earlier``, each date named by its phrase of the wording. An unknown date
    passes; of partial dates, the last possible day of ``later`` is compared
    with the first of ``earlier``."""
    if not (later and earlier) or later.not_before(earlier):
        return None
    dates = ((phrases[0], later), (phrases[1], earlier)) if phrases[0] else ()
    return Violation(*violation, params=params or {}, dates=dates)


def death_not_before_birth(died_on, born) -> Violation | None:
    return _order(
        died_on,
        born,
        ("died_on", Code.DEATH_BEFORE_BIRTH, _("Death is before birth.")),
        ("death", "birth"),
    )


def withdrawal_not_before_recognition(withdrawn_on, recognized_on) -> Violation | None:
    """Recognition is withdrawn only once given, and not before."""
    field = "recognition_withdrawn_on"
    if withdrawn_on and not recognized_on:
        message = _("Recognition cannot be withdrawn when it was never given.")
        return Violation(field, Code.WITHDRAWN_NEVER_GIVEN, message)
    message = _("Recognition is withdrawn before it was given.")
    return _order(withdrawn_on, recognized_on, (field, Code.WITHDRAWN_BEFORE_RECOGNIZED, message))


def sentence_not_before_arrest(sentenced_on, detained_on) -> Violation | None:
    return _order(
        sentenced_on,
        detained_on,
        ("sentenced_on", Code.SENTENCE_BEFORE_ARREST, _("The sentence is before the arrest.")),
        ("the sentence", "the arrest"),
    )


def release_not_before_arrest(released_on, detained_on) -> Violation | None:
    return _order(
        released_on,
        detained_on,
        ("released_on", Code.RELEASE_BEFORE_ARREST, _("The release is before the arrest.")),
        ("the release", "the arrest"),
    )


def death_not_before_arrest(
    died_on, detained_on, detention_id: str, field: str = "died_on"
) -> Violation | None:
    """Death is not before the arrest of any of the person's detentions
    (``field``: where to say it, the death's or the arrest's)."""
    return _order(
        died_on,
        detained_on,
        (field, Code.DEATH_BEFORE_ARREST, _("Death is before the arrest of detention %(id)s.")),
        ("death", "the arrest"),
        params={"id": detention_id},
    )


def end_reason(released: bool, sentence_type: str, died: bool) -> EndReason:
    """How a detention ends: by its release, at sentencing when the sentence
    keeps nobody in custody, by the person's death; else it is still open."""
    if released:
        return EndReason.RELEASE
    if sentence_type in NON_CUSTODIAL:
        return EndReason.SENTENCE
    if died:
        return EndReason.DEATH
    return EndReason.OPEN


def detention_end(
    released_on: PartialDate | None,
    sentence_type: str,
    sentenced_on: PartialDate | None,
    died_on: PartialDate | None,
) -> tuple[EndReason, PartialDate | None]:
    """The end of a detention, (reason, date): what a detention stores."""
    reason = end_reason(bool(released_on), sentence_type, bool(died_on))
    ended_on = {
        EndReason.RELEASE: released_on,
        EndReason.SENTENCE: sentenced_on,
        EndReason.DEATH: died_on,
    }.get(reason)
    return reason, ended_on


def is_open(released: bool, sentence_type: str, died: bool) -> bool:
    """Whether a detention is still open, for writers that know whether a
    release is given before they know its date."""
    return end_reason(released, sentence_type, died) == EndReason.OPEN


def one_open_detention(opens: bool, another_open: bool) -> Violation | None:
    """A person has at most one open detention: release one before the next."""
    if opens and another_open:
        return Violation(
            "detained_on",
            Code.SECOND_OPEN_DETENTION,
            _("This person already has an open detention: record its release first."),
        )
    return None


def source_to_publish(visibility: str, has_source: bool) -> Violation | None:
    """A published person has at least one source, their own or a detention's."""
    if visibility != Visibility.PUBLISHED or has_source:
        return None
    message = _(
        "A person is published only with at least one source: add one here or on a detention."
    )
    return Violation("visibility", Code.PUBLISHED_WITHOUT_SOURCE, message)


def last_source_kept(visibility: str, sources_left: bool, people: str) -> Violation | None:
    """Removing a source (deleting it, a detention holding it, or taking it
    off a record) never leaves a published person without one: the same
    rule as source_to_publish, said where a removal is refused. ``people``
    names them."""
    if source_to_publish(visibility, sources_left) is None:
        return None
    message = _(
        "%(people)s would be published without a source: add another source to them first, "
        "or unpublish them."
    )
    return Violation("sources", Code.LAST_SOURCE, message, params={"people": people})


def published_change_by(
    may_publish: bool, visibility: str, changed: list[str], person: str
) -> Violation | None:
    """What the public sees of a published person changes only by someone
    who may publish (an editor): a curator's import may not change it.
    ``changed`` names the public fields the change touches."""
    if may_publish or visibility != Visibility.PUBLISHED or not changed:
        return None
    message = _(
        "%(person)s is published: only an editor may change what the public sees (%(fields)s)."
    )
    params = {"person": person, "fields": ", ".join(changed)}
    return Violation("visibility", Code.PUBLISHED_CHANGE_NEEDS_EDITOR, message, params=params)


def expiry_after_effect(expires_on, effective_on) -> Violation | None:
    """A sanctions act expires after the day it takes effect (``expires_on``
    is the first day it no longer applies). Plain dates; either unknown passes."""
    if expires_on and effective_on and expires_on <= effective_on:
        message = _("The act expires on or before the day it takes effect.")
        return Violation("expires_on", Code.EXPIRY_NOT_AFTER_EFFECT, message)
    return None
