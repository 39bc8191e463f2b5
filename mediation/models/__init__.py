"""The data model (DESIGN §4): reference geography, the directory itself, and the people around it."""

from .directory import (
    KindText,
    Location,
    Organization,
    OrganizationKind,
    Service,
    ServiceArea,
    ServiceStatus,
    ServiceType,
    service_types,
)
from .people import (
    AccessRequest,
    AccessRequestState,
    AuditEvent,
    ErrorReport,
    ErrorReportStatus,
    OutboxMessage,
    Revision,
    RevisionState,
    Role,
    User,
    load_user,
)
from .reference import (
    Commune,
    GeocodeCache,
    PlaceName,
    PlaceNameKind,
    PostalCode,
    Province,
    Region,
)

__all__ = [
    "KindText",
    "AccessRequest", "AccessRequestState", "OutboxMessage", "AuditEvent", "Commune", "ErrorReport", "ErrorReportStatus", "GeocodeCache", "Location",
    "Organization", "OrganizationKind", "PlaceName", "PlaceNameKind", "PostalCode", "Province",
    "Region", "Revision", "RevisionState", "Role", "Service", "ServiceArea", "ServiceStatus",
    "ServiceType", "User", "load_user", "service_types",
]
