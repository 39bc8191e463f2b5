"""Open data: the published directory as map points and as CSV rows.

Only what the public pages show leaves through here. The contact person of a service
(`contact_name`, `contact_email`, `contact_phone`) is personal data and is never read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import and_, select

from ..extensions import db
from ..models import Commune, Location, Service, ServiceType, service_types
from .queries import Filters, published_ids, published_locations

TEXT_LANGUAGES = ("fr", "nl", "de", "en")
SERVICE_TEXT_FIELDS = (
    "name", "description", "cost_note", "target_public", "how_to_request", "conditions",
)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

CSV_COLUMNS = (
    "id", "name_fr", "name_nl", "name_de", "name_en", "types",
    "organization_name_fr", "organization_name_nl", "organization_kind",
    "street", "number", "box", "postal_code", "refnis", "commune_name_fr", "commune_name_nl",
    "lat", "lon", "phone", "email", "website", "languages", "communes",
    "free_of_charge", "handles_sac_minors", "last_verified_at", "is_demo", "url",
)
LIST_SEPARATOR = "|"
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class MapPoint:
    """What the map needs of one service: its main location, names and types."""

    id: int
    name_fr: str
    name_nl: str
    name_de: str
    name_en: str
    types: list[str]
    is_demo: bool
    lat: float
    lon: float


def map_points(filters: Filters) -> list[MapPoint]:
    """Return the main location of every published service matching the filters, by id.

    Two narrow queries rather than whole services: the map asks for the entire country.
    Services without coordinates are left out.
    """
    ids = published_ids(filters)
    types: dict[int, list[str]] = {}
    for service_id, code in db.session.execute(
        select(service_types.c.service_id, service_types.c.type_code)
        .join(ServiceType, ServiceType.code == service_types.c.type_code)
        .where(service_types.c.service_id.in_(ids))
        .order_by(ServiceType.position)
    ):
        types.setdefault(service_id, []).append(code)
    rows = db.session.execute(
        select(Service.id, Service.name_fr, Service.name_nl, Service.name_de, Service.name_en,
               Service.is_demo, Location.lat, Location.lon)
        .join(Location, and_(Location.service_id == Service.id, Location.position == 0))
        .where(Service.id.in_(ids), Location.lat.is_not(None), Location.lon.is_not(None))
        .order_by(Service.id)
    )
    return [
        MapPoint(row.id, row.name_fr or "", row.name_nl or "", row.name_de or "",
                 row.name_en or "", types.get(row.id, []), row.is_demo, row.lat, row.lon)
        for row in rows
    ]


def csv_safe(value) -> str:
    """Return a cell's text; text a spreadsheet would run as a formula gets a leading quote.

    A plain number ("+3225551234", "-12.5") cannot carry a formula and is left as it is, so
    that E.164 phone numbers stay usable.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _is_plain_number(text):
        return "'" + text
    return text


def _is_plain_number(text: str) -> bool:
    digits = text[1:] if text[:1] in "+-" else text
    return bool(digits) and digits.replace(".", "", 1).isdigit() and digits.isascii()


def export_rows(services: Iterable[Service], url_of: Callable[[Service], str]) -> Iterator[list[str]]:
    """Yield the header, then one row per service, every cell safe for a spreadsheet."""
    communes = {c.refnis: c for c in db.session.scalars(select(Commune))}
    yield list(CSV_COLUMNS)
    for service in services:
        yield [csv_safe(cell) for cell in _row(service, communes, url_of)]


def _row(service: Service, communes: dict[str, Commune], url_of) -> list:
    location = service.locations[0] if service.locations else None
    commune = communes.get(location.refnis) if location else None
    organization = service.organization
    return [
        service.id,
        service.name_fr, service.name_nl, service.name_de, service.name_en,
        LIST_SEPARATOR.join(service.type_codes),
        organization.name_fr, organization.name_nl, organization.kind.value,
        location.street if location else "",
        location.number if location else "",
        location.box if location else "",
        location.postal_code if location else "",
        location.refnis if location else "",
        commune.name_fr if commune else "",
        commune.name_nl if commune else "",
        location.lat if location else None,
        location.lon if location else None,
        service.phone, service.email, service.website,
        LIST_SEPARATOR.join(service.languages or []),
        LIST_SEPARATOR.join(sorted(area.refnis for area in service.areas)),
        service.free_of_charge,
        service.handles_sac_minors,
        service.last_verified_at.date().isoformat() if service.last_verified_at else None,
        service.is_demo,
        url_of(service),
    ]


def export_csv(filters: Filters, url_of: Callable[[Service], str]) -> str:
    """Return the CSV text of every published service matching the filters, by id."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        export_rows(published_locations(filters), url_of))
    return out.getvalue()
