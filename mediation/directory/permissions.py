"""Who may touch which service: one place answers it for every manage and admin view."""

from sqlalchemy import or_, select

from ..extensions import db
from ..models import Location, Organization, Service, ServiceArea, ServiceStatus, User


def manageable(user: User):
    """Return a condition on Service: the services this user may see and change.

    An admin may manage every service (limits per territory belong to the admin area). An
    editor manages the services of their organisations, of their communes' own administration
    and CPAS, and those covering or located in one of their communes.
    """
    if user.is_admin:
        return Service.id.is_not(None)
    refnis = [c.refnis for c in user.communes]
    organization_ids = [o.id for o in user.organizations]
    return or_(
        Service.organization_id.in_(organization_ids),
        Service.organization_id.in_(select(Organization.id).where(Organization.refnis.in_(refnis))),
        Service.id.in_(select(ServiceArea.service_id).where(ServiceArea.refnis.in_(refnis))),
        Service.id.in_(select(Location.service_id).where(Location.refnis.in_(refnis))),
    )


def may_manage(user: User, service: Service) -> bool:
    return db.session.scalar(
        select(Service.id).where(Service.id == service.id, manageable(user))) is not None


def managed_service_or_none(user: User, service_id: int) -> Service | None:
    """Return the service if this user may manage it (archived ones excepted), else None."""
    if not 0 < service_id < 2**31:
        return None
    return db.session.scalar(select(Service).where(
        Service.id == service_id, Service.status != ServiceStatus.archived, manageable(user)))
