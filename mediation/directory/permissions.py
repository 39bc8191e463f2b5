"""Who may touch which service: one place answers it for every manage and admin view."""

from sqlalchemy import or_, select

from ..extensions import db
from ..models import Commune, Location, Organization, Service, ServiceArea, ServiceStatus, User


def manageable(user: User):
    """Return a condition on Service: the services this user may see and change.

    A national admin may manage every service; an admin limited to regions or provinces, the
    services covering or located in a commune of their territory. An editor manages the
    services of their organisations, of their communes' own administration and CPAS, and those
    covering or located in one of their communes.
    """
    if user.is_admin:
        if user.is_national_admin:
            return Service.id.is_not(None)
        territory = territory_communes(user)
        return or_(
            Service.id.in_(select(ServiceArea.service_id).where(ServiceArea.refnis.in_(territory))),
            Service.id.in_(select(Location.service_id).where(Location.refnis.in_(territory))),
        )
    refnis = [c.refnis for c in user.communes]
    organization_ids = [o.id for o in user.organizations]
    return or_(
        Service.organization_id.in_(organization_ids),
        Service.organization_id.in_(select(Organization.id).where(Organization.refnis.in_(refnis))),
        Service.id.in_(select(ServiceArea.service_id).where(ServiceArea.refnis.in_(refnis))),
        Service.id.in_(select(Location.service_id).where(Location.refnis.in_(refnis))),
    )


def territory_communes(user: User):
    """A statement selecting the REFNIS of the communes of a limited admin's territory."""
    return select(Commune.refnis).where(or_(
        Commune.region_code.in_([r.code for r in user.regions]),
        Commune.province_code.in_([p.code for p in user.provinces]),
    ))


def in_territory(user: User, refnis: str | None) -> bool:
    """True when a commune lies in this admin's territory (always, for a national admin)."""
    if user.is_national_admin:
        return True
    if refnis is None:
        return False
    return db.session.scalar(territory_communes(user).where(Commune.refnis == refnis)) is not None


def may_manage(user: User, service: Service) -> bool:
    return db.session.scalar(
        select(Service.id).where(Service.id == service.id, manageable(user))) is not None


def managed_service_or_none(user: User, service_id: int) -> Service | None:
    """Return the service if this user may manage it (archived ones excepted), else None."""
    if not 0 < service_id < 2**31:
        return None
    return db.session.scalar(select(Service).where(
        Service.id == service_id, Service.status != ServiceStatus.archived, manageable(user)))
