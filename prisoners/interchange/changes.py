"""What an import changes, record by record: the preview's list.

The write pass knows each record's stored and final values; it notes one
Change per record of the files (people, detentions with their release,
release events, sanctions events), with the columns an update changes, each
before and after as the file would write them. Only what the preview shows
is kept: a long text is cut to the stretch around its first difference, so
that a 60,000-row import keeps a list of small rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..privacy import private_field_names
from .columns import EMPTY_DETENTION, detention_values

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
ACTIONS = (CREATED, UPDATED, UNCHANGED)
# The longest before or after kept; a longer text is cut around where the
# two first differ.
SHOWN = 240
LEAD = 60


@dataclass(frozen=True, slots=True)
class Change:
    """One record of an import: its kind ("people", "detentions", "release
    events", "sanctions events"), id, action (created, updated, unchanged),
    whether it is public (published before or after: what curators must
    see), and for an update, each changed column as (name, before, after)."""

    kind: str
    id: str
    action: str
    published: bool
    fields: tuple[tuple[str, str, str], ...] = ()

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "id": self.id,
            "action": self.action,
            "published": self.published,
            "fields": [list(f) for f in self.fields],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Change:
        return cls(
            data["kind"],
            data["id"],
            data["action"],
            data["published"],
            tuple(tuple(f) for f in data["fields"]),
        )

    def lines(self) -> list[str]:
        """For the command line: one line, then each changed column indented."""
        mark = " [published]" if self.published else ""
        head = [f"{self.action} {self.kind} {self.id}{mark}"]
        return head + [f"    {name}: {before!r} → {after!r}" for name, before, after in self.fields]


def excerpt(before: str, after: str) -> tuple[str, str]:
    """``before`` and ``after``, each cut to SHOWN characters around the
    first place they differ when longer."""
    if len(before) <= SHOWN and len(after) <= SHOWN:
        return before, after
    same = 0
    for a, b in zip(before, after, strict=False):
        if a != b:
            break
        same += 1
    start = max(0, same - LEAD)
    return _cut(before, start), _cut(after, start)


def _cut(text: str, start: int) -> str:
    part = text[start : start + SHOWN]
    return ("…" if start else "") + part + ("…" if start + SHOWN < len(text) else "")


def field_changes(columns, names, current: dict, final: dict) -> tuple:
    """(name, before, after) of each of ``names``, written as the file's
    ``columns`` (a name → Column mapping) write them."""
    out = []
    for name in names:
        column = columns[name]
        before = column.write(current.get(name, column.empty))
        after = column.write(final[name])
        out.append((name, *excerpt(before, after)))
    return tuple(out)


def public_columns_changed(stored_person: dict, final_person: dict, detentions) -> list[str]:
    """The columns an import changes in what the public sees of a stored
    person: their columns but the private ones, and any detention (with its
    release) of the files that is new or differs. ``detentions`` are the
    ``(row, stored detention, final values)`` of plans.py."""
    private = private_field_names() | {"person_id", "published"}
    changed = [
        name
        for name, value in final_person.items()
        if name not in private and stored_person.get(name) != value
    ]
    for row, stored, values in detentions:
        if row is None:
            continue
        current = detention_values(stored) if stored else EMPTY_DETENTION
        changed += [c for c, value in values.items() if c not in changed and current[c] != value]
    return changed
