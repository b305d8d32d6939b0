"""The closed vocabularies of the records: one TextChoices each, so that
code names a value (Status.IN_CUSTODY) instead of writing its literal."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Visibility(models.TextChoices):
    PUBLISHED = "published", pgettext_lazy("visibility", "published")
    DRAFT = "draft", pgettext_lazy("visibility", "draft")
    ANONYMOUS = "anonymous", pgettext_lazy("visibility", "anonymous")


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    # "other" of a gender and of a type are different words in be/ru.
    OTHER = "other", pgettext_lazy("gender", "other")


class Status(models.TextChoices):
    IN_CUSTODY = "in_custody", _("in custody")
    RELEASED = "released", _("released")
    DECEASED = "deceased", _("deceased")
    UNKNOWN = "unknown", _("unknown")


class SentenceType(models.TextChoices):
    PRISON = "prison", _("prison")
    COLONY = "colony", _("penal colony")
    RESTRICTED_FREEDOM = "restricted_freedom", _("restricted freedom")
    HOME_CONFINEMENT = "home_confinement", _("home confinement")
    FINE = "fine", _("fine")
    LIFE = "life", _("life imprisonment")
    DEATH = "death", _("death penalty")
    ADMINISTRATIVE_ARREST = "administrative_arrest", _("administrative arrest")
    IN_ABSENTIA = "in_absentia", _("sentenced in absentia")
    NONE = "none", _("no sentence")
    OTHER = "other", _("other")


# Sentences that do not keep the person in custody: the detention ends at
# sentencing, and without a sentencing date it is held on no day.
NON_CUSTODIAL = [SentenceType.FINE, SentenceType.NONE, SentenceType.IN_ABSENTIA]


# Sentences that set no release date: nobody is due out of them.
NO_RELEASE_DATE = [SentenceType.LIFE, SentenceType.DEATH]


class SentenceChangeKind(models.TextChoices):
    """What changed a detention's sentence after the first verdict."""

    APPEAL = "appeal", _("appeal")
    # A new sentence while inside, such as Belarus's Article 411 ("malicious
    # disobedience" of the colony's administration), added to the term.
    ADDITIONAL = "additional", _("additional sentence")
    COMMUTATION = "commutation", _("commutation")
    SHORTENED = "shortened", _("term shortened")
    OTHER = "other", pgettext_lazy("sentence change", "other")


class ReleaseType(models.TextChoices):
    PARDON = "pardon", _("pardon")
    SENTENCE_SERVED = "sentence_served", _("sentence served")
    NEGOTIATED = "negotiated", _("negotiated release")
    EXCHANGE = "exchange", _("prisoner exchange")
    # Often forced exile: the person is driven across the border on release.
    DEPORTED = "deported", _("deported")
    ACQUITTED = "acquitted", _("acquitted")
    EARLY_RELEASE = "early_release", _("early release")
    OTHER = "other", _("other")


class EndReason(models.TextChoices):
    OPEN = "", _("still held")
    RELEASE = "release", _("release")
    DEATH = "death", _("death")
    SENTENCE = "sentence", _("non-custodial sentence")


class SanctionsAction(models.TextChoices):
    # Nouns in be/ru ("змякчэнне", "смягчение"): a verb would have to agree
    # with the authority ("ЕС змякчыў", "ЗША змякчылі").
    IMPOSED = "imposed", pgettext_lazy("sanctions action", "imposed")
    EXTENDED = "extended", pgettext_lazy("sanctions action", "extended")
    EASED = "eased", pgettext_lazy("sanctions action", "eased")
    LIFTED = "lifted", pgettext_lazy("sanctions action", "lifted")
    SUSPENDED = "suspended", pgettext_lazy("sanctions action", "suspended")
    REIMPOSED = "reimposed", pgettext_lazy("sanctions action", "reimposed")


class FacilityKind(models.TextChoices):
    PRETRIAL = "pretrial", _("pre-trial detention centre")
    COLONY = "colony", _("penal colony")
    PRISON = "prison", _("prison")
    TEMPORARY = "temporary", _("temporary detention")
    OTHER = "other", pgettext_lazy("a kind of facility", "other")


class Letters(models.TextChoices):
    """Whether letters reach a person where they are held, as last checked."""

    YES = "yes", pgettext_lazy("can receive letters", "yes")
    NO = "no", pgettext_lazy("can receive letters", "no")
    UNKNOWN = "unknown", pgettext_lazy("can receive letters", "unknown")


