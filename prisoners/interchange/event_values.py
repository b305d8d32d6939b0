"""A stored event's or sanctions target's columns, as the files write them
(the exporter writes them; the importer compares a row with them)."""

from __future__ import annotations

from ..models import ReleaseEvent, SanctionsEvent, SanctionsTarget
from ..privacy import is_public
from .columns import _date, _text


def release_event_values(event: ReleaseEvent, public: bool = False) -> dict:
    return {
        "event_id": event.event_id,
        "date": _date(event.date),
        "title": _text(event.title),
        "title_be": _text(event.title_be),
        "title_ru": _text(event.title_ru),
        "announced_count": event.announced_count,
        "negotiator": _text(event.negotiator),
        "sanctions": tuple(
            sorted(s.event_id for s in event.sanctions.all() if is_public(s) or not public)
        ),
        "description": _text(event.description),
        "description_be": _text(event.description_be),
        "description_ru": _text(event.description_ru),
        "sources": tuple(sorted(s.url for s in event.sources.all())),
        "published": event.published,
    }


def sanctions_event_values(event: SanctionsEvent) -> dict:
    return {
        "event_id": event.event_id,
        "date": _date(event.date),
        "authority": _text(event.authority),
        "kind": event.kind,
        "action": event.action,
        "target": tuple(sorted(t.target_id for t in event.targets.all())),
        "sector": _text(event.sector),
        "legal_reference": _text(event.legal_reference),
        "official_url": _text(event.official_url),
        "effective_on": _text(event.effective_on and event.effective_on.isoformat()),
        "expires_on": _text(event.expires_on and event.expires_on.isoformat()),
        "description": _text(event.description),
        "description_be": _text(event.description_be),
        "description_ru": _text(event.description_ru),
        "sources": tuple(sorted(s.url for s in event.sources.all())),
        "published": event.published,
    }


def sanctions_target_values(target: SanctionsTarget) -> dict:
    return {
        "target_id": target.target_id,
        "name": _text(target.name),
        "name_be": _text(target.name_be),
        "name_ru": _text(target.name_ru),
        "aliases": tuple(target.alias_list),
        "kind": target.kind,
        "country": _text(target.country),
        "ofac_id": _text(target.ofac_id),
        "eu_id": _text(target.eu_id),
        "opensanctions_id": _text(target.opensanctions_id),
        "sources": tuple(sorted(s.url for s in target.sources.all())),
    }
