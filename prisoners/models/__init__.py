"""The records: people, their detentions and releases, group releases,
sanctions, the sources behind them, and the figures derived from them."""

from ..choices import (
    NON_CUSTODIAL,
    EndReason,
    Gender,
    ReleaseType,
    SanctionsAction,
    SanctionsKind,
    SentenceType,
    Standing,
    Status,
    TargetKind,
    Visibility,
)
from .base import EVENT_ID_LETTER, ID_PATTERN, LONG_TEXT, PRIVATE, PUBLIC
from .derived import EventCount, FacetCount, FigureBuild, HeldChange, ReleaseDay
from .events import ReleaseEvent, SanctionsEvent
from .identity import NotSameAs, OtherDetentionId, OtherId
from .imports import ImportJob
from .mappings import ColumnMapping, DateOrder
from .merges import MergeRecord
from .people import Detention, Person, Release
from .references import Charge, Facility, LocalName, Organization, Source
from .sanctions import SanctionsTarget
from .staff import StaffPreference
from .version import DataVersion

__all__ = [
    "EVENT_ID_LETTER",
    "ID_PATTERN",
    "LONG_TEXT",
    "NON_CUSTODIAL",
    "PRIVATE",
    "PUBLIC",
    "Charge",
    "ColumnMapping",
    "DataVersion",
    "DateOrder",
    "Detention",
    "EndReason",
    "EventCount",
    "FacetCount",
    "Facility",
    "FigureBuild",
    "Gender",
    "HeldChange",
    "ImportJob",
    "LocalName",
    "MergeRecord",
    "NotSameAs",
    "Organization",
    "OtherDetentionId",
    "OtherId",
    "Person",
    "Release",
    "ReleaseDay",
    "ReleaseEvent",
    "ReleaseType",
    "SanctionsAction",
    "SanctionsEvent",
    "SanctionsKind",
    "SanctionsTarget",
    "SentenceType",
    "Source",
    "StaffPreference",
    "Standing",
    "Status",
    "TargetKind",
    "Visibility",
]
