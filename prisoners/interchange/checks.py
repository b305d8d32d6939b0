"""The checks of an import that span rows, files and the database:
references, the order of dates, one open detention, a source for a
published person. The rules themselves are prisoners.rules: these checks
call them on the final values of each person and report each refusal as a
line naming the file, the row and the column.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_noop

from .. import rules
from ..messages import say
from ..models import Detention, Person, ReleaseEvent, SanctionsEvent
from .changes import public_columns_changed
from .columns import RELEASE_EVENTS, SANCTIONS_EVENTS, VISIBILITY_OF, person_values
from .plans import REQUIRED, PersonPlan, date_of, release_given, stays_open
from .saving import chunks

# The file's column for a field a rule names, where they differ.
COLUMN_OF = {"visibility": "published"}

# What the importer writes for the rules whose wording differs from the line
# the importer has always written (which names the file's columns); every
# other rule's line is its wording with the dates compared
# (rules.Violation.line). All are said in the reader's language.
IN_FILES = {
    rules.Code.WITHDRAWN_NEVER_GIVEN: gettext_noop(
        "recognition is withdrawn but was never given: recognized_on is empty"
    ),
    rules.Code.WITHDRAWN_BEFORE_RECOGNIZED: gettext_noop(
        "the withdrawal (%(withdrawn)s) is before the recognition (%(recognized)s)"
    ),
    rules.Code.SECOND_OPEN_DETENTION: gettext_noop(
        "a second open detention: detention %(open_one)s has not ended; "
        "give its release (released_on, release_type) first"
    ),
    rules.Code.PUBLISHED_WITHOUT_SOURCE: gettext_noop(
        "a published person needs a source: give person_sources or sources"
    ),
}


class CheckPass:
    """Checking what spans rows, files and the database (the Importer's
    second step)."""

    def check(self) -> None:
        self._check_facilities()  # facilities.FacilitiesPass
        self._check_stays_only()
        self._check_targets()  # targets.TargetsPass
        self._check_new_events()
        self._check_act_dates()
        self._check_release_event_references()
        self._check_sanctions_references()
        self._check_detention_owners()
        for chunk in chunks(self.people.values()):
            stored = self._stored_people(chunk)
            for plan in chunk:
                self._check_person(plan, stored.get(plan.person_id))
        self._check_sentence_changes()  # sentence_changes.SentenceChangesPass

    def _check_new_events(self) -> None:
        """A new event needs its required columns (a stored one keeps the
        values of absent columns)."""
        for kind, model in ((RELEASE_EVENTS, ReleaseEvent), (SANCTIONS_EVENTS, SanctionsEvent)):
            plans = self.events[kind]
            stored = set()
            for chunk in chunks(plans):
                stored.update(
                    model.objects.filter(event_id__in=chunk).values_list("event_id", flat=True)
                )
            for plan in plans.values():
                if plan.key in stored:
                    continue
                for column in kind.columns:
                    if column.required and column.name not in plan.present:
                        self.problems.add(plan.path, plan.line, column.name, REQUIRED)

    def _check_act_dates(self) -> None:
        """A sanctions act expires after it takes effect (rules.expiry_after_effect)."""
        plans = self.events[SANCTIONS_EVENTS]
        stored = {}
        for chunk in chunks(plans):
            stored.update(
                (e.event_id, (e.effective_on, e.expires_on))
                for e in SanctionsEvent.objects.filter(event_id__in=chunk)
            )
        for plan in plans.values():
            dates = dict(
                zip(("effective_on", "expires_on"), stored.get(plan.key, (None, None)), strict=True)
            )
            for column in ("effective_on", "expires_on"):
                if column in plan.present - plan.broken:
                    value = plan.values.get(column)
                    dates[column] = date.fromisoformat(value) if value else None
            self._refuse(
                (plan.path, plan.line),
                rules.expiry_after_effect(dates["expires_on"], dates["effective_on"]),
            )

    def _check_release_event_references(self) -> None:
        in_files = self.events[RELEASE_EVENTS]
        for event_id, plan in in_files.items():
            if "date" in plan.values:
                self.release_event_dates[event_id] = plan.values["date"]
        wanted = {
            d.values["release_event"]
            for d in self.detentions.values()
            if d.values.get("release_event") and d.values["release_event"] not in in_files
        }
        for chunk in chunks(wanted):
            for event in ReleaseEvent.objects.filter(event_id__in=chunk):
                self.release_event_dates[event.event_id] = str(event.date)
        for plan in self.detentions.values():
            event_id = plan.values.get("release_event")
            if event_id and event_id not in in_files and event_id not in self.release_event_dates:
                self.problems.add(
                    plan.path,
                    plan.line,
                    "release_event",
                    say(
                        "unknown release event %(id)r: not in the database "
                        "nor in a release events file of this import",
                        id=event_id,
                    ),
                )

    def _check_sanctions_references(self) -> None:
        in_files = self.events[SANCTIONS_EVENTS]
        wanted = {
            event_id
            for plan in self.events[RELEASE_EVENTS].values()
            for event_id in plan.values.get("sanctions", ())
            if event_id not in in_files
        }
        stored = set()
        for chunk in chunks(wanted):
            stored.update(
                SanctionsEvent.objects.filter(event_id__in=chunk).values_list("event_id", flat=True)
            )
        for plan in self.events[RELEASE_EVENTS].values():
            for event_id in plan.values.get("sanctions", ()):
                if event_id not in in_files and event_id not in stored:
                    self.problems.add(
                        plan.path,
                        plan.line,
                        "sanctions",
                        say(
                            "unknown sanctions event %(id)r: not in the database "
                            "nor in a sanctions events file of this import",
                            id=event_id,
                        ),
                    )

    def _check_detention_owners(self) -> None:
        owner_of_row = {
            detention.key: person.person_id
            for person in self.people.values()
            for detention in person.detentions
        }
        for chunk in chunks(self.detentions):
            stored = Detention.objects.filter(detention_id__in=chunk).values_list(
                "detention_id", "person__person_id"
            )
            for detention_id, owner in stored:
                if owner != owner_of_row[detention_id]:
                    plan = self.detentions[detention_id]
                    self.problems.add(
                        plan.path,
                        plan.line,
                        "detention_id",
                        say(
                            "detention %(id)s belongs to person %(person)s",
                            id=detention_id,
                            person=owner,
                        ),
                    )

    def _check_person(self, plan: PersonPlan, stored: Person | None) -> None:
        person = self._final_person(plan, stored)
        detentions = self._final_detentions(plan, stored)
        if not person["name"] and "name" not in plan.broken:
            self.problems.add(plan.path, plan.line, "name", REQUIRED)
        born, died = date_of(person["born"]), date_of(person["died_on"])
        recognized = date_of(person["recognized_on"])
        withdrawn = date_of(person["recognition_withdrawn_on"])
        for violation in (
            rules.death_not_before_birth(died, born),
            rules.withdrawal_not_before_recognition(withdrawn, recognized),
        ):
            if violation:
                at = plan.at(violation.field)
                self._refuse(at, violation, withdrawn=withdrawn, recognized=recognized)
        open_one = None
        for row, stored_detention, values in detentions:
            at = (row.path, row.line) if row else plan.at("died_on")
            detention_id = row.key if row else stored_detention.detention_id
            detained = date_of(values["detained_on"])
            released = date_of(values["released_on"])
            self._refuse(
                at, rules.sentence_not_before_arrest(date_of(values["sentenced_on"]), detained)
            )
            self._refuse(
                at,
                rules.expected_release_not_before_arrest(
                    date_of(values["expected_release_on"]), detained
                ),
            )
            if stored_detention is not None:
                self._check_stored_changes(at, stored_detention, values)
            if release_given(values):
                if not released and not values["release_event"]:
                    self.problems.add(
                        *at,
                        "released_on",
                        say("a release needs a date: give released_on or a release_event"),
                    )
                if not values["release_type"] and not (row and "release_type" in row.broken):
                    self.problems.add(
                        *at, "release_type", say("release_type is required with a release")
                    )
                self._refuse(at, rules.release_not_before_arrest(released, detained))
            self._refuse(at, rules.death_not_before_arrest(died, detained, detention_id))
            if row and row.broken:
                continue
            if row:
                self._check_stays(at, detention_id, stored_detention, values, person["died_on"])
            opens = stays_open(values, person["died_on"])
            self._refuse(
                at, rules.one_open_detention(opens, open_one is not None), open_one=open_one
            )
            if opens and open_one is None:
                open_one = detention_id
        has_source = bool(person["person_sources"]) or any(
            values["sources"] for _row, _stored, values in detentions
        )
        self._refuse(
            plan.at("published"),
            rules.source_to_publish(VISIBILITY_OF[person["published"]], has_source),
        )
        if stored is not None and not self.can_publish:
            changed = public_columns_changed(person_values(stored), person, detentions)
            who = say("person %(id)s", id=plan.person_id)
            violation = rules.published_change_by(False, stored.visibility, changed, who)
            if violation:
                self.problems.add(plan.path, plan.line, changed[0], violation.line())

    def _check_stored_changes(self, at, detention: Detention, values: dict) -> None:
        """The detention's recorded sentence changes stay after its arrest and
        sentence as the files move them (said on the date moved)."""
        detained, sentenced = date_of(values["detained_on"]), date_of(values["sentenced_on"])
        for change in detention.sentence_changes.all():
            for column, violation in (
                (
                    "detained_on",
                    rules.sentence_change_not_before_arrest(change.changed_on, detained),
                ),
                (
                    "sentenced_on",
                    rules.sentence_change_not_before_sentence(change.changed_on, sentenced),
                ),
            ):
                if violation:
                    self.problems.add(*at, column, violation.line())

    def _refuse(self, at: tuple[str, int], violation: rules.Violation | None, **values) -> None:
        """Report ``violation`` (if any) at ``at``, (path, line), on its column."""
        if violation is None:
            return
        column = COLUMN_OF.get(violation.field, violation.field)
        template = IN_FILES.get(violation.code)
        message = say(template, **values) if template else violation.line()
        self.problems.add(*at, column, message)
