"""facilities.csv and stays.csv: the facility records, and where each
detention's person was held (a part of the Importer, and the export's rows).

A ``facility`` cell (of stays.csv or prisoners.csv) names a facility by its
facility_id or by its name in any case; an unknown name creates a facility.
A detention's rows in stays.csv are all its stays, in order: when they
differ from the stored ones, they replace them, and the detention's
``facility`` is the last one's (prisoners.csv may leave it empty or give the
same). Without rows in stays.csv, a detention's ``facility`` is its one stay
from the arrest: it is created, moved to another facility, or removed with
it; a detention with several stays, or a dated one, takes a transfer in
stays.csv only (its date is not in prisoners.csv).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Prefetch, QuerySet

from .. import privacy, rules
from ..choices import NameKind
from ..messages import say, say_count
from ..models import Detention, Facility, Source, Stay
from ..models.stays import sync_facility
from .columns import FACILITIES, STAYS, Kind, _text
from .columns import _date as write_date
from .plans import RowPlan, date_of, given_before
from .reading import Table
from .saving import chunks, new_record
from .writing import REFUSED_RECORD

# The column of stays.csv for a field a stay rule names.
STAY_COLUMN = {"started_on": "from", "ended_on": "until"}


def facility_values(facility: Facility) -> dict:
    return {
        "facility_id": facility.facility_id,
        "name": _text(facility.name),
        "name_be": _text(facility.name_be),
        "name_ru": _text(facility.name_ru),
        "kind": facility.kind,
        "region": _text(facility.region),
        "address_be": _text(facility.address_be),
        "address_ru": _text(facility.address_ru),
        "address_checked_on": str(facility.address_checked_on or ""),
        "sources": tuple(sorted(s.url for s in facility.sources.all())),
    }


def stay_values(stay) -> dict:
    """A stored stay's columns (its facility by facility_id, which is stable)."""
    return {
        "detention_id": stay.detention.detention_id,
        "facility": stay.facility.facility_id,
        "from": write_date(stay.started_on),
        "until": write_date(stay.ended_on),
        "sources": tuple(sorted(s.url for s in stay.sources.all())),
    }


def last_stay(stays: list) -> int:
    """The index of the stay the person is held in last: by start (an
    unknown one first), then by order, as Stay.Meta.ordering."""
    return max(
        range(len(stays)),
        key=lambda i: (stays[i][1] is not None, stays[i][1].first if stays[i][1] else date.min, i),
    )


