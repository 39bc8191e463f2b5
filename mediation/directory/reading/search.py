"""Reads of the directory: which published services cover a commune, and which are nearest."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import Float, Integer, String, and_, bindparam, cast, exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...gazetteer import get_index, normalise
from ...locate import Located, commune_at
from ...models import (
    Commune,
    Location,
    Organization,
    Service,
    ServiceArea,
    ServiceStatus,
    ServiceType,
    service_types,
)
from .places import CommunePlace

EARTH_RADIUS_KM = 6371.0088
MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds in every database
TEXT_LANGUAGES = ("fr", "nl", "de", "en")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


POSITION_DECIMALS = 3  # about 100 m: a search needs no more, so the server keeps no more


def round_position(lat: float, lon: float) -> tuple[float, float]:
    """Round a citizen's position to about 100 m before it is used, shown or put in a link."""
    return round(lat, POSITION_DECIMALS), round(lon, POSITION_DECIMALS)


@dataclass(frozen=True)
class Filters:
    commune: str | None = None  # REFNIS
    near: tuple[float, float] | None = None  # (lat, lon)
    type: str | None = None  # a ServiceType code
    language: str | None = None  # ISO 639-1, a language the mediators speak
    q: str | None = None  # words of the service's or organisation's name
    modified_after: datetime | None = None  # only services written after this moment


@dataclass
class Hit:
    service: "ServiceLine"
    covers_commune: bool | None  # None when no commune was asked for
    distance_km: float | None
    communes: list[str] = field(default_factory=list)  # REFNIS of every commune covered


def find_commune(refnis: str) -> CommunePlace | None:
    """Return a commune from the in-memory gazetteer, or from the database when it is not
    there (a commune merged away)."""
    info = get_index().communes.get(refnis)
    if info is not None:
        names = info.names
        return CommunePlace(refnis, names["fr"], names["nl"], names.get("de"), names.get("en"),
                            info.region_code, info.lat, info.lon)
    commune = db.session.get(Commune, refnis)
    if commune is None:
        return None
    return CommunePlace.of(commune)


@dataclass
class ResultPage:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    commune: CommunePlace | None
    origin: tuple[float, float] | None
    covering: int  # how many services (all pages) cover the commune asked for
    located: Located | None = None  # the commune a `near` position was placed in

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def published_conditions(filters: Filters) -> list:
    """Return the WHERE clauses, on Service, of the published services matching the filters."""
    conditions = [Service.status == ServiceStatus.published]
    if filters.type:
        conditions.append(exists().where(and_(
            service_types.c.service_id == Service.id, service_types.c.type_code == filters.type)))
    if filters.language:
        # A JSON list in every database: its text holds the quoted code.
        conditions.append(cast(Service.languages, String).like(f'%"{filters.language}"%'))
    if filters.modified_after is not None:
        conditions.append(Service.updated_at > filters.modified_after)
    for word in normalise(filters.q or "").split():
        # Escaped: a "%" or "_" typed is a character sought, not a wildcard.
        conditions.append(Service.search_key.contains(word, autoescape=True))
    return conditions


# Statements a search sends on every request are built once, with bound parameters: building
# and keying a statement of this size costs more than the database takes to answer it.
# Two index look-ups, each its own subquery (SQLite reads a lone max() from the index only):
# the last write, and the last id, since a bulk insert (the import) stamps whole seconds and
# may fall behind a write made earlier in the same second.
_LATEST_WRITE = select(select(func.max(Service.updated_at)).scalar_subquery(),
                       select(func.max(Service.id)).scalar_subquery())


def directory_version() -> str:
    """Return a stamp that changes whenever any service is written: "<last write> <last id>"
    (two index look-ups), or "empty"."""
    latest, last_id = db.session.connection().execute(_LATEST_WRITE).one()
    return f"{latest.isoformat()} {last_id}" if latest else "empty"