class GuideKey(models.TextChoices):
    """The guides editors keep in the admin, one page each."""

    WRITE = "write", _("How to write to a political prisoner")


class NameKind(models.TextChoices):
    """What a row of names.csv names: a value the records write as text
    (region, country, authority: a LocalName) or a reference record
    (organization, charge, facility: fields of that record)."""

    REGION = "region", _("region")
    COUNTRY = "country", _("country")
    AUTHORITY = "authority", _("sanctions authority")
    ORGANIZATION = "organization", _("organization")
    CHARGE = "charge", _("charge")
    FACILITY = "facility", _("facility")


# The kinds written as free text on the records, named in LocalName.
FREE_TEXT_KINDS = [NameKind.REGION, NameKind.COUNTRY, NameKind.AUTHORITY]


# A status whose be/ru word agrees with the person's gender (choices labels
# cannot): "памерлая", "памерлы". Other statuses read the same for everyone.
GENDERED_STATUS = {
    (Status.DECEASED, Gender.FEMALE): pgettext_lazy("female", "deceased"),
    (Status.DECEASED, Gender.MALE): pgettext_lazy("male", "deceased"),
}


class DateOrder(models.TextChoices):
    """How a curator's file writes its dates (a saved column mapping)."""

    DMY = "DMY", _("day.month.year")
    YMD = "YMD", _("year.month.day")


class ImportStep(models.TextChoices):
    CHECK = "check", _("check")
    WRITE = "write", _("write")


class ImportState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ChangeKind(models.TextChoices):
    """The groups of /changes/: what happened to the public list on a day
    (prisoners/changes.py decides which)."""

    ADDED = "added", _("added")
    REMOVED = "removed", _("removed")
    RECOGNIZED = "recognized", pgettext_lazy("change", "recognized")
    WITHDRAWN = "recognition_withdrawn", _("recognition withdrawn")
    DETAINED = "detained_again", _("detained again")
    RELEASED = "released", pgettext_lazy("change", "released")
    DIED = "died", _("died")
    CORRECTED = "corrected", _("corrected")


class SanctionsKind(models.TextChoices):
    """What kind of legal act a sanctions event is (its instrument, not the
    headline): a general licence authorizes dealings while the designation
    stays; a delisting ends it."""

    DESIGNATION = "designation", _("designation")
    DELISTING = "delisting", _("delisting")
    GENERAL_LICENCE = "general_licence", _("general licence")
    SECTORAL_MEASURE = "sectoral_measure", _("sectoral measure")
    EXTENSION = "extension", _("extension")
    SUSPENSION = "suspension", _("suspension")
    OTHER = "other", pgettext_lazy("sanctions act", "other")


# Acts that restrict dealings with a target while in force (until a later
# delisting of the same target by the same authority, or their expiry) and
# acts that authorize dealings despite them (until their expiry).
RESTRICTING = [SanctionsKind.DESIGNATION, SanctionsKind.SECTORAL_MEASURE, SanctionsKind.EXTENSION]
RELIEVING = [SanctionsKind.GENERAL_LICENCE, SanctionsKind.SUSPENSION]
# Sanctions relief, as the timeline's ledger counts it.
RELIEF = [*RELIEVING, SanctionsKind.DELISTING]

# The kind each action gave the events recorded before kinds (migration
# 0018), for curators to correct.
KIND_OF_ACTION = {
    "imposed": SanctionsKind.DESIGNATION,
    "lifted": SanctionsKind.DELISTING,
    "eased": SanctionsKind.GENERAL_LICENCE,
    "extended": SanctionsKind.EXTENSION,
    "suspended": SanctionsKind.SUSPENSION,
    "reimposed": SanctionsKind.DESIGNATION,
}


class TargetKind(models.TextChoices):
    COMPANY = "company", _("company")
    PERSON = "person", _("person")
    SECTOR = "sector", _("sector")
    AIRCRAFT = "aircraft", _("aircraft")
    VESSEL = "vessel", _("vessel")
    OTHER = "other", pgettext_lazy("sanctions target", "other")


class Standing(models.TextChoices):
    """Where a target stands under one authority on a day (derived from the
    acts in force, never stored)."""

    DESIGNATED = "designated", _("designated")
    LICENSED = "licensed", _("designated, but a licence authorizes dealings")
    DELISTED = "delisted", _("delisted")
    EXPIRED = "expired", _("measure expired")
