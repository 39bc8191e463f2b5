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

from ...extensions import db
from ...formatting import belgian_day
from ...models import (
    Commune,
    Location,
    Organization,
    Service,
)
from ..reading.search import (
    Filters,
    communes_text,
    published_conditions,
    refnis_codes,
    type_codes,
    types_text,
)

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
    "source_url", "source_date", "confirmed_at",
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
    # One statement, driven by the published services themselves: their types come along
    # as text rather than from a second query over an IN (…) of every id.
    rows = db.session.connection().execute(
        select(Service.id, Service.name_fr, Service.name_nl, Service.name_de, Service.name_en,
               Service.is_demo, Location.lat, Location.lon, types_text())
        .join(Location, and_(Location.service_id == Service.id, Location.position == 0))
        .where(*published_conditions(filters),
               Location.lat.is_not(None), Location.lon.is_not(None))
        .order_by(Service.id)
    )
    return [
        MapPoint(id_, fr or "", nl or "", de or "", en or "", type_codes(codes), demo, lat, lon)
        for id_, fr, nl, de, en, demo, lat, lon, codes in rows
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


def export_rows(filters: Filters, url_of: Callable[[int], str]) -> Iterator[list[str]]:
    """Yield the header, then one row per matching published service by id, safe cells only.

    `url_of(service id)` gives the address of the service's public page.
    """
    rows = db.session.connection().execute(
        select(Service.id, Service.name_fr, Service.name_nl, Service.name_de, Service.name_en,
               types_text(), Organization.name_fr, Organization.name_nl, Organization.kind,
               Location.street, Location.number, Location.box, Location.postal_code,
               Location.refnis, Commune.name_fr, Commune.name_nl, Location.lat, Location.lon,
               Service.phone, Service.email, Service.website, Service.languages,
               communes_text(), Service.free_of_charge, Service.handles_sac_minors,
               Service.last_verified_at, Service.is_demo, Service.source_url,
               Service.source_date, Service.confirmed_at)
        .join(Organization, Organization.id == Service.organization_id)
        .outerjoin(Location, and_(Location.service_id == Service.id, Location.position == 0))
        .outerjoin(Commune, Commune.refnis == Location.refnis)
        .where(*published_conditions(filters))
        .order_by(Service.id)
    )
    yield list(CSV_COLUMNS)
    for row in rows:
        (id_, *names, types, org_fr, org_nl, kind, street, number, box, postal_code, refnis,
         commune_fr, commune_nl, lat, lon, phone, email, website, languages, covered, free,
         sac_minors, verified, demo, source_url, source_date, confirmed_at) = row
        cells = [
            id_, *names, LIST_SEPARATOR.join(type_codes(types)), org_fr, org_nl, kind.value,
            street, number, box, postal_code, refnis, commune_fr, commune_nl, lat, lon,
            phone, email, website, LIST_SEPARATOR.join(languages or []),
            LIST_SEPARATOR.join(refnis_codes(covered)), free, sac_minors,
            belgian_day(verified).isoformat() if verified else None, demo, url_of(id_),
            source_url, source_date.isoformat() if source_date else None,
            belgian_day(confirmed_at).isoformat() if confirmed_at else None,
        ]
        yield [csv_safe(cell) for cell in cells]


def export_csv(filters: Filters, url_of: Callable[[int], str]) -> str:
    """Return the CSV text of every published service matching the filters."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(export_rows(filters, url_of))
    return out.getvalue()


# --- The directory's exchange format (admins and `flask export-services`) --------------------

DIRECTORY_FORMATS = ("csv", "excel.csv", "xlsx", "geojson")


def directory_services(statement=None) -> list[Service]:
    """Every service of a statement (all of them by default) with what a row shows, by key."""
    from sqlalchemy.orm import selectinload

    from .columns import service_key

    statement = statement if statement is not None else select(Service)
    services = db.session.scalars(statement.options(
        selectinload(Service.areas), selectinload(Service.locations),
        selectinload(Service.types), selectinload(Service.organization))).unique().all()
    return sorted(services, key=service_key)


def export_directory(services: list[Service], fmt: str) -> bytes:
    """Return the services as CSV, XLSX or GeoJSON in the import's columns (no personal data).

    The same services give the same bytes, whatever their ids in this database.
    """
    from .columns import COLUMNS, row_of

    rows = [row_of(service) for service in services]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows([csv_safe(row[c]) for c in COLUMNS] for row in rows)
        return out.getvalue().encode("utf-8-sig")  # the BOM tells Excel it is UTF-8
    if fmt == "excel.csv":
        # Excel set to Belgian French or Dutch splits on semicolons; the BOM says UTF-8.
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows([csv_safe(row[c]) for c in COLUMNS] for row in rows)
        return out.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        from .files import write_xlsx

        table = [list(COLUMNS)] + [[csv_safe(row[c]) for c in COLUMNS] for row in rows]
        return write_xlsx([("services", table)])
    if fmt == "geojson":
        return _geojson(rows)
    raise ValueError(fmt)


def _geojson(rows: list[dict]) -> bytes:
    import json

    features = []
    for row in rows:
        geometry = None
        if row["lat"] and row["lon"]:
            geometry = {"type": "Point", "coordinates": [float(row["lon"]), float(row["lat"])]}
        features.append({"type": "Feature", "id": row["external_id"], "geometry": geometry,
                         "properties": row})
    collection = {"type": "FeatureCollection", "features": features}
    return (json.dumps(collection, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def import_template() -> bytes:
    """Return the XLSX template: the columns, one example row, and help in four languages."""
    from flask_babel import force_locale

    from .columns import COLUMNS, column_help

    example = {"external_id": "example-1", "organization_key": "commune-21015",
               "organization_kind": "commune", "organization_name_fr": "Commune de Schaerbeek",
               "organization_name_nl": "Gemeente Schaarbeek", "name_fr": "Médiation de quartier",
               "name_nl": "Buurtbemiddeling", "description_fr": "…", "description_nl": "…",
               "types": "neighbourhood", "languages": "fr|nl", "phone": "+32 2 555 01 23",
               "communes": "21015", "street": "Place Colignon", "number": "1",
               "postal_code": "1030", "commune": "21015", "hours_mon": "9:00-12:00, 13:30-17:00"}
    help_rows = [["column", "fr", "nl", "de", "en"]]
    texts = {}
    for lang in TEXT_LANGUAGES:
        with force_locale(lang):
            texts[lang] = {column: column_help(column) for column in COLUMNS}
    help_rows += [[column] + [texts[lang][column] for lang in TEXT_LANGUAGES] for column in COLUMNS]
    from .files import write_xlsx

    return write_xlsx([("services", [list(COLUMNS), [example.get(c, "") for c in COLUMNS]]),
                       ("help", help_rows)])
