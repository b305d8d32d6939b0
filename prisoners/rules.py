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
from django.utils.translation import pgettext_lazy

from .choices import NON_CUSTODIAL, EndReason, Letters, Status, Visibility
from .messages import Message
from .partial_dates import PartialDate, Precision

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
    CHANGE_BEFORE_ARREST = "sentence_change_before_arrest"
    CHANGE_BEFORE_SENTENCE = "sentence_change_before_sentence"
    EXPECTED_RELEASE_BEFORE_ARREST = "expected_release_before_arrest"
    DEATH_BEFORE_ARREST = "death_before_arrest"
    SECOND_OPEN_DETENTION = "second_open_detention"
    PUBLISHED_WITHOUT_SOURCE = "published_without_source"
    LAST_SOURCE = "last_source"
    PUBLISHED_CHANGE_NEEDS_EDITOR = "published_change_needs_editor"
    STAY_BEFORE_ARREST = "stay_before_arrest"
    STAY_AFTER_END = "stay_after_end"
    STAY_END_BEFORE_START = "stay_end_before_start"
    EXPIRY_NOT_AFTER_EFFECT = "expiry_not_after_effect"


# The dates' names in the wordings below, where a report's line puts each
# date compared (Violation.line). The context is messages.DATE_NAME:
# translators give the very words their translation of the wording uses.
DEATH = pgettext_lazy("a date named in a rule", "death")
BIRTH = pgettext_lazy("a date named in a rule", "birth")
THE_ARREST = pgettext_lazy("a date named in a rule", "the arrest")
THE_RELEASE = pgettext_lazy("a date named in a rule", "the release")
THE_SENTENCE = pgettext_lazy("a date named in a rule", "the sentence")
THE_STAY = pgettext_lazy("a date named in a rule", "the stay")
THE_END = pgettext_lazy("a date named in a rule", "the end of the detention")
ENDS = pgettext_lazy("a date named in a rule", "ends")
BEGINS = pgettext_lazy("a date named in a rule", "begins")


@dataclass(frozen=True)
class Violation:
    """A rule refused: on ``field``, with ``code`` and the rule's wording."""

    field: str
    code: Code
    message: Promise
    params: dict = field(default_factory=dict)
    # The dates compared, each beside the phrase of the wording that names it.
    dates: tuple[tuple[Promise, PartialDate], ...] = ()

    def error(self) -> ValidationError:
        return ValidationError(self.message, code=self.code, params=self.params or None)

    def line(self) -> Message:
        """The wording as a line of a report, said in the language active
        when shown: lower case first, no full stop, each date compared in
        brackets after the phrase naming it ("the release (2021-06) is before
        the arrest (2021-07-14)"). Kept as msgids and values until then, so
        that a background import's lines read in their reader's language."""
        with translation.override(None):  # the msgids, untranslated
            text = str(self.message)
            dates = tuple((str(phrase), str(value)) for phrase, value in self.dates)
        return Message(text, dict(self.params), clause=True, dates=dates)


def _order(
    later: PartialDate | None,
    earlier: PartialDate | None,
    violation: tuple[str, Code, Promise],
    phrases: tuple[Promise, Promise] | None = None,
    params: dict | None = None,
) -> Violation | None:
    """The ``violation`` (field, code, wording) when ``later`` is before
    ``earlier``, each date named by its phrase of the wording. An unknown date
    passes; of partial dates, the last possible day of ``later`` is compared
    with the first of ``earlier``."""
    if not (later and earlier) or later.not_before(earlier):
        return None
    dates = ((phrases[0], later), (phrases[1], earlier)) if phrases else ()
    return Violation(*violation, params=params or {}, dates=dates)


def death_not_before_birth(died_on, born) -> Violation | None:
    return _order(
        died_on,
        born,
        ("died_on", Code.DEATH_BEFORE_BIRTH, _("Death is before birth.")),
        (DEATH, BIRTH),
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
        (THE_SENTENCE, THE_ARREST),
    )


def release_not_before_arrest(released_on, detained_on) -> Violation | None:
    return _order(
        released_on,
        detained_on,
        ("released_on", Code.RELEASE_BEFORE_ARREST, _("The release is before the arrest.")),
        (THE_RELEASE, THE_ARREST),
    )


def sentence_change_not_before_arrest(changed_on, detained_on) -> Violation | None:
    return _order(
        changed_on,
        detained_on,
        (
            "changed_on",
            Code.CHANGE_BEFORE_ARREST,
            _("The change of sentence is before the arrest."),
        ),
        ("the change of sentence", "the arrest"),
    )


