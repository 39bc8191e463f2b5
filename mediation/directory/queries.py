"""Reads of the directory: which published services cover a commune, and which are nearest."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import String, and_, cast, exists, func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..gazetteer import normalise
from ..models import Commune, Location, Service, ServiceArea, ServiceStatus
from ..models import service_types

EARTH_RADIUS_KM = 6371.0088
TEXT_LANGUAGES = ("fr", "nl", "de", "en")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


@dataclass(frozen=True)
class Filters:
    commune: str | None = None  # REFNIS
    near: tuple[float, float] | None = None  # (lat, lon)
    type: str | None = None  # a ServiceType code
    language: str | None = None  # ISO 639-1, a language the mediators speak
    q: str | None = None  # words of the service's or organisation's name


@dataclass
class Hit:
    service: Service
    covers_commune: bool | None  # None when no commune was asked for
    distance_km: float | None


@dataclass
class ResultPage:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    commune: Commune | None
    origin: tuple[float, float] | None
    covering: int  # how many services (all pages) cover the commune asked for

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def published_ids(filters: Filters):
    """Return the SELECT of the ids of published services matching type, language and text."""
    query = select(Service.id).where(Service.status == ServiceStatus.published)
    if filters.type:
        query = query.where(exists().where(and_(
            service_types.c.service_id == Service.id, service_types.c.type_code == filters.type)))
    if filters.language:
        # A JSON list in every database: its text holds the quoted code.
        query = query.where(cast(Service.languages, String).like(f'%"{filters.language}"%'))
    if filters.q:
        for word in normalise(filters.q).split():
            query = query.where(Service.search_key.like(f"%{word}%"))
    return query


def search_services(filters: Filters, page: int = 1, per_page: int = 20) -> ResultPage:
    """Return one page of published services: those covering the commune first, then by distance."""
    commune = db.session.get(Commune, filters.commune) if filters.commune else None
    origin = filters.near or ((commune.lat, commune.lon) if commune else None)
    ids = published_ids(filters)
    total = db.session.scalar(select(func.count()).select_from(ids.subquery()))
    start, end = (page - 1) * per_page, page * per_page

    covering: list[tuple[int, float | None]] = []
    if commune is not None:
        rows = db.session.execute(
            select(Location.service_id, Location.lat, Location.lon)
            .join(ServiceArea, ServiceArea.service_id == Location.service_id)
            .where(ServiceArea.refnis == commune.refnis, Location.position == 0,
                   Location.service_id.in_(ids))
        ).all()
        covering = sorted(((r.service_id, _distance(origin, r)) for r in rows), key=_by_distance)
    if origin is None:
        ranked = [(i, None) for i in db.session.scalars(
            ids.order_by(Service.id).offset(start).limit(per_page))]
        window = ranked
    else:
        others = _nearest(ids, origin, {i for i, _ in covering}, wanted=end - len(covering))
        window = (covering + others)[start:end]
    covered = {i for i, _ in covering}
    services = _load([i for i, _ in window])
    hits = [
        Hit(services[i], (i in covered) if commune is not None else None, distance)
        for i, distance in window if i in services
    ]
    return ResultPage(hits, total, page, per_page, commune, origin, len(covering))


def _distance(origin, row) -> float | None:
    if origin is None or row.lat is None:
        return None
    return distance_km(origin[0], origin[1], row.lat, row.lon)


def _by_distance(item):
    return (item[1] is None, item[1] or 0.0, item[0])


def _nearest(ids, origin, exclude: set[int], wanted: int) -> list[tuple[int, float | None]]:
    """Return (service id, km) of the services nearest to `origin`, at least `wanted` of them.

    A box grows around the origin until the circle inside it holds enough services, so only
    the services nearby are read even when the directory holds a hundred thousand.
    """
    lat, lon = origin
    query = select(Location.service_id, Location.lat, Location.lon).where(
        Location.position == 0, Location.service_id.in_(ids))
    for radius in (5, 15, 40, 100):
        dlat = radius / 111.2
        dlon = radius / (111.2 * math.cos(math.radians(lat)))
        rows = db.session.execute(query.where(
            Location.lat.between(lat - dlat, lat + dlat),
            Location.lon.between(lon - dlon, lon + dlon),
        )).all()
        found = [(r.service_id, _distance(origin, r)) for r in rows if r.service_id not in exclude]
        # Only what lies within the radius is certainly nearer than anything outside the box.
        inside = sorted((f for f in found if f[1] <= radius), key=_by_distance)
        if len(inside) >= wanted:
            return inside[:wanted]
    rows = db.session.execute(query).all()  # the whole country: no box needed any more
    found = [(r.service_id, _distance(origin, r)) for r in rows if r.service_id not in exclude]
    return sorted(found, key=_by_distance)[:max(wanted, 0)]


def _load(ids: list[int]) -> dict[int, Service]:
    if not ids:
        return {}
    services = db.session.scalars(
        select(Service).where(Service.id.in_(ids)).options(
            selectinload(Service.types), selectinload(Service.locations),
            selectinload(Service.areas), selectinload(Service.organization),
        )
    ).all()
    return {s.id: s for s in services}


def get_published_service(service_id: int) -> Service | None:
    """Return the published service with this id, or None."""
    service = db.session.get(Service, service_id)
    if service is None or service.status != ServiceStatus.published:
        return None
    return service


def published_locations(filters: Filters):
    """Return (service, main location) of every published service matching the filters."""
    ids = published_ids(filters)
    return db.session.scalars(
        select(Service).where(Service.id.in_(ids)).order_by(Service.id).options(
            selectinload(Service.types), selectinload(Service.locations),
            selectinload(Service.areas), selectinload(Service.organization),
        )
    ).all()


def services_covering(refnis: str) -> list[Service]:
    """Return the published services covering a commune, by name."""
    return list(db.session.scalars(
        select(Service).join(ServiceArea).where(
            ServiceArea.refnis == refnis, Service.status == ServiceStatus.published
        ).options(selectinload(Service.types), selectinload(Service.locations),
                  selectinload(Service.organization))
    ))
