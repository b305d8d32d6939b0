"""Writing to a person: what the public is told of whether letters reach
them and where to write, asked of rules.letter_address_shown by every page,
export and API answer that shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import rules
from .choices import Letters, Visibility


@dataclass(frozen=True)
class LetterAddress:
    """Where to write: the facility's postal address in Belarusian and
    Russian (either may be empty) and the person's name on the envelope."""

    addressee: str
    facility: object  # a Facility
    address_be: str
    address_ru: str
    checked_on: date | None  # when the curators last confirmed letters reach


def current_facility(person):
    """The facility of the person's open detention (where they are held
    now), or None. Reads ``person.detentions.all()``: prefetch them with
    their facility."""
    for detention in person.detentions.all():
        if detention.is_open:
            return detention.facility
    return None


def held_now(person) -> bool:
    """Whether ``person`` has an open detention (prefetched detentions)."""
    return any(detention.is_open for detention in person.detentions.all())


def letter_address(person, facility) -> LetterAddress | None:
    """Where the public may write to ``person``, held now in ``facility``
    (None: not held now, see current_facility()), or None (see
    rules.letter_address_shown)."""
    has_address = facility is not None and bool(
        facility.address_be.strip() or facility.address_ru.strip()
    )
    if not rules.letter_address_shown(
        person.visibility,
        person.letters,
        person.letters_withheld,
        held_now=facility is not None,
        has_address=has_address,
    ):
        return None
    return LetterAddress(
        addressee=rules.addressee(
            person.letters_addressee, person.name_ru, person.name, person.born
        ),
        facility=facility,
        address_be=facility.address_be.strip(),
        address_ru=facility.address_ru.strip(),
        checked_on=person.letters_checked_on,
    )


def public_letters(
    status: str, checked_on: date | None, addressee: str, withheld: bool
) -> tuple[str, date | None, str]:
    """(letters, checked on, addressee) as the public may read them: of a
    person whose letters the curators withheld, what an unrecorded status
    reads (unknown, no date, no addressee), so that withholding shows
    nowhere. The person's page, the public CSV and the API ask this."""
    if withheld:
        return Letters.UNKNOWN, None, ""
    return status, checked_on, addressee.strip()


def public_letters_of(person) -> tuple[str, date | None, str]:
    return public_letters(
        person.letters, person.letters_checked_on, person.letters_addressee, person.letters_withheld
    )


def not_reaching(person) -> date | bool:
    """Whether the public is told that letters do not reach ``person``, held
    now (published, not withheld): the day that was checked, or True
    without one; False when nothing is to be said."""
    status, checked_on, _addressee = public_letters_of(person)
    if status != Letters.NO or person.visibility != Visibility.PUBLISHED or not held_now(person):
        return False
    return checked_on or True
