"""Open Referral HSDS 3.0 records of the published directory (https://docs.openreferral.org).

HSDS names each object with a UUID. Ours are derived, never stored: uuid5 over a fixed
namespace and the object's own key (its id, or its service and position), so a record keeps its
UUID from one harvest to the next. Texts are given in one language (`lang`), the others as
`alternate_name`; empty values are left out, as HSDS has no null.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from datetime import datetime, timezone

from flask_babel import force_locale
from flask_babel import gettext as _

from ..formatting import belgian_day
from ..i18n import commune_name, localized, place_name
from ..labels import ORGANIZATION_KINDS, SERVICE_TYPES, language_name
from ..models import Organization, Service, ServiceStatus

HSDS_VERSION = "3.0"
# Never change it: every UUID a harvester keeps is derived from it.
NAMESPACE = uuid.UUID("0b9f5a3e-7c1d-5e8a-9f6b-2d4c8e1a7b30")
DAYS = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA",
        "sun": "SU"}
TEXT_LANGUAGES = ("fr", "nl", "de", "en")
KBO_SCHEME = "BE-BCE_KBO"  # org-id.guide's list code of the Crossroads Bank for Enterprises
TYPES_TAXONOMY = "be-mediation-kinds"
NIS_TAXONOMY = "be-statbel-refnis"
INTERVAL_TAXONOMY = "be-mediation-update-interval"


def stable_id(kind: str, *key) -> str:
    """The UUID of one object: the same kind and key give the same UUID, everywhere."""
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *map(str, key)])))


def service_uuid(service_id: int) -> str:
    return stable_id("service", service_id)


def organization_uuid(organization_id: int) -> str:
    return stable_id("organization", organization_id)


def _compact(record: dict) -> dict:
    """Leave out what is empty: HSDS fields are typed and have no null."""
    return {k: v for k, v in record.items() if v not in (None, "", [])}


def moment(value: datetime | None) -> str | None:
    """An ISO 8601 date-time in UTC, to the millisecond, as HSDS asks of `last_modified`."""
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite gives back naive values: they were stored in UTC
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def _other_names(obj, field: str, shown_lang: str) -> str:
    shown = getattr(obj, f"{field}_{shown_lang}", "")
    others = [getattr(obj, f"{field}_{lang}") for lang in TEXT_LANGUAGES if lang != shown_lang]
    return " / ".join(dict.fromkeys(n for n in others if n and n != shown))


def page_of(contents: list[dict], total: int, page: int, per_page: int) -> dict:
    """An HSDS page: counts and position first, then the records."""
    pages = math.ceil(total / per_page) if total else 0
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not contents,
        "contents": contents,
    }


class Links:
    """The absolute addresses of the public pages a record points to."""

    def __init__(self, service: Callable[[int], str], commune: Callable[[str], str]):
        self.service, self.commune = service, commune


def organization_record(organization: Organization, lang: str) -> dict:
    """An organisation: its names, its kind in words and its KBO/BCE number."""
    oid = organization_uuid(organization.id)
    name, name_lang = localized(organization, "name", lang)
    with force_locale(lang):
        kind = str(ORGANIZATION_KINDS[organization.kind.value])
    identifiers = []
    if organization.kbo_number:
        identifiers.append({
            "id": stable_id("organization_identifier", organization.id, "kbo"),
            "organization_id": oid,
            "identifier_scheme": KBO_SCHEME,
            "identifier_type": "KBO/BCE",
            "identifier": organization.kbo_number,
        })
    return _compact({
        "id": oid,
        "name": name,
        "alternate_name": _other_names(organization, "name", name_lang),
        "description": kind,
        "legal_status": organization.kind.value,
        "organization_identifiers": identifiers,
    })


def service_record(service: Service, lang: str, links: Links) -> dict:
    """A service with everything a citizen needs, nested as HSDS's full service record.

    A service that is no longer published is reported as removed: its UUID, its status
    (`defunct` when archived, `inactive` while it waits to be published again) and when it
    changed, nothing of its content.
    """
    sid = service_uuid(service.id)
    if service.status is not ServiceStatus.published:
        return {"id": sid, "name": "", "last_modified": moment(service.updated_at),
                "status": "defunct" if service.status is ServiceStatus.archived else "inactive"}
    name, name_lang = localized(service, "name", lang)
    with force_locale(lang):
        fees = localized(service, "cost_note", lang)[0] or (
            _("Free of charge.") if service.free_of_charge else "")
        record = {
            "id": sid,
            "organization_id": organization_uuid(service.organization_id),
            "name": name,
            "alternate_name": _other_names(service, "name", name_lang),
            "description": localized(service, "description", lang)[0],
            "url": links.service(service.id),
            "email": service.email,
            "status": "active",
            "application_process": localized(service, "how_to_request", lang)[0],
            "fees_description": fees,
            "eligibility_description": "\n\n".join(t for t in (
                localized(service, "target_public", lang)[0],
                localized(service, "conditions", lang)[0]) if t),
            "assured_date": (belgian_day(service.last_verified_at).isoformat()
                             if service.last_verified_at else None),
            "last_modified": moment(service.updated_at),
            "phones": _phones(service, sid),
            "service_areas": [_area(area, sid, lang, links) for area in
                              sorted(service.areas, key=lambda area: area.refnis)],
            "service_at_locations": [_service_at_location(location, service, sid, lang)
                                     for location in service.locations],
            "languages": [
                {"id": stable_id("language", service.id, code), "service_id": sid,
                 "name": language_name(code, lang), "code": code}
                for code in service.languages or []
            ],
            "organization": organization_record(service.organization, lang),
            "attributes": _attributes(service, sid, lang),
            "metadata": _provenance(service, sid),
        }
    return _compact(record)


def _phones(service: Service, sid: str) -> list[dict]:
    if not service.phone:
        return []
    return [{"id": stable_id("phone", "service", service.id), "service_id": sid,
             "number": service.phone, "type": "voice"}]


def _area(area, sid: str, lang: str, links: Links) -> dict:
    area_id = stable_id("service_area", area.service_id, area.refnis)
    return _compact({
        "id": area_id,
        "service_id": sid,
        "name": commune_name(area.commune, lang),
        "description": localized(area, "note", lang)[0],
        "uri": links.commune(area.refnis),
        # The commune's Statbel code (REFNIS/NIS), as a term of that code list.
        "attributes": [{
            "id": stable_id("attribute", "service_area", area.service_id, area.refnis),
            "link_id": area_id,
            "link_type": "nis_code",
            "link_entity": "service_area",
            "value": area.refnis,
            "taxonomy_term": {
                "id": stable_id("taxonomy_term", NIS_TAXONOMY, area.refnis),
                "code": area.refnis,
                "name": commune_name(area.commune, lang),
                "description": _("Statbel REFNIS code of the commune"),
                "taxonomy": NIS_TAXONOMY,
            },
        }],
    })


def _service_at_location(location, service: Service, sid: str, lang: str) -> dict:
    location_id = stable_id("location", service.id, location.position)
    link_id = stable_id("service_at_location", service.id, location.position)
    commune = location.commune
    street = " ".join(p for p in (location.street, location.number) if p)
    if location.box:
        street = _("%(street)s box %(box)s", street=street, box=location.box)
    address = _compact({
        "id": stable_id("address", service.id, location.position),
        "location_id": location_id,
        "address_1": street or commune_name(commune, lang),
        "city": commune_name(commune, lang),
        "region": place_name(commune.region, lang),
        "state_province": place_name(commune.province or commune.region, lang),
        "postal_code": location.postal_code,
        "country": "BE",
        "address_type": "physical",
    })
    schedules = [
        {"id": stable_id("schedule", service.id, location.position, day, number),
         "service_at_location_id": link_id, "freq": "WEEKLY", "wkst": "MO",
         "byday": DAYS[day], "opens_at": start, "closes_at": end,
         "attending_type": "in_person"}
        for day in DAYS
        for number, (start, end) in enumerate((location.opening_hours or {}).get(day, []))
    ]
    if location.by_appointment:
        schedules.append({"id": stable_id("schedule", service.id, location.position,
                                          "appointment"),
                          "service_at_location_id": link_id,
                          "description": _("By appointment"), "attending_type": "in_person"})
    accessibility = []
    if location.wheelchair_access is not None:
        accessibility.append({
            "id": stable_id("accessibility", service.id, location.position),
            "location_id": location_id,
            "description": (_("Wheelchair accessible") if location.wheelchair_access
                            else _("Not wheelchair accessible")),
        })
    place = _compact({
        "id": location_id,
        "location_type": "physical",
        "organization_id": organization_uuid(service.organization_id),
        "name": localized(service, "name", lang)[0],
        "description": localized(location, "note", lang)[0],
        "latitude": location.lat,
        "longitude": location.lon,
        "addresses": [address],
        "accessibility": accessibility,
    })
    return _compact({"id": link_id, "service_id": sid, "location_id": location_id,
                     "schedules": schedules, "location": place})


def _attributes(service: Service, sid: str, lang: str) -> list[dict]:
    """The kinds of mediation and the update interval, as terms of our own code lists."""
    attributes = [
        {"id": stable_id("attribute", "service", service.id, TYPES_TAXONOMY, code),
         "link_id": sid, "link_type": "service_type", "link_entity": "service", "value": code,
         "taxonomy_term": {"id": stable_id("taxonomy_term", TYPES_TAXONOMY, code),
                           "code": code, "name": str(SERVICE_TYPES[code]),
                           "description": str(SERVICE_TYPES[code]),
                           "taxonomy": TYPES_TAXONOMY}}
        for code in service.type_codes
    ]
    months = service.update_interval_months
    attributes.append({
        "id": stable_id("attribute", "service", service.id, INTERVAL_TAXONOMY),
        "link_id": sid, "link_type": "update_interval", "link_entity": "service",
        "value": f"P{months}M",  # ISO 8601 duration
        "taxonomy_term": {
            "id": stable_id("taxonomy_term", INTERVAL_TAXONOMY, months),
            "code": f"P{months}M",
            "name": _("Checked every %(months)d months", months=months),
            "description": _("How often the service's editors confirm its information"),
            "taxonomy": INTERVAL_TAXONOMY,
        },
    })
    return attributes


def _provenance(service: Service, sid: str) -> list[dict]:
    """Where the record comes from and who confirmed it (a role, never a person)."""
    events = []
    if service.source_url:
        events.append({
            "id": stable_id("metadata", service.id, "source"),
            "resource_id": sid, "resource_type": "service",
            "last_action_date": (service.source_date.isoformat() if service.source_date
                                 else moment(service.created_at)),
            "last_action_type": "sourced",
            "field_name": "*", "previous_value": "", "replacement_value": service.source_url,
            "updated_by": service.source_url,
        })
    if service.confirmed_at and service.confirmation:
        events.append({
            "id": stable_id("metadata", service.id, "confirmation"),
            "resource_id": sid, "resource_type": "service",
            "last_action_date": moment(service.confirmed_at),
            "last_action_type": "confirmed",
            "field_name": "*", "previous_value": "", "replacement_value": "",
            "updated_by": service.confirmation,  # "editor" or "admin_check"
        })
    return events
