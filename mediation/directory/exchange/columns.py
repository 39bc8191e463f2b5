"""The directory's exchange format: one row per service, under stable column keys.

The same columns are written by the exports (CSV, XLSX, GeoJSON properties), read back by the
import and explained in the template's help sheet. Keys never change meaning; new columns are
only ever added. Nothing personal is in it: the contact person of a service never leaves.
"""

from __future__ import annotations

from datetime import datetime, timezone

from flask_babel import lazy_gettext as _l

from ...formatting import WEEKDAYS
from ...models import Organization, Service
from ..fields import TEXT_FIELDS, TEXT_LANGUAGES

LIST_SEPARATOR = "|"
# Ids a service or an organisation without an external key of its own is exported under.
SERVICE_KEY_PREFIX = "service-"
ORGANIZATION_KEY_PREFIX = "organization-"

TEXT_COLUMNS = tuple(f"{name}_{lang}" for name in TEXT_FIELDS for lang in TEXT_LANGUAGES)
COLUMNS = (
    "external_id", "status", "is_demo",
    "organization_key", "organization_kind",
    *(f"organization_name_{lang}" for lang in TEXT_LANGUAGES), "organization_kbo",
    *TEXT_COLUMNS,
    "types", "handles_sac_minors", "free_of_charge", "languages",
    "phone", "email", "website",
    "communes", *(f"coverage_note_{lang}" for lang in TEXT_LANGUAGES),
    "street", "number", "box", "postal_code", "commune", "lat", "lon",
    "wheelchair_access", "by_appointment", *(f"hours_{day}" for day in WEEKDAYS),
    *(f"hours_note_{lang}" for lang in TEXT_LANGUAGES),
    "update_interval_months", "last_verified_at",
    "source_url", "source_date",
)
REQUIRED_COLUMNS = ("types", "communes")

LANGUAGE_NAMES = {"fr": _l("French"), "nl": _l("Dutch"), "de": _l("German"), "en": _l("English")}
DAY_NAMES = {"mon": _l("Monday"), "tue": _l("Tuesday"), "wed": _l("Wednesday"),
             "thu": _l("Thursday"), "fri": _l("Friday"), "sat": _l("Saturday"),
             "sun": _l("Sunday")}
TEXT_HELP = {
    "name": _l("Name of the service in %(language)s. At least one name is required."),
    "description": _l("What the service does, in %(language)s. The name and the description are "
                      "required in the languages of the communes covered."),
    "target_public": _l("Who the service is for, in %(language)s."),
    "how_to_request": _l("How to ask for mediation, in %(language)s."),
    "conditions": _l("Conditions, in %(language)s."),
    "cost_note": _l("Cost when the service is not free, in %(language)s."),
}
HELP = {
    "external_id": _l("Your stable identifier of the service: importing a row with the same "
                      "identifier again updates that service instead of adding one. Without it, "
                      "the same organisation or commune, kind and name mean the same service."),
    "status": _l("published (the default), draft, pending or archived."),
    "is_demo": _l("true for a demonstration entry, otherwise false (the default)."),
    "organization_key": _l("Identifier of the organisation running the service; rows with the "
                           "same key share one organisation."),
    "organization_kind": _l("commune, cpas, police_zone, province, intercommunal or non_profit."),
    "organization_name": _l("Name of the organisation in %(language)s (needed when the "
                            "organisation is new)."),
    "organization_kbo": _l("Enterprise number (KBO/BCE) of the organisation, e.g. 0123.456.789."),
    "types": _l("Required. Kinds of mediation, separated by |: neighbourhood, community, sac, "
                "school, other."),
    "handles_sac_minors": _l("true when the service offers the mediation for minors under the "
                             "municipal administrative sanctions (SAC/GAS)."),
    "free_of_charge": _l("true (the default) or false."),
    "languages": _l("Languages spoken, as two-letter codes separated by |, e.g. fr|nl|en."),
    "phone": _l("Phone number, e.g. 02 555 01 23 or +32 2 555 01 23. A phone number or an "
                "e-mail address is required."),
    "email": _l("E-mail address of the service (never a person's own address)."),
    "website": _l("Web address, starting with https://"),
    "communes": _l("Required. Communes covered, by REFNIS code or name, separated by |."),
    "coverage_note": _l("Note on the coverage in %(language)s, e.g. when only part of a commune "
                        "is covered."),
    "street": _l("Street of the office."),
    "number": _l("House number."),
    "box": _l("Box number."),
    "postal_code": _l("Postal code (four digits); it must belong to the commune of the address."),
    "commune": _l("Commune of the address, by REFNIS code or name; the first commune covered when "
                  "empty."),
    "lat": _l("Latitude of the office (WGS 84). When empty, the office is shown at the commune's "
              "point until the address is geocoded."),
    "lon": _l("Longitude of the office (WGS 84)."),
    "wheelchair_access": _l("true, false or empty when not known."),
    "by_appointment": _l("true when the service receives by appointment only."),
    "hours": _l("Opening hours on %(day)s, e.g. 9:00-12:00, 13:30-17:00."),
    "hours_note": _l("Holidays and other notes on the hours, in %(language)s."),
    "update_interval_months": _l("How often the entry is checked: 3, 6 (the default) or 12 months."),
    "last_verified_at": _l("When the entry was last checked (YYYY-MM-DD); the import's date when "
                           "empty."),
    "source_url": _l("The web page or list the entry was taken from, when it was not written by "
                     "its organisation: it stays “not yet confirmed” until they confirm it."),
    "source_date": _l("The date of that page or list (YYYY-MM-DD)."),
}