def version_moment(version: str) -> datetime | None:
    """The moment a version names (the last write), as an aware UTC datetime; None if empty."""
    if version == "empty":
        return None
    moment = datetime.fromisoformat(version.split(" ")[0])
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class PerVersion:
    """Answers that change only when a service is written, kept for the directory's version.

    Each process keeps its own; the version is read from the database (one index look-up), so
    a write made by any process, or by a command, empties every process's answers at its next
    request. Past `size` answers the oldest is forgotten, not all of them.
    """

    def __init__(self, size: int = 1000):
        self.size, self.version, self.answers = size, None, {}

    def get(self, key, compute, version: str | None = None):
        """Return the answer under `key`, computed when this version does not have it yet;
        `version` when the caller has just read it, so that it is read once per request."""
        version = directory_version() if version is None else version
        if version != self.version:
            self.version, self.answers = version, {}
        answers = self.answers  # another thread may start a new version's dict meanwhile
        if key in answers:
            return answers[key]
        answer = compute()
        while len(answers) >= self.size:
            answers.pop(next(iter(answers), None), None)
        answers[key] = answer
        return answer


_counts = PerVersion()
_spoken = PerVersion(size=1)


def count_published(filters: Filters) -> int:
    """Count the published services matching type, language and text, cached per version.

    Counting a hundred thousand rows costs more than the whole rest of a search, and the
    count only changes when a service is written.
    """
    return _counts.get(shape(filters), lambda: db.session.scalar(
        select(func.count(Service.id)).where(*published_conditions(filters))))


def spoken_languages() -> frozenset[str]:
    """Return the codes of the languages some published service speaks, cached per version.

    The search form offers these alone: a language nobody speaks would only find nothing.
    """
    def read() -> frozenset[str]:
        rows = db.session.scalars(
            select(Service.languages).where(Service.status == ServiceStatus.published))
        return frozenset(code for languages in rows for code in languages or [])

    return _spoken.get(None, read)


def published_ids(filters: Filters):
    """Return the SELECT of the ids of published services matching the filters."""
    return select(Service.id).where(*published_conditions(filters))


def place_position(filters: Filters) -> tuple[Filters, Located | None]:
    """Give a search by position the commune the position lies in (an asked commune wins)."""
    if filters.commune or not filters.near:
        return filters, None
    located = commune_at(*filters.near)
    if located is None:
        return filters, None
    return replace(filters, commune=located.refnis), located


def search_services(filters: Filters, page: int = 1, per_page: int = 20) -> ResultPage:
    """Return one page of published services: those covering the commune first, then by distance.

    A position without a commune is placed in the commune it lies in, and answered alike.
    """
    filters, located = place_position(filters)
    commune = find_commune(filters.commune) if filters.commune else None
    origin = filters.near or ((commune.lat, commune.lon) if commune else None)
    total = count_published(filters)
    start, end = (page - 1) * per_page, page * per_page

    covering: list[tuple[int, float | None]] = []
    covering_total = 0
    if commune is not None:
        # Driven by the commune's service areas, so only its services are read; a big city's
        # long list is ranked by the database and only the page's share comes back.
        # A margin over the page: the flat-earth order only picks the candidates. When the
        # list is longer than this, the page lies inside it and no other service is needed.
        rows = db.session.connection().execute(
            _covering_statement(shape(filters)),
            {"refnis": commune.refnis, "wanted": 2 * end + 50, **_origin_params(origin)},
        ).all()
        covering_total = rows[0].covering_total if rows else 0
        covering = sorted(((r.service_id, _distance(origin, r)) for r in rows), key=_by_distance)
    if origin is None:
        window = [(i, None) for i in db.session.scalars(
            published_ids(filters).order_by(Service.id).offset(start).limit(per_page))]
    elif end <= covering_total:
        window = covering[start:end]
    else:
        others = _nearest(filters, origin, {i for i, _ in covering}, wanted=end - len(covering))
        window = (covering + others)[start:end]
    covered = {i for i, _ in covering}
    page_ids = [i for i, _ in window]
    services = _load(page_ids)
    hits = [
        Hit(services[i], (i in covered) if commune is not None else None, distance,
            services[i].communes)
        for i, distance in window if i in services
    ]
    return ResultPage(hits, total, page, per_page, commune, origin, covering_total, located)


