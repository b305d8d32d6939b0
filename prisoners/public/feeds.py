"""Atom feeds: people matching any filter of the list, and release events."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import as_of, local_names, privacy
from ..changes import field_labels
from ..history import data_last_changed
from ..partial_dates import MONTHS_IN_FULL, PartialDate, Precision
from . import errors, queries
from .citation import absolute
from .filters import MonthForm, PersonFilter, ask_changes

ITEMS = 50
# A month's birthdays, by day: the first page of /birthdays/.
BIRTHDAY_ITEMS = 200


def _midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


class SiteFeed(Feed):
    """A feed whose links and ids start with SITE_URL: Django's make them
    from the request's Host header (an absolute link is left as it is)."""

    feed_type = Atom1Feed

    def item_link(self, item):
        return absolute(item.get_absolute_url())


class PersonFeed(SiteFeed):
    """The people of /prisoners/ with the same filters, most recently changed
    first (or in the order asked for)."""

    title = _("Political prisoners")
    subtitle = _("People matching the filters, most recently changed first.")

    def __call__(self, request, *args, **kwargs):
        self.filterset = PersonFilter(request.GET, queryset=privacy.people())
        if not self.filterset.is_valid():
            return errors.text_400(self.filterset.form)
        self.query = request.GET.urlencode()
        return super().__call__(request, *args, **kwargs)

    def link(self):
        url = absolute(reverse("person-list"))
        return f"{url}?{self.query}" if self.query else url

    def feed_url(self):
        url = absolute(reverse("person-feed"))
        return f"{url}?{self.query}" if self.query else url

    def updateddate(self):
        return data_last_changed()

    def items(self):
        people = self.filterset.qs
        if not self.filterset.form.cleaned_data.get("ordering"):
            people = queries.by_last_public_change(people)
        people = list(queries.with_detentions(people)[:ITEMS])
        day = self.filterset.as_of_day()
        # With as_of, each entry as the list showed it then (as_of.py).
        return as_of.as_it_stood(people, day) if day else people

    def item_title(self, person):
        return local_names.display_name(person)

    def item_description(self, person):
        parts = [local_names.shown_status(person)]
        for detention in person.detentions.all():
            text = _("detained %(date)s") % {
                "date": detention.detained_on.display() if detention.detained_on else _("(unknown)")
            }
            release = getattr(detention, "release", None)
            if release is not None:
                text += ", " + _("released %(date)s (%(type)s)") % {
                    "date": release.released_on.display(),
                    "type": release.get_release_type_display(),
                }
            parts.append(text)
        return "; ".join(parts)

    def item_updateddate(self, person):
        # Their record, detentions, releases or sources, as the public saw
        # them (data_version.py); never a draft's edit or a private note.
        return person.public_changed_at


class ReleaseEventFeed(SiteFeed):
    title = _("Group releases of political prisoners")
    subtitle = _("Release events, newest first.")

    def link(self):
        return absolute(reverse("release-list"))

    def feed_url(self):
        return absolute(reverse("release-feed"))

    def updateddate(self):
        return data_last_changed()

    def items(self):
        return queries.with_last_change(queries.release_events())[:ITEMS]

    def item_title(self, event):
        return f"{event.date.display()}: {event.shown_title}"

    def item_description(self, event):
        text = ngettext(
            "%(recorded)s release recorded",
            "%(recorded)s releases recorded",
            event.recorded_count,
        ) % {"recorded": event.recorded_count}
        if event.announced_count is not None:
            text += ", " + ngettext(
                "%(announced)s announced", "%(announced)s announced", event.announced_count
            ) % {"announced": event.announced_count}
        if event.negotiator:
            text += ". " + _("Negotiator: %(who)s") % {"who": event.negotiator}
        return f"{text}. {event.shown_description}".strip()

    def item_pubdate(self, event):
        return _midnight(event.date.first)

    def item_updateddate(self, event):
        return event.changed


class ChangesFeed(SiteFeed):
    """/changes/ as a feed: each named change an entry, newest first."""

    title = _("Changes to the list of political prisoners")

    def __call__(self, request, *args, **kwargs):
        self.asked = ask_changes(request.GET)
        if self.asked.changes is None:
            return errors.text_400(self.asked.errors)
        self.query = request.GET.urlencode()
        return super().__call__(request, *args, **kwargs)

    def subtitle(self):
        changes = self.asked.changes
        return _("What changed in the public list from %(start)s to %(end)s.") % {
            "start": changes.start.isoformat(),
            "end": changes.end.isoformat(),
        }

    def link(self):
        url = absolute(reverse("changes"))
        return f"{url}?{self.query}" if self.query else url

    def feed_url(self):
        url = absolute(reverse("changes-feed"))
        return f"{url}?{self.query}" if self.query else url

    def updateddate(self):
        return data_last_changed()

    def items(self):
        return self.asked.changes.named()[: ITEMS * 4]

    def item_title(self, change):
        return f"{change.kind.label}: {local_names.display_name(change.person)}"

    def item_link(self, change):
        return absolute(change.person.get_absolute_url())

    def item_guid(self, change):
        return f"{self.item_link(change)}#{change.kind.value}-{change.day.isoformat()}"

    def item_description(self, change):
        parts = [change.day.isoformat()]
        if change.fields:
            parts.append(", ".join(field_labels(change.fields)))
        if change.detained_on:
            parts.append(_("detained %(date)s") % {"date": change.detained_on.display()})
        if change.released_on:
            parts.append(_("released %(date)s") % {"date": change.released_on.display()})
        if change.release_event:
            parts.append(change.release_event.shown_title)
        return "; ".join(parts)

    def item_pubdate(self, change):
        return _midnight(change.day)

    def item_updateddate(self, change):
        return _midnight(change.day)


class BirthdayFeed(SiteFeed):
    """The birthdays of a month of the people held now, by day, each with
    where to write where the public may see it (as /birthdays/)."""

    subtitle = _("Birthdays of political prisoners held now, and where to write to them.")

    def __call__(self, request, *args, **kwargs):
        self.today = timezone.localdate()
        form = MonthForm(request.GET, today=self.today)
        if not form.is_valid():
            return errors.text_400(form)
        self.month = form.cleaned_data["month"]
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return _("Birthdays: %(month)s") % {"month": MONTHS_IN_FULL[self.month - 1]}

    def link(self):
        return absolute(f"{reverse('birthdays')}?month={self.month}")

    def feed_url(self):
        return absolute(f"{reverse('birthday-feed')}?month={self.month}")

    def updateddate(self):
        return data_last_changed()

    def items(self):
        return queries.birthday_rows(
            queries.birthdays(self.month)[:BIRTHDAY_ITEMS], self.month, self.today
        )

    def item_title(self, row):
        return ngettext(
            "%(day)s: %(name)s turns %(age)s", "%(day)s: %(name)s turns %(age)s", row.age
        ) % {
            "day": PartialDate(row.day, Precision.DAY).display(),
            "name": local_names.display_name(row.person),
            "age": row.age,
        }

    def item_link(self, row):
        return absolute(row.person.get_absolute_url())

    def item_description(self, row):
        if row.letter is None:
            return ""
        address = row.letter.address_ru or row.letter.address_be
        return f"{row.letter.addressee}\n{address}"

    def item_pubdate(self, row):
        return _midnight(row.day)

    def item_updateddate(self, row):
        return row.person.public_changed_at
