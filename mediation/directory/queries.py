"""Reads of the directory: which published services cover a commune, and which are nearest."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..gazetteer import normalise
from ..models import Commune, Location, Service, ServiceArea, ServiceStatus, service_types

EARTH_RADIUS_KM = 6371.0088


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
    type: str | None = None
    language: str | None = None
    q: str | None = None


@dataclass
class Hit:
    service: Service
    covers_commune: bool | None
    distance_km: float | None


@dataclass
class ResultPage:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    origin: tuple[float, float] | None = None
    covering: int = 0  # how many services cover the commune asked for
    extra: dict = field(default_factory=dict)


def _filtered(filters: Filters):
    """Return the SELECT of published service ids matching type, language and text filters."""
    query = select(Service.id).where(Service.status == ServiceStatus.published)
    if filters.type:
        query = query.where(exists().where(
            and_(service_types.c.service_id == Service.id, service_types.c.type_code == filters.type)
        ))
    if filters.q:
        words = normalise(filters.q).split()
        for word in words:
            pattern = f"%{word}%"
            query = query.where(or_(*[
                func.lower(getattr(Service, f"name_{lang}")).like(pattern)
                for lang in ("fr", "nl", "de", "en")
            ]))
    return query


def _matches_language(service: Service, language: str | None) -> bool:
    return not language or language in (service.languages or [])


def search_services(filters: Filters, page: int = 1, per_page: int = 20) -> ResultPage:
    """Return one page of published services: those covering the commune first, then by distance."""
    origin = filters.near
    commune = db.session.get(Commune, filters.commune) if filters.commune else None
    if commune is not None and origin is None:
        origin = (commune.lat, commune.lon)
    base = _filtered(filters)

    covering_ids: list[int] = []
    if commune is not None:
        covering_ids = list(db.session.scalars(
            base.where(exists().where(and_(ServiceArea.service_id == Service.id,
                                           ServiceArea.refnis == commune.refnis)))
        ))
    ids_with_distance = _nearest_ids(base, origin, exclude=set(covering_ids),
                                     wanted=page * per_page + len(covering_ids))
    ordered: list[tuple[int, bool | None]] = [(i, True) for i in covering_ids]
    ordered += [(i, False if commune is not None else None) for i, _ in ids_with_distance]
    services = _load(i for i, _ in ordered)
    # Filtering on spoken language happens in Python: it is a JSON list in every database.
    ordered = [(i, c) for i, c in ordered if i in services and _matches_language(services[i], filters.language)]
    hits = []
    for service_id, covers in ordered:
        service = services[service_id]
        location = service.locations[0] if service.locations else None
        distance = None
        if origin and location and location.lat is not None:
            distance = distance_km(origin[0], origin[1], location.lat, location.lon)
        hits.append(Hit(service, covers, distance))
    if covering_ids:
        covered = [h for h in hits if h.covers_commune]
        covered.sort(key=lambda h: (h.distance_km is None, h.distance_km or 0))
        hits = covered + [h for h in hits if not h.covers_commune]
    total = _count(base, filters.language)
    start = (page - 1) * per_page
    return ResultPage(hits[start:start + per_page], total, page, per_page, origin,
                      covering=sum(1 for h in hits if h.covers_commune))


def _count(base, language: str | None) -> int:
    if not language:
        return db.session.scalar(select(func.count()).select_from(base.subquery()))
    languages = db.session.execute(
        select(Service.languages).where(Service.id.in_(base.scalar_subquery()))
    ).scalars()
    return sum(1 for spoken in languages if language in (spoken or []))


def _nearest_ids(base, origin, exclude: set[int], wanted: int) -> list[tuple[int, float]]:
    """Return (service id, km) of the services nearest to `origin`, at least `wanted` of them.

    A bounding box grows around the origin until it holds enough services, so that only the
    services nearby are read even when the directory holds a hundred thousand.
    """
    ids = base.subquery()
    query = select(Location.service_id, Location.lat, Location.lon).where(
        Location.service_id.in_(select(ids.c.id)), Location.position == 0,
        Location.lat.is_not(None),
    )
    if origin is None:
        rows = db.session.execute(query.order_by(Location.service_id)).all()
        return [(r.service_id, 0.0) for r in rows if r.service_id not in exclude]
    lat, lon = origin
    found: dict[int, float] = {}
    for half_km in (10, 25, 60, 150, 400):
        dlat = half_km / 111.0
        dlon = half_km / (111.0 * max(0.2, math.cos(math.radians(lat))))
        rows = db.session.execute(query.where(
            Location.lat.between(lat - dlat, lat + dlat), Location.lon.between(lon - dlon, lon + dlon)
        )).all()
        found = {r.service_id: distance_km(lat, lon, r.lat, r.lon)
                 for r in rows if r.service_id not in exclude}
        # Only the ones inside the circle of that radius are certainly the nearest.
        if sum(1 for d in found.values() if d <= half_km) >= wanted:
            break
    return sorted(found.items(), key=lambda item: item[1])


def _load(ids) -> dict[int, Service]:
    ids = list(ids)
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