class FacilitiesPass:
    """Reading, checking and writing facilities.csv and stays.csv."""

    facility_plans: dict[str, RowPlan]
    stay_plans: dict[str, list[RowPlan]]

    # Reading

    def _read_facilities(self, table: Table, records) -> None:
        for line, cells in records:
            values, broken = self._parse(table, line, cells)
            facility_id = values.get("facility_id")
            if not facility_id:
                continue
            earlier = self.facility_plans.get(facility_id)
            if earlier is not None:
                table.problem(
                    line,
                    "facility_id",
                    given_before("facility", facility_id, earlier, table),
                )
                continue
            plan = RowPlan(facility_id, table.path, line, table.present, values, broken)
            self.facility_plans[facility_id] = plan
            self._remember_names(values, ("sources", Source))

    def _read_stays(self, table: Table, records) -> None:
        for line, cells in records:
            values, broken = self._parse(table, line, cells)
            detention_id = values.get("detention_id")
            if not detention_id or "facility" not in values:
                continue
            plan = RowPlan(detention_id, table.path, line, table.present, values, broken)
            self.stay_plans.setdefault(detention_id, []).append(plan)
            self._remember_names(values, ("sources", Source))

    # Checking

    def _check_facilities(self) -> None:
        """The facility records, then each ``facility`` cell read as the
        name of the facility it names (what the rest of the import
        compares and writes), and prisoners.csv's ``facility`` against
        the stays given."""
        stored = {f.facility_id: f for f in Facility.objects.all()}
        self.stored_facilities = stored
        by_name = {f.name.lower(): f.facility_id for f in stored.values()}
        for facility_id, plan in self.facility_plans.items():
            name = plan.values.get("name")
            if facility_id not in stored and not name and "name" not in plan.broken:
                self.problems.add(plan.path, plan.line, "name", say("a value is required"))
            if not name:
                continue
            other = by_name.get(name.lower())
            if other is not None and other != facility_id:
                self.problems.add(
                    plan.path,
                    plan.line,
                    "name",
                    say(
                        "facility %(id)s has this name (in any case): one name, one facility",
                        id=other,
                    ),
                )
            by_name[name.lower()] = facility_id
        self.facility_by_name = by_name
        for (kind, name), plan in self.name_plans.items():
            facility_id = by_name.get(name.lower()) if kind == NameKind.FACILITY else None
            if facility_id in self.facility_plans:
                self.problems.add(
                    plan.path,
                    plan.line,
                    "name",
                    say(
                        "facility %(id)s is given in facilities.csv too: give its names there only",
                        id=facility_id,
                    ),
                )
        for row in self.detentions.values():
            if row.values.get("facility"):
                row.values["facility"] = self.facility_name(row.values["facility"])
        for plans in self.stay_plans.values():
            for plan in plans:
                plan.values["facility"] = self.facility_name(plan.values["facility"])
        new_facilities = {p.values.get("name") for p in self.facility_plans.values()}
        named = {
            p.values["facility"]
            for plans in (self.detentions.values(), *self.stay_plans.values())
            for p in plans
            if p.values.get("facility")
        }
        # names.csv's facility rows of older files name a facility too.
        named |= {self.facility_name(n) for k, n in self.name_plans if k == NameKind.FACILITY}
        self.names[Facility] = named - new_facilities
        self._agree_with_stays()

    def facility_name(self, value: str) -> str:
        """The name of the facility a cell names: by facility_id (in the
        files or stored), else by name in any case, else the cell itself
        (a new facility)."""
        plan = self.facility_plans.get(value)
        stored = self.stored_facilities.get(value)
        if plan is not None and plan.values.get("name"):
            return plan.values["name"]
        if stored is not None:
            return stored.name
        facility_id = self.facility_by_name.get(value.lower())
        if facility_id is not None:
            return self.facility_name(facility_id) if facility_id != value else value
        return value

    def _agree_with_stays(self) -> None:
        """prisoners.csv's ``facility`` of a detention with rows in
        stays.csv is empty or the last stay's, and becomes the last stay's."""
        for detention_id, plans in self.stay_plans.items():
            row = self.detentions.get(detention_id)
            if row is None:
                continue
            stays = [(p.values["facility"], date_of(p.values.get("from", ""))) for p in plans]
            last = stays[last_stay(stays)][0]
            given = row.values.get("facility")
            if given and given.lower() != last.lower():
                self.problems.add(
                    row.path,
                    row.line,
                    "facility",
                    say(
                        "differs from the last stay of detention %(id)s in %(path)s "
                        "(%(facility)r): leave it empty or give the same",
                        id=detention_id,
                        path=plans[-1].path,
                        facility=last,
                    ),
                )
            row.values["facility"] = last
            row.present = row.present | {"facility"}

    def _check_stays(self, at, detention_id: str, stored, values: dict, died_on: str) -> None:
        """The stays of a detention of the files (those of stays.csv, else
        the stored ones) lie within its final dates; a ``facility`` changed
        without rows in stays.csv moves only a detention's one undated stay."""
        detained = date_of(values["detained_on"])
        _reason, ended = rules.detention_end(
            date_of(values["released_on"]) if values["released_on"] else None,
            values["sentence_type"],
            date_of(values["sentenced_on"]),
            date_of(died_on),
        )
        plans = self.stay_plans.get(detention_id)
        current = list(stored.stays.all()) if stored else []
        if plans:
            self._refuse_stays(plans, detained, ended)
            return
        for stay in current:
            for violation in rules.stay_within_detention(
                stay.started_on, stay.ended_on, detained, ended
            ):
                self.problems.add(
                    *at,
                    "detention_id",
                    say(
                        "its stay in %(facility)r: %(rule)s",
                        facility=stay.facility.name,
                        rule=violation.line(),
                    ),
                )
        was = stored.facility.name if stored and stored.facility_id else ""
        if values["facility"] != was and not _one_undated(current):
            self.problems.add(
                *at,
                "facility",
                say_count(
                    "detention %(id)s has %(count)s stay, or a dated one: "
                    "give the transfer as a row of stays.csv (with its date)",
                    "detention %(id)s has %(count)s stays, or a dated one: "
                    "give the transfer as a row of stays.csv (with its date)",
                    "count",
                    id=detention_id,
                    count=len(current),
                ),
            )

    def _refuse_stays(self, plans: list[RowPlan], detained, ended) -> None:
        for plan in plans:
            if plan.broken:
                continue
            for violation in rules.stay_within_detention(
                date_of(plan.values.get("from", "")),
                date_of(plan.values.get("until", "")),
                detained,
                ended,
            ):
                column = STAY_COLUMN.get(violation.field, violation.field)
                self.problems.add(plan.path, plan.line, column, violation.line())

    def _check_stays_only(self) -> None:
        """The detentions of stays.csv that prisoners.csv does not give:
        recorded ones, whose stored dates the stays keep within."""
        wanted = [d for d in self.stay_plans if d not in self.detentions]
        found = {}
        for chunk in chunks(wanted):
            found.update(
                (d.detention_id, d) for d in Detention.objects.filter(detention_id__in=chunk)
            )
        for detention_id in wanted:
            plans = self.stay_plans[detention_id]
            detention = found.get(detention_id)
            if detention is None:
                self.problems.add(
                    plans[0].path,
                    plans[0].line,
                    "detention_id",
                    say(
                        "unknown detention %(id)r: not in the database "
                        "nor in a prisoners file of this import",
                        id=detention_id,
                    ),
                )
                continue
            self._refuse_stays(plans, detention.detained_on, detention.ended_on)

    # Writing

    def _write_facilities(self) -> None:
        """facilities.csv's records, before the people who name them."""
        m2m = {"sources"}
        scalars = [c for c in FACILITIES.names if c not in m2m and c != "facility_id"]
        stored = {
            f.facility_id: f
            for f in Facility.objects.filter(
                facility_id__in=list(self.facility_plans)
            ).prefetch_related("sources")
        }
        for plan in self.facility_plans.values():
            self.writing = (plan.path, plan.line, REFUSED_RECORD)
            facility = stored.get(plan.key)
            current = facility_values(facility) if facility else {}
            final = dict(current) or {c.name: c.empty for c in FACILITIES.columns}
            for column in plan.present - plan.broken - {"facility_id"}:
                final[column] = plan.values.get(column, FACILITIES.by_name[column].empty)
            changed = [c for c in scalars if final[c] != current.get(c, object())]
            if facility is None:
                facility = Facility(facility_id=plan.key, kind=final["kind"] or "other")
                self.history.add(facility, "+")
            elif changed:
                self.history.add(facility, "~")
            for column in changed:
                value = final[column] or None if column == "address_checked_on" else final[column]
                setattr(facility, column, value or ("other" if column == "kind" else value))
            if changed or not current:
                facility.save()
            m2m_changed = []
            if final["sources"] != current.get("sources", ()):
                objects = [self.references.get(Source, url) for url in final["sources"]]
                self._set(facility, "sources", objects, created=not current)
                m2m_changed.append("sources")
            self._note("facilities", plan.key, True, changed + m2m_changed, current, final)
        self._flush()

    def _stays_of(self, plans: list[RowPlan]) -> list[tuple]:
        """(facility name, from, until, sources) of each row, in order."""
        return [
            (
                p.values["facility"],
                date_of(p.values.get("from", "")),
                date_of(p.values.get("until", "")),
                tuple(p.values.get("sources", ())),
            )
            for p in plans
        ]

    def _write_stays(self, detention: Detention, stored, final: dict, public: bool) -> None:
        """The detention's stays as the files say: its rows of stays.csv,
        else its one stay in ``facility`` (moved, created or removed)."""
        plans = self.stay_plans.get(detention.detention_id)
        current = list(stored.stays.all()) if stored else []
        if plans:
            wanted = self._stays_of(plans)
        elif final["facility"].lower() == (current[-1].facility.name.lower() if current else ""):
            return
        elif current:
            stay = current[0]  # the one undated stay (checked)
            if final["facility"]:
                self.history.add(stay, "~")
                stay.facility = self.references.get(Facility, final["facility"])
                stay.save()
                self._count("stays", False, True)
            else:
                Stay.objects.filter(pk=stay.pk).delete()
                self.counts["stays"]["deleted"] += 1
            return
        else:
            wanted = [(final["facility"], None, None, ())] if final["facility"] else []
        have = [
            (
                s.facility.name,
                s.started_on,
                s.ended_on,
                tuple(sorted(x.url for x in s.sources.all())),
            )
            for s in current
        ]
        if [(n.lower(), *rest) for n, *rest in have] == [
            (n.lower(), a, b, tuple(sorted(c))) for n, a, b, c in wanted
        ]:
            self.counts["stays"]["unchanged"] += len(have)
            return
        if current:
            Stay.objects.filter(pk__in=[s.pk for s in current]).delete()
            self.counts["stays"]["deleted"] += len(current)
        for name, started_on, ended_on, sources in wanted:
            stay = new_record(
                Stay,
                detention=detention,
                facility=self.references.get(Facility, name),
                started_on=started_on,
                ended_on=ended_on,
            )
            self._insert(stay)
            if sources:
                self.links.add(stay, "sources", [self.references.get(Source, u) for u in sources])
            self._count("stays", True, True)

    def _write_stays_only(self) -> None:
        """The stays of recorded detentions that prisoners.csv does not give."""
        wanted = [d for d in self.stay_plans if d not in self.detentions]
        for chunk in chunks(wanted):
            detentions = Detention.objects.filter(detention_id__in=chunk).prefetch_related(
                stays_prefetch()
            )
            for detention in detentions:
                plans = self.stay_plans[detention.detention_id]
                self.writing = (plans[0].path, plans[0].line, REFUSED_RECORD)
                before = self.counts["stays"].copy()
                self._write_stays(detention, detention, {}, True)
                self._flush()
                if self.counts["stays"] != before:
                    sync_facility(detention.pk)


