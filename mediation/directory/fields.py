"""A service as one dictionary of fields: what a form edits, a revision proposes, an audit keeps.

`fields_of(service)` reads it, `apply_fields(service, fields)` writes it back. Contact persons
are in it (editors and admins see them); nothing here is ever exported or shown publicly.
"""

from __future__ import annotations

from ..extensions import db
from ..i18n import GERMAN_LANGUAGE_AREA
from ..models import Commune, Location, Organization, Service, ServiceArea, ServiceType

TEXT_LANGUAGES = ("fr", "nl", "de", "en")
TEXT_FIELDS = ("name", "description", "target_public", "how_to_request", "conditions",
               "cost_note")
PLAIN_FIELDS = ("email", "phone", "website", "contact_name", "contact_email", "contact_phone")
FLAGS = ("handles_sac_minors", "free_of_charge")
LOCATION_FIELDS = ("street", "number", "box", "postal_code", "refnis", "lat", "lon",
                   "geocode_source", "geocode_precision", "geocode_pending",
                   "wheelchair_access", "opening_hours", "by_appointment")
UPDATE_INTERVALS = (3, 6, 12)

BRUSSELS, FLANDERS, WALLONIA = "04000", "02000", "03000"


def fields_of(service: Service) -> dict:
    """Return everything an editor may change of a service, as plain JSON values."""
    location = service.locations[0] if service.locations else None
    return {
        "organization_id": service.organization_id,
        "texts": {name: {lang: getattr(service, f"{name}_{lang}") or "" for lang in TEXT_LANGUAGES}
                  for name in TEXT_FIELDS},
        "types": list(service.type_codes),
        "communes": sorted(area.refnis for area in service.areas),
        "languages": list(service.languages or []),
        "update_interval_months": service.update_interval_months or 6,
        **{name: getattr(service, name) or "" for name in PLAIN_FIELDS},
        **{name: bool(getattr(service, name)) for name in FLAGS},
        "location": location_fields(location) if location else None,
    }


def location_fields(location: Location) -> dict:
    values = {name: getattr(location, name) for name in LOCATION_FIELDS}
    values["opening_hours"] = dict(location.opening_hours or {})
    values["note"] = {lang: getattr(location, f"note_{lang}") or "" for lang in TEXT_LANGUAGES}
    return values


def apply_fields(service: Service, fields: dict) -> None:
    """Write a dictionary made by `fields_of` (or a form) onto the service and its relations."""
    service.organization = db.session.get(Organization, fields["organization_id"])
    for name, per_language in fields["texts"].items():
        for lang in TEXT_LANGUAGES:
            setattr(service, f"{name}_{lang}", per_language.get(lang, "") or "")
    service.types = [db.session.get(ServiceType, code) for code in fields["types"]]
    wanted = list(dict.fromkeys(fields["communes"]))
    kept = {area.refnis: area for area in service.areas if area.refnis in wanted}
    service.areas = [kept.get(code) or ServiceArea(refnis=code) for code in wanted]
    service.languages = list(fields["languages"])
    service.update_interval_months = fields["update_interval_months"]
    for name in PLAIN_FIELDS:
        setattr(service, name, fields.get(name) or None)
    for name in FLAGS:
        setattr(service, name, bool(fields.get(name)))
    place = fields.get("location")
    if place is None:
        service.locations = []
        return
    location = service.locations[0] if service.locations else Location(position=0)
    for name in LOCATION_FIELDS:
        setattr(location, name, place.get(name))
    location.street = place.get("street") or ""
    location.number = place.get("number") or ""
    location.box = place.get("box") or ""
    location.by_appointment = bool(place.get("by_appointment"))
    location.geocode_pending = bool(place.get("geocode_pending"))
    for lang in TEXT_LANGUAGES:
        setattr(location, f"note_{lang}", (place.get("note") or {}).get(lang, ""))
    if not service.locations:
        service.locations = [location]


def required_languages(refnis_list: list[str]) -> list[str]:
    """Return the languages a service's texts must exist in, from the communes it covers.

    Brussels needs French and Dutch; Flanders Dutch; Wallonia French; the German-speaking
    communes German.
    """
    needed: set[str] = set()
    communes = [db.session.get(Commune, code) for code in refnis_list]
    for commune in filter(None, communes):
        if commune.region_code == BRUSSELS:
            needed |= {"fr", "nl"}
        elif commune.refnis in GERMAN_LANGUAGE_AREA:
            needed.add("de")
        elif commune.region_code == FLANDERS:
            needed.add("nl")
        else:
            needed.add("fr")
    return [lang for lang in TEXT_LANGUAGES if lang in needed]


def language_complete(fields: dict, lang: str) -> bool:
    """A language is complete when the service's name and description exist in it."""
    texts = fields["texts"]
    return bool(texts["name"].get(lang, "").strip() and texts["description"].get(lang, "").strip())


def described(fields: dict, lang: str, kind_texts: dict[str, dict[str, str]]) -> bool:
    """A description in the language, or the standard text of one of the service's kinds
    (`kind_texts`: {code: {language: text}}), which the public page shows in its place."""
    return bool(fields["texts"]["description"].get(lang, "").strip() or any(
        kind_texts.get(code, {}).get(lang, "").strip() for code in fields["types"]))


def kind_texts() -> dict[str, dict[str, str]]:
    """The admins' standard text of each kind, {code: {language: text}}."""
    from ..models import KindText

    return {text.code: {lang: getattr(text, f"text_{lang}") or "" for lang in TEXT_LANGUAGES}
            for text in db.session.scalars(db.select(KindText))}


def changed_fields(before: dict, after: dict) -> list[str]:
    """Return the top-level names whose values differ (for the audit trail and the review)."""
    return [name for name in after if before.get(name) != after.get(name)]
