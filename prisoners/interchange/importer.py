"""Import files of the format: check everything, then write everything.

The first pass (plans.py) streams every record of every file, checks each
cell and keeps a compact plan per person and per event (parsed values only).
The second (checks.py) checks what spans rows, files and the database:
references, order of dates, one open detention, a source for a published
person. Only when nothing is wrong does the write pass (writing.py) run, in
one transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, OperationalError, transaction

from ..history import acting_as
from ..messages import Message, say
from ..models import (
    Charge,
    Detention,
    Facility,
    LocalName,
    Organization,
    Person,
    Release,
    ReleaseEvent,
    SanctionsEvent,
    SanctionsTarget,
    SentenceChange,
    Source,
    Stay,
)
from . import dates
from .changes import UNCHANGED, Change
from .checks import CheckPass
from .columns import RELEASE_EVENTS, SANCTIONS_EVENTS, Kind
from .facilities import FacilitiesPass
from .mapping import Mapping
from .matching import Choices, Match, MatchPass
from .names import NamesPass
from .plans import FileArg, PersonPlan, ReadPass, RowPlan
from .reading import Problem, Problems
from .sentence_changes import SentenceChangesPass
from .targets import TargetsPass
from .writing import REFUSED_RECORD, WritePass

# The kinds of records an import counts, and their models (whose names the
# admin's preview shows).
SUMMARY_MODELS = {
    "people": Person,
    "detentions": Detention,
    "releases": Release,
    "release events": ReleaseEvent,
    "sanctions events": SanctionsEvent,
    "sanctions targets": SanctionsTarget,
    "names": LocalName,
    "facilities": Facility,
    "stays": Stay,
    "sentence changes": SentenceChange,
}
SUMMARY_KINDS = list(SUMMARY_MODELS)
Progress = Callable[[Iterable, int | None, str], Iterable]


@dataclass
class ImportResult:
    # Each error, said in the language active when shown (``errors``).
    problems: list[Problem | str] = field(default_factory=list)
    summary: dict[str, Counter] = field(default_factory=dict)
    notices: list[Message | str] = field(default_factory=list)
    dry_run: bool = False
    # New people who probably are recorded ones (each also an error line).
    matches: list[Match] = field(default_factory=list)
    # Every record of the files, in the order written: what the preview lists.
    changes: list[Change] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list[str]:
        """``FILE:LINE: COLUMN: message`` lines in the active language."""
        return [str(problem) for problem in self.problems]

    def summary_lines(self) -> list[str]:
        """``people: 3 created, 1 updated, 10 unchanged`` for each kind touched."""
        lines = []
        for kind in SUMMARY_KINDS:
            counts = self.summary.get(kind, Counter())
            if not counts.total():
                continue
            parts = [f"{counts[w]} {w}" for w in ("created", "updated", "unchanged")]
            if counts["deleted"]:
                parts.append(f"{counts['deleted']} deleted")
            lines.append(f"{kind}: {', '.join(parts)}")
        return lines or ["nothing to import"]

    def change_lines(self, unchanged: bool = False) -> list[str]:
        """Each created or updated record (and, if asked, each unchanged
        one), its changed columns indented below it."""
        return [
            line
            for change in self.changes
            if unchanged or change.action != UNCHANGED
            for line in change.lines()
        ]

    def __str__(self) -> str:
        if not self.ok:
            return "\n".join(self.errors)
        head = ["Dry run: nothing was written."] if self.dry_run else []
        return "\n".join(head + [str(n) for n in self.notices] + self.summary_lines())


def run_import(
    files: Iterable[FileArg],
    *,
    user=None,
    via: str = "command line",
    can_publish: bool = True,
    dry_run: bool = False,
    progress: Progress | None = None,
    choices: Choices | None = None,
    mapping: Mapping | dict | None = None,
    encoding: str | None = None,
) -> ImportResult:
    """Check ``files`` together and, if nothing is wrong, write them in one
    transaction (rolled back when ``dry_run``, which still counts what would
    change). ``files`` are paths or ``(display name, binary file or bytes)``
    pairs; errors name each file by its path or display name.

    ``can_publish=False`` is a curator's import: new records are unpublished
    and the ``published`` column is ignored (with a notice), never an error,
    so that a curator can import a file exported with every column.

    ``choices`` are a curator's answers to the probable matches, by the
    person_id a file gives: the recorded person_id it is (as ``same_as``), or
    a list of those it is not (as ``not_same_as``).

    ``mapping`` (a Mapping, or its file form as a dict) reads each file
    whose header is not the format's; ``encoding="cp1251"`` reads a CSV that
    is not UTF-8 as Windows-1251. Both are JSON-friendly, so that a task can
    take them. Files may be CSV, .xlsx, .xls or .ods (sheets.py).

    Raises OperationalError when the database goes away (or times out)
    while writing: nothing is written, and the files can be imported again."""
    importer = Importer(
        can_publish=can_publish,
        progress=progress,
        mapping=Mapping.coerce(mapping),
        encoding=encoding,
    )
    with dates.parsed_once():
        _check_and_write(importer, files, choices, user, via, dry_run)
    return ImportResult(
        problems=importer.problems.sorted(),
        summary=importer.counts if not importer.problems else {},
        notices=importer.notices,
        dry_run=dry_run,
        matches=importer.matches,
        changes=importer.changes if not importer.problems else [],
    )


def _check_and_write(importer, files, choices, user, via: str, dry_run: bool) -> None:
    importer.read(files)
    importer.resolve(choices)
    importer.check()
    if not importer.problems:
        try:
            with transaction.atomic(), acting_as(user, via):
                importer.write(user, via, history=not dry_run)
                if dry_run:
                    transaction.set_rollback(True)
        except OperationalError:
            # The database went away (or timed out): not a fault of the
            # file. The admin answers its 503 page and keeps the upload.
            raise
        except (DatabaseError, ValidationError) as error:
            # The checks should have caught it; say where it happened.
            path, line, what = importer.writing
            importer.problems.add(path, line, "-", say(what, error=str(error)))


class Importer(
    ReadPass,
    MatchPass,
    CheckPass,
    WritePass,
    NamesPass,
    FacilitiesPass,
    SentenceChangesPass,
    TargetsPass,
):
    """One import: read(), resolve() (who each person is), check(), then,
    only if nothing is wrong, write().
    The three passes share the plans and the problems held here."""

    def __init__(
        self,
        *,
        can_publish: bool,
        progress: Progress | None = None,
        mapping: Mapping | None = None,
        encoding: str | None = None,
    ):
        self.can_publish = can_publish
        self.mapping, self.encoding = mapping, encoding
        self.progress = progress or (lambda items, total, desc: items)
        self.problems = Problems()
        self.notices: list[str] = []
        self.people: dict[str, PersonPlan] = {}
        self.detentions: dict[str, RowPlan] = {}
        self.events: dict[Kind, dict[str, RowPlan]] = {RELEASE_EVENTS: {}, SANCTIONS_EVENTS: {}}
        self.name_plans: dict[tuple[str, str], RowPlan] = {}
        self.facility_plans: dict[str, RowPlan] = {}
        # A detention's rows of stays.csv, in the files' order.
        self.stay_plans: dict[str, list[RowPlan]] = {}
        self.change_plans: dict[tuple[str, str, str], RowPlan] = {}
        self.target_plans: dict[str, RowPlan] = {}
        self.targets_by_id: dict = {}
        # Reference rows named in the files, by model: created when new.
        self.names: dict[type, set[str]] = {
            m: set() for m in (Source, Organization, Charge, Facility)
        }
        self.release_event_dates: dict[str, str] = {}
        self.counts: dict[str, Counter] = {kind: Counter() for kind in SUMMARY_KINDS}
        self.changes: list[Change] = []
        # Where the write pass is, to name it if the database refuses a write.
        self.writing: tuple[str, int, str] = ("-", 0, REFUSED_RECORD)