@dataclass
class Coverage:
    """A commune's answer: every service serving its residents, then a few others nearby."""

    commune: CommunePlace
    covering: list[Hit]  # all of them, up to the cap
    nearby: list[Hit]  # services that do not cover the commune, nearest first
    origin: tuple[float, float] | None
    located: Located | None = None
    capped: bool = False  # more services cover the commune than were read

    def kinds(self) -> set[str]:
        """The kinds of mediation some covering service offers."""
        return {code for hit in self.covering for code in hit.service.type_codes}


def commune_coverage(filters: Filters, nearby: int = 5, cap: int = 200) -> Coverage | None:
    """Return the services covering the commune (or the position's commune), and `nearby` others.

    Only the covering services answer for the commune's residents; the others are read apart so
    that nothing counts them as found for it.
    """
    filters, located = place_position(filters)
    commune = find_commune(filters.commune) if filters.commune else None
    if commune is None:
        return None
    origin = filters.near or ((commune.lat, commune.lon) if commune.lat is not None else None)
    params = {"refnis": commune.refnis, "wanted": cap + 1,
              **_origin_params(origin or (50.5, 4.5))}
    rows = db.session.connection().execute(_covering_statement(shape(filters)), params).all()
    covering = sorted(((r.service_id, _distance(origin, r)) for r in rows), key=_by_distance)
    capped = len(covering) > cap
    covering = covering[:cap]
    others = (_nearest(filters, origin, {i for i, _ in covering}, wanted=nearby)
              if origin is not None and nearby else [])
    services = _load([i for i, _ in covering + others])

    def hits(window, covers):
        return [Hit(services[i], covers, distance, services[i].communes)
                for i, distance in window if i in services]

    return Coverage(commune, hits(covering, True), hits(others, False), origin, located, capped)


def shape(filters: Filters) -> Filters:
    """What shapes a search's statements and its count: everything but the place."""
    return replace(filters, commune=None, near=None)


@lru_cache(maxsize=256)
def _covering_statement(key: Filters):
    """The services covering the commune `:refnis`, nearest `:origin_*` first, `:wanted` at most."""
    return (
        select(Service.id.label("service_id"), Location.lat, Location.lon,
               func.count().over().label("covering_total"))
        .select_from(ServiceArea)
        .join(Service, Service.id == ServiceArea.service_id)
        .outerjoin(Location, and_(Location.service_id == Service.id, Location.position == 0))
        .where(ServiceArea.refnis == bindparam("refnis", type_=String),
               *published_conditions(key))
        .order_by(FLAT_DISTANCE, Service.id)
        .limit(bindparam("wanted", type_=Integer))
    )


def _distance(origin, row) -> float | None:
    if origin is None or row.lat is None:
        return None
    return distance_km(origin[0], origin[1], row.lat, row.lon)


def _by_distance(item):
    return (item[1] is None, item[1] or 0.0, item[0])


_ORIGIN_LAT = bindparam("origin_lat", type_=Float)
_ORIGIN_LON = bindparam("origin_lon", type_=Float)
_SQUEEZE = bindparam("squeeze", type_=Float)  # cos(latitude): a degree of longitude is shorter
# Built once: a flat-earth distance (no trigonometry in SQLite), locations without a position last.
FLAT_DISTANCE = func.coalesce(
    (Location.lat - _ORIGIN_LAT) * (Location.lat - _ORIGIN_LAT)
    + (Location.lon - _ORIGIN_LON) * _SQUEEZE * (Location.lon - _ORIGIN_LON) * _SQUEEZE,
    1e9,
)


def _origin_params(origin) -> dict:
    lat, lon = origin
    return {"origin_lat": lat, "origin_lon": lon, "squeeze": math.cos(math.radians(lat))}