def column_help(column: str) -> str:
    """Return the help text of one column in the current language."""
    if column in HELP:
        return str(HELP[column])
    stem, _sep, suffix = column.rpartition("_")
    if suffix in LANGUAGE_NAMES:
        template = TEXT_HELP.get(stem) or HELP[stem]
        return str(template) % {"language": LANGUAGE_NAMES[suffix]}
    if stem == "hours":
        return str(HELP["hours"]) % {"day": DAY_NAMES[suffix]}
    raise KeyError(column)


def service_key(service: Service) -> str:
    return service.external_key or f"{SERVICE_KEY_PREFIX}{service.id}"


def organization_key(organization: Organization) -> str:
    return organization.external_key or f"{ORGANIZATION_KEY_PREFIX}{organization.id}"


def timestamp_text(moment: datetime | None) -> str:
    """A moment as UTC ISO 8601 to the second: the same text after any round trip."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def coordinate_text(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"


def flag_text(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def row_of(service: Service) -> dict[str, str]:
    """Return the service as a row of text cells under the stable column keys."""
    from ...formatting import WEEKDAYS as DAYS
    from ...values import hours_text

    organization = service.organization
    row = {
        "external_id": service_key(service),
        "status": service.status.value,
        "is_demo": flag_text(service.is_demo),
        "organization_key": organization_key(organization),
        "organization_kind": organization.kind.value,
        **{f"organization_name_{lang}": getattr(organization, f"name_{lang}") or ""
           for lang in TEXT_LANGUAGES},
        "organization_kbo": organization.kbo_number or "",
        **{column: getattr(service, column) or "" for column in TEXT_COLUMNS},
        "types": LIST_SEPARATOR.join(service.type_codes),
        "handles_sac_minors": flag_text(service.handles_sac_minors),
        "free_of_charge": flag_text(service.free_of_charge),
        "languages": LIST_SEPARATOR.join(service.languages or []),
        "phone": service.phone or "",
        "email": service.email or "",
        "website": service.website or "",
        "update_interval_months": str(service.update_interval_months or 6),
        "last_verified_at": timestamp_text(service.last_verified_at),
        "source_url": service.source_url or "",
        "source_date": service.source_date.isoformat() if service.source_date else "",
    }
    areas = sorted(service.areas, key=lambda area: area.refnis)
    row["communes"] = LIST_SEPARATOR.join(area.refnis for area in areas)
    for lang in TEXT_LANGUAGES:  # one note for every commune: the first commune's
        row[f"coverage_note_{lang}"] = getattr(areas[0], f"note_{lang}") or "" if areas else ""
    location = service.locations[0] if service.locations else None
    hours = (location.opening_hours or {}) if location else {}
    row.update({
        "street": location.street if location else "",
        "number": location.number if location else "",
        "box": location.box if location else "",
        "postal_code": location.postal_code if location else "",
        "commune": location.refnis if location else "",
        "lat": coordinate_text(location.lat) if location else "",
        "lon": coordinate_text(location.lon) if location else "",
        "wheelchair_access": flag_text(location.wheelchair_access) if location else "",
        "by_appointment": flag_text(location.by_appointment) if location else "",
        **{f"hours_{day}": hours_text(hours.get(day, [])) for day in DAYS},
        **{f"hours_note_{lang}": (getattr(location, f"note_{lang}") or "") if location else ""
           for lang in TEXT_LANGUAGES},
    })
    return {column: row[column] for column in COLUMNS}
