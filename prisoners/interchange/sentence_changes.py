"""sentence_changes.csv: how a detention's sentence changed after the first
verdict (an appeal, an additional sentence inside, a commutation…).

A row is known by (detention_id, changed_on, kind): importing the same file
again changes nothing, and a row whose term or sources differ updates the
stored change. A change the file does not name is kept (deleting one is a
curator's act in the admin). The detention is one recorded or one given in a
prisoners.csv of the same import. Each change is saved through its model's
save(), which writes the detention's derived columns (Detention.sync_term):
changes are few beside the people they belong to.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from .. import privacy, rules
from ..choices import Visibility
from ..messages import say
from ..models import Detention, SentenceChange, Source
from .bulk_values import _date
from .columns import SENTENCE_CHANGES, Kind
from .columns import _date as write_date
from .plans import RowPlan, date_of, given_before
from .reading import Table
from .saving import chunks
from .writing import REFUSED_RECORD

# The columns a stored change may differ in from its row.
SCALARS = ["sentence_type", "sentence_months"]


def sentence_change_key(detention_id: str, changed_on: str, kind: str) -> str:
    """How a row of sentence_changes.csv is named in errors and the preview."""
    return f"{detention_id} {changed_on} {kind}"


def sentence_change_values(change: SentenceChange) -> dict:
    """The columns of sentence_changes.csv for a stored change (its detention
    and sources read through the instance, so a select/prefetch serves them)."""
    return {
        "detention_id": change.detention.detention_id,
        "changed_on": write_date(change.changed_on),
        "kind": change.kind,
        "sentence_type": change.sentence_type,
        "sentence_months": change.sentence_months,
        "sources": tuple(sorted(s.url for s in change.sources.all())),
    }


class SentenceChangesPass:
    """Reading, checking and writing sentence_changes.csv (a part of the
    Importer)."""

    change_plans: dict[tuple[str, str, str], RowPlan]

    def _read_sentence_changes(self, table: Table, records) -> None:
        for line, cells in records:
            values, broken = self._parse(table, line, cells)
            key = tuple(values.get(c) for c in ("detention_id", "changed_on", "kind"))
            if not all(key):
                continue
            earlier = self.change_plans.get(key)
            if earlier is not None:
                table.problem(line, "changed_on", given_before("change", key[0], earlier, table))
                continue
            plan = RowPlan(
                sentence_change_key(*key), table.path, line, table.present, values, broken
            )
            self.change_plans[key] = plan
            self._remember_names(values, ("sources", Source))

    def _detention_dates(self) -> dict[str, dict]:
        """For each detention the changes name: its person's visibility, and
        its arrest and sentence dates as they will be (the files' prisoners.csv
        row over what is recorded)."""
        wanted = {key[0] for key in self.change_plans}
        found: dict[str, dict] = {}
        for chunk in chunks(wanted):
            stored = Detention.objects.filter(detention_id__in=chunk).values(
                "detention_id",
                "person__visibility",
                "detained_on_first",
                "detained_on_precision",
                "sentenced_on_first",
                "sentenced_on_precision",
            )
            for row in stored:
                found[row["detention_id"]] = {
                    "visibility": row["person__visibility"],
                    **{name: _date(row, name) for name in ("detained_on", "sentenced_on")},
                }
        in_files = {plan.key: plan for plan in self.detentions.values()}
        in_files.update(self.detentions)
        for detention_id in wanted:
            plan = in_files.get(detention_id)
            if plan is None:
                continue
            dates = found.setdefault(
                detention_id,
                {"visibility": Visibility.DRAFT, "detained_on": "", "sentenced_on": ""},
            )
            for name in ("detained_on", "sentenced_on"):
                if name in plan.present and name not in plan.broken:
                    dates[name] = plan.values.get(name, "")
        return found

    def _check_sentence_changes(self) -> None:
        if not self.change_plans:
            return
        detentions = self._detention_dates()
        stored = self._stored_changes()
        for key, plan in self.change_plans.items():
            detention_id, changed_on, _kind = key
            dates = detentions.get(detention_id)
            if dates is None:
                self.problems.add(
                    plan.path,
                    plan.line,
                    "detention_id",
                    say(
                        "unknown detention %(id)r: not in the database "
                        "nor in a prisoners file of this import",
                        id=detention_id,
                    ),
                )
                continue
            changed = date_of(changed_on)
            for violation in (
                rules.sentence_change_not_before_arrest(changed, date_of(dates["detained_on"])),
                rules.sentence_change_not_before_sentence(changed, date_of(dates["sentenced_on"])),
            ):
                if violation:
                    self.problems.add(plan.path, plan.line, "changed_on", violation.line())
            if not self.can_publish and dates["visibility"] == Visibility.PUBLISHED:
                current = stored.get(key)
                final = self._final_change(plan, current)
                columns = [c for c in SENTENCE_CHANGES.names if final[c] != (current or {}).get(c)]
                violation = rules.published_change_by(
                    False,
                    dates["visibility"],
                    columns,
                    say("the person of %(id)s", id=detention_id),
                )
                if violation:
                    self.problems.add(plan.path, plan.line, columns[0], violation.line())

    def _stored_changes(self) -> dict[tuple[str, str, str], dict]:
        """The stored changes of the detentions named, by key, as values."""
        return {key: values for key, (_change, values) in self._stored_records().items()}

    def _stored_records(self) -> dict[tuple[str, str, str], tuple[SentenceChange, dict]]:
        wanted = {key[0] for key in self.change_plans}
        found = {}
        for chunk in chunks(wanted):
            changes = (
                SentenceChange.objects.filter(detention__detention_id__in=chunk)
                .select_related("detention__person")
                .prefetch_related("sources")
            )
            for change in changes:
                values = sentence_change_values(change)
                key = (values["detention_id"], values["changed_on"], values["kind"])
                found[key] = (change, values)
        return found

    @staticmethod
    def _final_change(plan: RowPlan, current: dict | None) -> dict:
        final = dict(current) if current else {c.name: c.empty for c in SENTENCE_CHANGES.columns}
        for column in plan.present - plan.broken:
            final[column] = plan.values.get(column, SENTENCE_CHANGES.by_name[column].empty)
        return final

    def _write_sentence_changes(self) -> None:
        if not self.change_plans:
            return
        stored = self._stored_records()
        detentions = {}
        for chunk in chunks({key[0] for key in self.change_plans}):
            query = Detention.objects.filter(detention_id__in=chunk).select_related("person")
            detentions.update((d.detention_id, d) for d in query)
        for key, plan in self.change_plans.items():
            self.writing = (plan.path, plan.line, REFUSED_RECORD)
            change, current = stored.get(key, (None, {}))
            final = self._final_change(plan, current or None)
            changed = [c for c in SCALARS if final[c] != current.get(c, object())]
            if change is None:
                change = SentenceChange(detention=detentions[key[0]], kind=key[2])
                change.changed_on = key[1]
                self.history.add(change, "+")
            elif changed:
                self.history.add(change, "~")
            for column in changed:
                setattr(change, column, final[column])
            if changed or change.pk is None:
                change.save()
            sources_changed = final["sources"] != current.get("sources", ())
            if sources_changed:
                urls = [self.references.get(Source, url) for url in final["sources"]]
                self._set(change, "sources", urls, created=not current)
            public = change.detention.person.visibility == Visibility.PUBLISHED
            all_changed = changed + (["sources"] if sources_changed else [])
            self._note(SENTENCE_CHANGES.name, plan.key, public, all_changed, current, final)
        self._flush()


def sentence_change_rows(
    people: QuerySet, public: bool = False, kind: Kind = SENTENCE_CHANGES
) -> Iterator[list[str]]:
    """sentence_changes.csv: the changes of ``people``'s detentions, by
    detention and date. Public: those of published people only, public as
    their sentences are."""
    yield kind.names
    changes = privacy.sentence_changes() if public else SentenceChange.objects.all()
    changes = (
        changes.filter(detention__person__in=people.values("pk"))
        .select_related("detention")
        .prefetch_related("sources")
        .order_by("detention__detention_id", "changed_on_first", "kind", "id")
    )
    for change in changes.iterator(chunk_size=1000):
        values = sentence_change_values(change)
        yield [kind.by_name[column].write(values[column]) for column in kind.names]
