"""The records: people, their detentions and releases, group releases,
sanctions, the sources behind them, and the figures derived from them."""

from ..choices import (
    NON_CUSTODIAL,
    EndReason,
    FacilityKind,
    Gender,
    ReleaseType,
    SanctionsAction,
    SanctionsKind,
    SentenceChangeKind,
    SentenceType,
    Standing,
    Status,
    TargetKind,
    Visibility,
)
from .base import EVENT_ID_LETTER, ID_PATTERN, LONG_TEXT, PRIVATE, PUBLIC
from .derived import (
    ChangesDay,
    ChangesState,
    EventCount,
    FacetCount,
    FigureBuild,
    HeldChange,
    ReleaseDay,
    StoredChange,
)
from .events import ReleaseEvent, SanctionsEvent
from .guides import Guide
from .identity import NotSameAs, OtherDetentionId, OtherId
from .imports import ImportJob
from .mappings import ColumnMapping, DateOrder
from .merges import MergeRecord
from .people import Detention, Person
from .references import Charge, Facility, LocalName, Organization, Source
from .releases import Release
from .sanctions import SanctionsTarget
from .sentences import SentenceChange
from .staff import StaffPreference
from .stays import Stay
from .version import DataVersion

__all__ = [
    "EVENT_ID_LETTER",
    "ID_PATTERN",
    "LONG_TEXT",
    "NON_CUSTODIAL",
    "PRIVATE",
    "PUBLIC",
    "ChangesDay",
    "ChangesState",
    "Charge",
    "ColumnMapping",
    "DataVersion",
    "DateOrder",
    "Detention",
    "EndReason",
    "EventCount",
    "FacetCount",
    "Facility",
    "FacilityKind",
    "FigureBuild",
    "Gender",
    "Guide",
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
    "SentenceChange",
    "SentenceChangeKind",
    "SentenceType",
    "Source",
    "StaffPreference",
    "Standing",
    "Status",
    "Stay",
    "StoredChange",
    "TargetKind",
    "Visibility",
]