def _one_undated(stays: list[Stay]) -> bool:
    """No stay, or one whose start is unknown: the detention's one stay from
    its arrest, which prisoners.csv's ``facility`` may move."""
    return not stays or (len(stays) == 1 and stays[0].started_on is None)


def stays_prefetch() -> Prefetch:
    return Prefetch(
        "stays", queryset=Stay.objects.select_related("facility").prefetch_related("sources")
    )


# The export


def facility_rows(public: bool = False, kind: Kind = FACILITIES) -> Iterator[list[str]]:
    """facilities.csv: every facility (public: those privacy.facilities() shows)."""
    yield kind.names
    facilities = privacy.facilities() if public else Facility.objects.all()
    for facility in facilities.order_by("facility_id").prefetch_related("sources").iterator(1000):
        values = facility_values(facility)
        yield [kind.by_name[c].write(values[c]) for c in kind.names]


def stay_rows(stays: QuerySet | None = None, public: bool = False) -> Iterator[list[str]]:
    """stays.csv: every stay, by detention then in order. Public: the stays
    of published people only (never anonymous people or drafts)."""
    yield STAYS.names
    stays = Stay.objects.all() if stays is None else stays
    if public:
        stays = privacy.named_stays(stays)
    stays = stays.select_related("detention", "facility").prefetch_related("sources")
    ordered = stays.order_by("detention__detention_id", *Stay._meta.ordering[1:])
    for stay in ordered.iterator(1000):
        values = stay_values(stay)
        yield [STAYS.by_name[c].write(values[c]) for c in STAYS.names]