def sentence_change_not_before_sentence(changed_on, sentenced_on) -> Violation | None:
    """A sentence changes only once given: not before the first verdict."""
    return _order(
        changed_on,
        sentenced_on,
        (
            "changed_on",
            Code.CHANGE_BEFORE_SENTENCE,
            _("The change of sentence is before the sentence."),
        ),
        ("the change of sentence", "the sentence"),
    )


def expected_release_not_before_arrest(expected_on, detained_on) -> Violation | None:
    return _order(
        expected_on,
        detained_on,
        (
            "expected_release_on",
            Code.EXPECTED_RELEASE_BEFORE_ARREST,
            _("The expected release is before the arrest."),
        ),
        ("the expected release", "the arrest"),
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
        (DEATH, THE_ARREST),
        params={"id": detention_id},
    )


def stay_within_detention(
    started_on: PartialDate | None,
    ended_on: PartialDate | None,
    detained_on: PartialDate | None,
    detention_ended_on: PartialDate | None,
) -> list[Violation]:
    """A stay in a facility lies within its detention: it starts not before
    the arrest, ends (or, with an unknown end, starts) not after the
    detention's end, and ends not before it starts. An unknown date passes."""
    found = [
        _order(
            started_on,
            detained_on,
            ("started_on", Code.STAY_BEFORE_ARREST, _("The stay begins before the arrest.")),
            (THE_STAY, THE_ARREST),
        ),
        _order(
            detention_ended_on,
            ended_on or started_on,
            (
                "ended_on" if ended_on else "started_on",
                Code.STAY_AFTER_END,
                _("The end of the detention is before the stay."),
            ),
            (THE_END, THE_STAY),
        ),
        _order(
            ended_on,
            started_on,
            ("ended_on", Code.STAY_END_BEFORE_START, _("The stay ends before it begins.")),
            (ENDS, BEGINS),
        ),
    ]
    return [violation for violation in found if violation]


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


def status(died: bool, ends: list[str]) -> Status:
    """A person's status from their death and their detentions' ends
    (EndReason values): deceased if a death date is set; else in_custody if
    a detention is open; else released if one ended in release; else
    unknown. PersonQuerySet.refresh_status() is this rule in SQL; the list
    as it stood (as_of.py) asks it of rows rebuilt from the history."""
    if died:
        return Status.DECEASED
    if EndReason.OPEN in ends:
        return Status.IN_CUSTODY
    if EndReason.RELEASE in ends:
        return Status.RELEASED
    return Status.UNKNOWN


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


def birthday(born: PartialDate | None) -> int | None:
    """A birth date known to the day as month * 100 + day (1205: 5
    December), what /birthdays/ asks for; None for a date known only to the
    month or year: a birthday is never guessed."""
    if born is None or born.precision != Precision.DAY:
        return None
    return born.first.month * 100 + born.first.day


def letter_address_shown(
    visibility: str, letters: str, withheld: bool, held_now: bool, has_address: bool
) -> bool:
    """Where to write to a person (the facility's address and the
    addressee) is shown publicly only when letters reach them, they are
    published (never anonymous or a draft), held now in a facility with a
    postal address, and the curators have not withheld it. The person's
    page, /birthdays/, its feed and print layout, the CSV and the API ask
    this one rule (through letters.py)."""
    return (
        visibility == Visibility.PUBLISHED
        and letters == Letters.YES
        and not withheld
        and held_now
        and has_address
    )


def addressee(override: str, name_ru: str, name: str, born: PartialDate | None) -> str:
    """The person's name on an envelope: the curators' own line when they
    gave one; else the name in Russian (the language prison censors read;
    the name as recorded without one) and the year of birth, which prisons
    ask for to tell namesakes apart ("Мария Колесникова, 1982 г. р.")."""
    if override.strip():
        return override.strip()
    name = name_ru.strip() or name.strip()
    return f"{name}, {born.first.year} г. р." if born else name


def expiry_after_effect(expires_on, effective_on) -> Violation | None:
    """A sanctions act expires after the day it takes effect (``expires_on``
    is the first day it no longer applies). Plain dates; either unknown passes."""
    if expires_on and effective_on and expires_on <= effective_on:
        message = _("The act expires on or before the day it takes effect.")
        return Violation("expires_on", Code.EXPIRY_NOT_AFTER_EFFECT, message)
    return None
