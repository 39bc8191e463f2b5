"""Open data: the published directory as map points and as CSV rows.

Only what the public pages show leaves through here. The contact person of a service
(`contact_name`, `contact_email`, `contact_phone`) is personal data and is never read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import NamedTuple

from sqlalchemy import and_, select

from ..extensions import db
from ..models import (
    Commune,
    Location,
    Organization,
    Service,
    ServiceArea,
    ServiceType,
    service_types,
)
from .queries import Filters, published_ids

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


class MapPoint(NamedTuple):
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

    Columns rather than whole services: the map asks for the entire country at once.
    Services without coordinates are left out.
    """
    ids = published_ids(filters)
    types = _types_of(ids)
    rows = db.session.execute(
        select(Service.id, Service.name_fr, Service.name_nl, Service.name_de, Service.name_en,
               Service.is_demo, Location.lat, Location.lon)
        .join(Location, and_(Location.service_id == Service.id, Location.position == 0))
        .where(Service.id.in_(ids), Location.lat.is_not(None), Location.lon.is_not(None))
        .order_by(Service.id)
    )
    return [
        MapPoint(id_, fr or "", nl or "", de or "", en or "", types.get(id_, []), demo, lat, lon)
        for id_, fr, nl, de, en, demo, lat, lon in rows
    ]


def _types_of(ids) -> dict[int, list[str]]:
    """Return {service id: type codes in the taxonomy's order} for the services selected."""
    types: dict[int, list[str]] = {}
    for service_id, code in db.session.execute(
        select(service_types.c.service_id, service_types.c.type_code)
        .join(ServiceType, ServiceType.code == service_types.c.type_code)
        .where(service_types.c.service_id.in_(ids))
        .order_by(service_types.c.service_id, ServiceType.position)
    ):
        types.setdefault(service_id, []).append(code)
    return types


def _communes_covered(ids) -> dict[int, list[str]]:
    covered: dict[int, list[str]] = {}
    for service_id, refnis in db.session.execute(
        select(ServiceArea.service_id, ServiceArea.refnis)
        .where(ServiceArea.service_id.in_(ids))
        .order_by(ServiceArea.service_id, ServiceArea.refnis)
    ):
        covered.setdefault(service_id, []).append(refnis)
    return covered


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


def export_rows(filters: Filters, url_of: Callable[[int], str]) -> Iterator[list[str]]:
    """Yield the header, then one row per matching published service by id, safe cells only.

    `url_of(service id)` gives the address of the service's public page.
    """
    ids = published_ids(filters)
    types, covered = _types_of(ids), _communes_covered(ids)
    rows = db.session.execute(
        select(Service.id, Service.name_fr, Service.name_nl, Service.name_de, Service.name_en,
               Organization.name_fr, Organization.name_nl, Organization.kind,
               Location.street, Location.number, Location.box, Location.postal_code,
               Location.refnis, Commune.name_fr, Commune.name_nl, Location.lat, Location.lon,
               Service.phone, Service.email, Service.website, Service.languages,
               Service.free_of_charge, Service.handles_sac_minors, Service.last_verified_at,
               Service.is_demo)
        .join(Organization, Organization.id == Service.organization_id)
        .outerjoin(Location, and_(Location.service_id == Service.id, Location.position == 0))
        .outerjoin(Commune, Commune.refnis == Location.refnis)
        .where(Service.id.in_(ids))
        .order_by(Service.id)
    )
    yield list(CSV_COLUMNS)
    for row in rows:
        (id_, *names, org_fr, org_nl, kind, street, number, box, postal_code, refnis,
         commune_fr, commune_nl, lat, lon, phone, email, website, languages, free,
         sac_minors, verified, demo) = row
        cells = [
            id_, *names, LIST_SEPARATOR.join(types.get(id_, [])), org_fr, org_nl, kind.value,
            street, number, box, postal_code, refnis, commune_fr, commune_nl, lat, lon,
            phone, email, website, LIST_SEPARATOR.join(languages or []),
            LIST_SEPARATOR.join(covered.get(id_, [])), free, sac_minors,
            verified.date().isoformat() if verified else None, demo, url_of(id_),
        ]
        yield [csv_safe(cell) for cell in cells]


def export_csv(filters: Filters, url_of: Callable[[int], str]) -> str:
    """Return the CSV text of every published service matching the filters."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(export_rows(filters, url_of))
    return out.getvalue()
