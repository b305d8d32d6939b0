"""sanctions_targets.csv, and the ``target`` column of sanctions_events.csv
that names targets by target_id, name or alias.

A target is a record (SanctionsTarget) with aliases and its ids on the
official lists. A sanctions event's ``target`` cell lists its targets,
``;``-separated, each by its target_id, its name or one of its aliases (case
and spacing ignored), among the stored targets and those of a
sanctions_targets.csv of the same import; a name that matches none makes a
new target (kind ``other``, its id made from the name) for a curator to
complete. The export writes target ids.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.text import slugify

from .. import privacy
from ..choices import TargetKind
from ..messages import say
from ..models import SanctionsTarget, Source
from .columns import SANCTIONS_EVENTS, SANCTIONS_TARGETS
from .event_values import sanctions_target_values
from .plans import RowPlan
from .reading import Table
from .saving import chunks
from .writing import REFUSED_RECORD

LABEL = SANCTIONS_TARGETS.name
SCALARS = [c for c in SANCTIONS_TARGETS.names if c not in ("target_id", "sources")]
NEW_TARGET = {c.name: c.empty for c in SANCTIONS_TARGETS.columns} | {"kind": TargetKind.OTHER}


def name_key(name: str) -> str:
    """A name as compared: case and spacing ignored."""
    return " ".join(name.split()).casefold()


def new_target_id(name: str, taken: set[str]) -> str:
    """An id made from ``name`` (``Belavia`` → ``belavia``), numbered when taken."""
    limit = SanctionsTarget._meta.get_field("target_id").max_length - 10
    base = slugify(name)[:limit].strip("-") or "target"
    target_id, n = base, 2
    while target_id in taken:
        target_id, n = f"{base}-{n}", n + 1
    taken.add(target_id)
    return target_id


class TargetsPass:
    """Reading, checking and writing sanctions targets (a part of the Importer)."""

    target_plans: dict[str, RowPlan]

    def _read_targets(self, table: Table, records) -> None:
        self._read_records(table, records, self.target_plans, "target")  # plans.ReadPass

    def _final_target(self, plan: RowPlan, stored: SanctionsTarget | None) -> dict:
        values = sanctions_target_values(stored) if stored else dict(NEW_TARGET)
        for column in plan.present - plan.broken - {"target_id"}:
            values[column] = plan.values.get(column, SANCTIONS_TARGETS.by_name[column].empty)
        values["kind"] = values["kind"] or TargetKind.OTHER
        return values

    def _check_targets(self) -> None:
        """Targets: a name each, no name given twice; then each event's
        targets resolved to target ids (new ones planned)."""
        stored = {t.target_id: t for t in SanctionsTarget.objects.prefetch_related("sources")}
        self.stored_targets = stored
        final = {i: sanctions_target_values(t) for i, t in stored.items()}
        for target_id, plan in self.target_plans.items():
            final[target_id] = self._final_target(plan, stored.get(target_id))
            if not final[target_id]["name"] and "name" not in plan.broken:
                self.problems.add(plan.path, plan.line, "name", "a value is required")
        owners: dict[str, set[str]] = {}
        self.target_ids = set(final)
        names: dict[str, str] = {}
        for target_id, values in final.items():
            if values["name"]:
                earlier = names.setdefault(name_key(values["name"]), target_id)
                if earlier != target_id:
                    plan = self.target_plans.get(target_id) or self.target_plans[earlier]
                    self.problems.add(
                        plan.path,
                        plan.line,
                        "name",
                        say(
                            "target %(id)s has the name %(name)r already",
                            id=earlier,
                            name=values["name"],
                        ),
                    )
            for name in (target_id, values["name"], *values["aliases"]):
                if name:
                    owners.setdefault(name_key(name), set()).add(target_id)
        self._resolve_targets(owners, set(final))

    def _resolve_targets(self, owners: dict[str, set[str]], taken: set[str]) -> None:
        """Each sanctions event's ``target`` names as target ids."""
        self.new_targets: dict[str, str] = {}  # target_id: name
        made: dict[str, str] = {}  # name key: target_id
        for plan in self.events[SANCTIONS_EVENTS].values():
            ids = set()
            for name in plan.values.get("target", ()):
                # A target_id names one target, whatever names others share.
                exact = {name} & self.target_ids
                found = exact or owners.get(name_key(name), set())
                if len(found) > 1:
                    self.problems.add(
                        plan.path,
                        plan.line,
                        "target",
                        say(
                            "%(name)r names several targets (%(ids)s): give the target_id",
                            name=name,
                            ids=", ".join(sorted(found)),
                        ),
                    )
                elif found:
                    ids |= found
                else:
                    key = name_key(name)
                    if key not in made:
                        made[key] = new_target_id(name, taken)
                        self.new_targets[made[key]] = " ".join(name.split())
                    ids.add(made[key])
            if "target" in plan.values:
                plan.values["target"] = tuple(sorted(ids))

    def _write_targets(self) -> None:
        stored = self.stored_targets
        plans = [(i, p, stored.get(i)) for i, p in self.target_plans.items()]
        plans += [(i, None, None) for i in self.new_targets if i not in self.target_plans]
        for target_id, plan, target in plans:
            if plan is not None:
                self.writing = (plan.path, plan.line, REFUSED_RECORD)
                final = self._final_target(plan, target)
            else:
                self.writing = ("-", 0, REFUSED_RECORD)
                final = dict(NEW_TARGET) | {"name": self.new_targets[target_id]}
            current = sanctions_target_values(target) if target else {}
            changed = [c for c in SCALARS if final[c] != current.get(c, object())]
            if target is None:
                target = SanctionsTarget(target_id=target_id)
            for column in changed:
                value = final[column]
                setattr(target, column, "; ".join(value) if column == "aliases" else value)
            if changed or not current:
                self.history.add(target, "+" if not current else "~")
                target.save()
            m2m_changed = []
            if final["sources"] != current.get("sources", ()):
                sources = [self.references.get(Source, url) for url in final["sources"]]
                self._set(target, "sources", sources, created=not current)
                m2m_changed.append("sources")
            self.targets_by_id[target_id] = target
            self._note(LABEL, target_id, True, changed + m2m_changed, current, final)
        self._flush()

    def targets_named(self, ids) -> list[SanctionsTarget]:
        """The targets of ``ids`` (written by this import, or stored)."""
        missing = [i for i in ids if i not in self.targets_by_id]
        for chunk in chunks(missing):
            self.targets_by_id.update(
                (t.target_id, t) for t in SanctionsTarget.objects.filter(target_id__in=chunk)
            )
        return [self.targets_by_id[i] for i in ids]


def target_rows(targets=None, public: bool = False) -> Iterator[list[str]]:
    """sanctions_targets.csv: the header, then a row per target. Public: the
    targets of published events only (privacy.sanctions_targets())."""
    kind = SANCTIONS_TARGETS
    yield kind.names
    if targets is None:
        targets = SanctionsTarget.objects.order_by("target_id")
    if public:
        targets = targets.filter(pk__in=privacy.sanctions_targets().values("pk"))
    for target in targets.prefetch_related("sources").iterator(chunk_size=1000):
        values = sanctions_target_values(target)
        yield [kind.by_name[column].write(values[column]) for column in kind.names]
