"""Reads for harvesters: the published services and their organisations page by page, what
changed after a moment, and the services taken off the directory since then."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...gazetteer import normalise
from ...models import Location, Organization, Service, ServiceArea, ServiceStatus

TEXT_LANGUAGES = ("fr", "nl", "de", "en")


@dataclass(frozen=True)
class Harvest:
    """What a harvester asks for: changes after a moment, words of a name."""

    modified_after: datetime | None = None
    search: str | None = None


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int


def _search_conditions(words: str | None) -> list:
    # Escaped: a "%" or "_" typed is a character sought, not a wildcard.
    return [Service.search_key.contains(word, autoescape=True)
            for word in normalise(words or "").split()]


def service_conditions(harvest: Harvest) -> list:
    """The services a harvester is given: the published ones, and, when it asks for changes
    after a moment, every other service written since then, to be reported as removed."""
    conditions = _search_conditions(harvest.search)
    if harvest.modified_after is None:
        return [Service.status == ServiceStatus.published, *conditions]
    return [Service.updated_at > harvest.modified_after, *conditions]


def harvest_services(harvest: Harvest, page: int, per_page: int) -> Page:
    """Return one page of services by id, with everything their records show."""
    conditions = service_conditions(harvest)
    total = db.session.scalar(select(func.count(Service.id)).where(*conditions))
    services = db.session.scalars(
        select(Service).where(*conditions).order_by(Service.id)
        .offset((page - 1) * per_page).limit(per_page)
        .options(
            selectinload(Service.areas).joinedload(ServiceArea.commune),
            selectinload(Service.locations).joinedload(Location.commune),
            selectinload(Service.types),
            joinedload(Service.organization),
        )
    ).all()
    return Page(list(services), total or 0, page, per_page)


def published_service_ids() -> list[int]:
    return list(db.session.scalars(
        select(Service.id).where(Service.status == ServiceStatus.published)))


def _organization_conditions(harvest: Harvest) -> list:
    """Organisations with a published service (changed after the moment, if asked)."""
    published = [Service.organization_id == Organization.id,
                 Service.status == ServiceStatus.published]
    if harvest.modified_after is not None:
        published.append(Service.updated_at > harvest.modified_after)
    # An organisation's names are part of its services' search keys.
    return [exists().where(*published, *_search_conditions(harvest.search))]


def harvest_organizations(harvest: Harvest, page: int, per_page: int) -> Page:
    """Return one page of the organisations running published services, by id."""
    conditions = _organization_conditions(harvest)
    total = db.session.scalar(select(func.count(Organization.id)).where(*conditions))
    organizations = db.session.scalars(
        select(Organization).where(*conditions).order_by(Organization.id)
        .offset((page - 1) * per_page).limit(per_page)
    ).all()
    return Page(list(organizations), total or 0, page, per_page)


def published_organization_ids() -> list[int]:
    return list(db.session.scalars(select(Organization.id).where(exists().where(
        Service.organization_id == Organization.id,
        Service.status == ServiceStatus.published))))


def published_services_of(organization: Organization) -> list[Service]:
    return list(db.session.scalars(
        select(Service).where(Service.organization_id == organization.id,
                              Service.status == ServiceStatus.published)
        .order_by(Service.id)))


def last_change(organization: Organization) -> datetime | None:
    return db.session.scalar(select(func.max(Service.updated_at)).where(
        Service.organization_id == organization.id, Service.status == ServiceStatus.published))


def removed_since(moment: datetime) -> list[int]:
    """The ids of the services written after `moment` that are no longer published."""
    return list(db.session.scalars(
        select(Service.id).where(Service.updated_at > moment,
                                 Service.status != ServiceStatus.published)
        .order_by(Service.id)))
