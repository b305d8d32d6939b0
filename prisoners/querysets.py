"""Querysets named after the questions curators and journalists ask."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Exists, OuterRef, Q


class Visibility(models.TextChoices):
    PUBLISHED = "published", "published"
    DRAFT = "draft", "draft"
    ANONYMOUS = "anonymous", "anonymous"


class PersonQuerySet(models.QuerySet):
    def published(self) -> PersonQuerySet:
        """People the public may see by name."""
        return self.filter(visibility=Visibility.PUBLISHED)

    def counted(self) -> PersonQuerySet:
        """People who count in totals and charts: published or anonymous.

        Anonymous people are never named, but NGO totals include them; drafts
        are not yet checked and count nowhere."""
        return self.filter(visibility__in=[Visibility.PUBLISHED, Visibility.ANONYMOUS])

    def recognized_on(self, day: date) -> PersonQuerySet:
        """Recognized as political prisoners on or before ``day`` and not
        withdrawn by then (an empty withdrawal date: never withdrawn)."""
        return self.filter(recognized_on_first__lte=day).filter(
            Q(recognition_withdrawn_on_first__isnull=True)
            | Q(recognition_withdrawn_on_first__gt=day)
        )

    def held_on(self, day: date) -> PersonQuerySet:
        """People with a detention held on ``day``."""
        from .models import Detention

        held = Detention.objects.held_on(day).filter(person=OuterRef("pk"))
        return self.filter(Exists(held))

    def search(self, query: str) -> PersonQuerySet:
        """People with every word of ``query`` in some spelling of their name."""
        from .search import query_terms

        for term in query_terms(query):
            self = self.filter(search_text__contains=term)
        return self


def recognized_held_count(day: date) -> int:
    """The headline figure: recognized political prisoners held on ``day``,
    anonymous people included."""
    from .models import Person

    return Person.objects.counted().recognized_on(day).held_on(day).count()


class DetentionQuerySet(models.QuerySet):
    def ongoing(self) -> DetentionQuerySet:
        """Detentions with no end: the person is still held (or, for an unknown
        start, was held when last heard of)."""
        return self.filter(end_reason="")

    def held_on(self, day: date) -> DetentionQuerySet:
        """Detentions with start <= day < end, on first possible days.

        An open detention (no end) is held on every day from its start. A start
        that is unknown is held on no day. A non-custodial sentence ends at
        sentencing; without a sentencing date its end is unknown (NULL), so the
        comparison fails and it is held on no day."""
        return self.filter(detained_on_first__lte=day).filter(
            Q(end_reason="") | Q(ended_on_first__gt=day)
        )


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)