def _nearest(filters: Filters, origin, exclude: set[int],
             wanted: int) -> list[tuple[int, float | None]]:
    """Return (service id, km) of the `wanted` services nearest to `origin`.

    A box grows around the origin until the circle inside it holds enough services; within a
    box the database orders by a flat-earth distance (exact enough to rank at this scale), so
    only the services nearby are read, even among a hundred thousand.
    """
    if wanted <= 0:
        return []
    lat, lon = origin
    squeeze = math.cos(math.radians(lat))
    connection, key = db.session.connection(), shape(filters)
    parameters = {"exclude": sorted(exclude), "wanted": 2 * wanted + 50, **_origin_params(origin)}
    for radius in (2, 6, 20, 60, 150):
        dlat = radius / 111.2
        dlon = dlat / squeeze
        rows = connection.execute(_box_statement(key), {
            **parameters, "lat_min": lat - dlat, "lat_max": lat + dlat,
            "lon_min": lon - dlon, "lon_max": lon + dlon,
        }).all()
        # The flat-earth order only picks candidates, with a margin; the great-circle distance
        # ranks them, so that pages of any size cut the same ranking.
        found = sorted(((r.service_id, _distance(origin, r)) for r in rows), key=_by_distance)
        # Only what lies within the radius is certainly nearer than anything outside the box.
        if len(found) >= wanted and found[wanted - 1][1] <= radius:
            return found[:wanted]
    # The whole country: no box any more; services without coordinates come last.
    rows = connection.execute(_country_statement(key), parameters).all()
    return sorted(((r.service_id, _distance(origin, r)) for r in rows), key=_by_distance)[:wanted]


_EXCLUDE = bindparam("exclude", expanding=True, type_=Integer)


@lru_cache(maxsize=256)
def _box_statement(key: Filters):
    """Services with a position inside `:lat_min`…`:lon_max`, nearest first, not `:exclude`."""
    return (
        select(Service.id.label("service_id"), Location.lat, Location.lon)
        .select_from(Location)
        .join(Service, Service.id == Location.service_id)
        .where(Location.position == 0, *published_conditions(key),
               Service.id.not_in(_EXCLUDE),
               Location.lat.between(bindparam("lat_min", type_=Float),
                                    bindparam("lat_max", type_=Float)),
               Location.lon.between(bindparam("lon_min", type_=Float),
                                    bindparam("lon_max", type_=Float)))
        .order_by(FLAT_DISTANCE, Service.id)
        .limit(bindparam("wanted", type_=Integer))
    )


@lru_cache(maxsize=256)
def _country_statement(key: Filters):
    """Every matching service but `:exclude`, with its position when it has one."""
    return (
        select(Service.id.label("service_id"), Location.lat, Location.lon)
        .outerjoin(Location, and_(Location.service_id == Service.id, Location.position == 0))
        .where(*published_conditions(key), Service.id.not_in(_EXCLUDE))
    )


@dataclass(frozen=True)
class Named:
    """An organisation's or a commune's names, as a result line shows them."""

    name_fr: str
    name_nl: str
    name_de: str | None
    name_en: str | None
    region_code: str = ""
    refnis: str = ""  # a commune's: its language area decides the name shown


@dataclass(frozen=True)
class LocationLine:
    street: str
    number: str
    box: str
    postal_code: str
    refnis: str
    lat: float | None
    lon: float | None
    commune: Named
    precision: str | None = None  # "commune": placed at its commune's point, no exact address

    @property
    def at_commune_point(self) -> bool:
        return self.precision == "commune"


@dataclass
class ServiceLine:
    """What one line of a result list shows of a service: read as rows, not as objects."""

    id: int
    name_fr: str
    name_nl: str
    name_de: str
    name_en: str
    phone: str | None
    is_demo: bool
    last_verified_at: object
    languages: list[str]
    organization: Named
    locations: list[LocationLine]
    type_codes: list[str] = field(default_factory=list)
    communes: list[str] = field(default_factory=list)  # REFNIS of every commune covered


