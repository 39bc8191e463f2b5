"""Demonstration services: clearly marked `is_demo`, with no real person, phone or address.

They come from `mediation/data/demo_services.json` (built by `tools/build_demo_services.py`),
are keyed on their `key`, and are refreshed in place when seeded again.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..extensions import db, refresh_planner_statistics
from ..models import (
    Commune,
    Location,
    Organization,
    OrganizationKind,
    Service,
    ServiceArea,
    ServiceStatus,
    ServiceType,
)
from . import audit

DEMO_FILE = Path(__file__).parent.parent / "data" / "demo_services.json"
TEXT_FIELDS = ("name", "description", "cost_note", "target_public", "how_to_request", "conditions")
LANGS = ("fr", "nl", "de", "en")


@dataclass
class SeedReport:
    services: int = 0
    created: int = 0
    organizations: int = 0


def seed_demo(if_empty: bool = False) -> SeedReport | None:
    """Create or refresh every demo service; with `if_empty`, only on an empty directory."""
    if if_empty and db.session.scalar(db.select(db.func.count(Service.id))):
        return None
    records = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    types = {t.code: t for t in db.session.scalars(db.select(ServiceType))}
    communes = {c.refnis: c for c in db.session.scalars(db.select(Commune))}
    if not communes:
        raise RuntimeError("Load the communes first: flask --app mediation load-communes")
    organizations = {o.external_key: o for o in db.session.scalars(
        db.select(Organization).where(Organization.is_demo))}
    services = {s.external_key: s for s in db.session.scalars(
        db.select(Service).where(Service.is_demo))}
    report = SeedReport()
    seeded = []
    for record in records:
        org = _organization(record["organization"], organizations)
        service = services.get(record["key"])
        action = "service.demo_refreshed"
        if service is None:
            service = Service(external_key=record["key"], is_demo=True)
            db.session.add(service)
            report.created += 1
            action = "service.demo_created"
        _fill_service(service, record, org, types, communes)
        seeded.append((service, action))
        report.services += 1
    db.session.flush()  # gives new services their id for the audit trail
    for service, action in seeded:
        audit.record(None, action, service, after={"key": service.external_key})
    db.session.commit()
    refresh_planner_statistics()
    report.organizations = len(organizations)
    return report


def _organization(data: dict, organizations: dict[str, Organization]) -> Organization:
    org = organizations.get(data["key"])
    if org is None:
        org = Organization(external_key=data["key"], is_demo=True,
                           kind=OrganizationKind(data["kind"]))
        db.session.add(org)
        organizations[data["key"]] = org
    org.kind = OrganizationKind(data["kind"])
    for lang in LANGS:
        setattr(org, f"name_{lang}", data["name"].get(lang, ""))
    return org


def _fill_service(service: Service, record: dict, org, types, communes) -> None:
    service.organization = org
    for field in TEXT_FIELDS:
        for lang in LANGS:
            setattr(service, f"{field}_{lang}", record[field].get(lang, ""))
    service.types = [types[code] for code in record["types"]]
    service.handles_sac_minors = record["handles_sac_minors"]
    service.free_of_charge = record["free_of_charge"]
    service.languages = record["languages"]
    service.email, service.phone, service.website = record["email"], record["phone"], record["website"]
    service.status = ServiceStatus.published
    service.last_verified_at = datetime.fromisoformat(record["last_verified_at"]).replace(
        tzinfo=timezone.utc)

    place = record["location"]
    commune = communes[place["refnis"]]
    location = service.locations[0] if service.locations else Location()
    location.street, location.number, location.box = place["street"], place["number"], place["box"]
    location.postal_code, location.refnis = place["postal_code"], commune.refnis
    # Demo addresses are invented: place them at the commune's point, and say so.
    location.lat, location.lon = commune.lat, commune.lon
    location.geocode_source, location.geocode_precision = "commune-centroid", "commune"
    location.wheelchair_access = place["wheelchair_access"]
    location.opening_hours = place["opening_hours"]
    location.by_appointment = place["by_appointment"]
    for lang in LANGS:
        setattr(location, f"note_{lang}", place["note"].get(lang, ""))
    if not service.locations:
        service.locations.append(location)

    wanted = list(dict.fromkeys(record["communes"]))
    existing = {area.refnis: area for area in service.areas}
    service.areas = [existing.get(refnis) or ServiceArea(refnis=refnis) for refnis in wanted]
    for area in service.areas:
        for lang in LANGS:
            setattr(area, f"note_{lang}", record["coverage_note"].get(lang, ""))