_TYPE_ORDER = {code: position for position, code in enumerate(ServiceType.CODES)}


def _type_order(code: str) -> tuple:
    return (_TYPE_ORDER.get(code, len(_TYPE_ORDER)), code)


def refnis_codes(text: str | None) -> list[str]:
    """Return the REFNIS codes of a space-separated aggregate, sorted."""
    return sorted((text or "").split())


def type_codes(text: str | None) -> list[str]:
    """Return the type codes of a space-separated aggregate, in the taxonomy's order."""
    return sorted(set((text or "").split()), key=_type_order)


def types_text():
    """A service's type codes, space-separated in no order: a column beside the service's."""
    return (select(func.aggregate_strings(service_types.c.type_code, " "))
            .where(service_types.c.service_id == Service.id).scalar_subquery())


def communes_text():
    """The REFNIS codes a service covers, space-separated in no order: plain text, not objects,
    since a regional service may cover dozens of communes."""
    return (select(func.aggregate_strings(ServiceArea.refnis, " "))
            .where(ServiceArea.service_id == Service.id).scalar_subquery())


@lru_cache(maxsize=1)
def _lines_statement():
    """Result lines of the services `:ids`, with their types and communes as plain text."""
    return (
        select(Service.id, Service.name_fr, Service.name_nl, Service.name_de, Service.name_en,
               Service.phone, Service.is_demo, Service.last_verified_at, Service.languages,
               Organization.name_fr, Organization.name_nl, Organization.name_de,
               Organization.name_en,
               Location.street, Location.number, Location.box, Location.postal_code,
               Location.refnis, Location.lat, Location.lon,
               Commune.name_fr, Commune.name_nl, Commune.name_de, Commune.name_en,
               Commune.region_code, types_text(), communes_text(), Location.geocode_precision)
        .join(Organization, Organization.id == Service.organization_id)
        .outerjoin(Location, and_(Location.service_id == Service.id, Location.position == 0))
        .outerjoin(Commune, Commune.refnis == Location.refnis)
        .where(Service.id.in_(bindparam("ids", expanding=True, type_=Integer)))
    )


def _load(ids: list[int]) -> dict[int, ServiceLine]:
    """Read one page of result lines in a single query, whatever the page's size."""
    if not ids:
        return {}
    rows = db.session.connection().execute(_lines_statement(), {"ids": ids}).all()
    lines = {}
    for r in rows:
        locations = []
        if r[16] is not None:  # postal_code: the service has a location
            locations.append(LocationLine(*r[13:20], commune=Named(*r[20:25], refnis=r[17]),
                                          precision=r[27]))
        lines[r[0]] = ServiceLine(
            *r[0:9], organization=Named(*r[9:13]), locations=locations,
            type_codes=type_codes(r[25]),
            communes=refnis_codes(r[26]),
        )
    return lines


def get_archived_service(service_id: int) -> Service | None:
    """Return the archived service with this id (its communes loaded), or None."""
    if not 0 < service_id <= MAX_ID:
        return None
    return db.session.scalar(
        select(Service).where(Service.id == service_id, Service.status == ServiceStatus.archived)
        .options(selectinload(Service.areas).joinedload(ServiceArea.commune)))


def get_published_service(service_id: int) -> Service | None:
    """Return the published service with this id, or None, with all its page shows."""
    if not 0 < service_id <= MAX_ID:  # an address with any number may be typed or forged
        return None
    return db.session.scalar(
        select(Service).where(Service.id == service_id,
                              Service.status == ServiceStatus.published)
        .options(
            # One query per relation, not one per covered commune (a network covers dozens).
            selectinload(Service.areas).joinedload(ServiceArea.commune),
            selectinload(Service.locations).joinedload(Location.commune),
            selectinload(Service.types),
            joinedload(Service.organization),
        )
    )
