"""Between the service form and the service's fields: choices, prefill, reading, geocoding."""

from __future__ import annotations

import csv
import os
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _

from .. import geocoding
from ..directory.fields import TEXT_FIELDS, TEXT_LANGUAGES
from ..extensions import db
from ..formatting import WEEKDAYS
from ..i18n import commune_name, current_language, localized, place_name
from ..models import Commune, Organization, OrganizationKind, Province, User
from ..values import e164, hours_text, parse_hours
from .forms import judicial_districts


def organization_choices(user: User, communes: list[str],
                         current: Organization | None = None) -> list[tuple[str, str]]:
    """The organisations this user may run a service for: the service's own, theirs, and the
    administration and CPAS of each commune they manage (or, for an admin, of those covered)."""
    choices = [(choice_of(current), localized(current, "name")[0])] if current else []
    organizations = list(user.organizations)
    if user.is_admin:
        organizations = db.session.scalars(db.select(Organization).order_by(Organization.name_fr)).all()
    for organization in organizations:
        choices.append((f"id:{organization.id}", localized(organization, "name")[0]))
    refnis = [c.refnis for c in user.communes] + (list(communes) if user.is_admin else [])
    for code in dict.fromkeys(refnis):
        commune = db.session.get(Commune, code)
        if commune is None:
            continue
        name = commune_name(commune)
        choices.append((f"commune:{code}", _("Commune of %(name)s", name=name)))
        choices.append((f"cpas:{code}", _("CPAS/OCMW of %(name)s", name=name)))
    return list(dict.fromkeys(choices))


def organization_for(choice: str) -> Organization | None:
    """Return the organisation a choice names, creating a commune's or CPAS's on first use."""
    kind, _sep, value = (choice or "").partition(":")
    if kind == "id" and value.isdigit():
        return db.session.get(Organization, int(value))
    if kind not in ("commune", "cpas"):
        return None
    commune = db.session.get(Commune, value)
    if commune is None:
        return None
    key = f"{kind}:{value}"
    found = db.session.scalar(db.select(Organization).filter_by(external_key=key))
    if found is not None:
        return found
    names = {lang: commune_name(commune, lang) for lang in TEXT_LANGUAGES}
    # French elides "de" before a vowel: Commune d’Anderlecht (not before Hannut, Huy: aspirated).
    of = "d’" if names["fr"][:1].lower() in "aeiouyâéèêîôû" else "de "
    labels = {"commune": {"fr": "Commune " + of + "{}", "nl": "Gemeente {}", "de": "Gemeinde {}",
                          "en": "Municipality of {}"},
              "cpas": {"fr": "CPAS " + of + "{}", "nl": "OCMW {}", "de": "ÖSHZ {}",
                       "en": "CPAS of {}"}}
    organization = Organization(
        external_key=key, refnis=value,
        kind=OrganizationKind.commune if kind == "commune" else OrganizationKind.cpas,
        **{f"name_{lang}": labels[kind][lang].format(names[lang]) for lang in TEXT_LANGUAGES})
    db.session.add(organization)
    db.session.flush()
    return organization


def choice_of(organization: Organization | None) -> str:
    if organization is None:
        return ""
    if organization.external_key and organization.external_key.split(":")[0] in ("commune", "cpas"):
        return organization.external_key
    return f"id:{organization.id}"


@lru_cache(maxsize=1)
def arrondissements() -> dict[str, dict[str, str]]:
    """The administrative arrondissements: {two-digit code: {"fr": name, "nl": …, "de": …}}."""
    path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "arrondissements.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["code"]: {lang: row[f"name_{lang}"] for lang in ("fr", "nl", "de")}
                for row in csv.DictReader(handle)}


def group_choices() -> list[tuple[str, str]]:
    """Shortcuts that add many communes at once: a province, an administrative arrondissement
    or a judicial district (SAC mediation is organised per judicial district)."""
    lang = current_language()
    provinces = db.session.scalars(db.select(Province).order_by(Province.code)).all()
    choices = [(f"province:{p.code}", _("Province: %(name)s", name=place_name(p))) for p in provinces]
    for code, names in arrondissements().items():
        choices.append((f"arrondissement:{code}",
                        _("Arrondissement: %(name)s", name=names.get(lang) or names["fr"])))
    for key, (names, _members) in sorted(judicial_districts().items()):
        name = names.get(lang) or names.get("fr")
        choices.append((f"judicial:{key}", _("Judicial district: %(name)s", name=name)))
    return choices


def communes_of_group(choice: str) -> list[str]:
    kind, _sep, value = (choice or "").partition(":")
    if kind == "province":
        return list(db.session.scalars(db.select(Commune.refnis).filter_by(
            province_code=value, active=True).order_by(Commune.refnis)))
    if kind == "arrondissement" and value in arrondissements():
        return list(db.session.scalars(db.select(Commune.refnis).where(
            Commune.refnis.startswith(value), Commune.active).order_by(Commune.refnis)))
    if kind == "judicial" and value in judicial_districts():
        return sorted(judicial_districts()[value][1])
    return []


def form_data(fields: dict) -> dict:
    """The form's initial values for a service's fields."""
    data = {
        "organization": "",
        "types": fields["types"], "communes": fields["communes"],
        "languages": fields["languages"],
        "update_interval_months": fields["update_interval_months"],
        "phone": fields["phone"], "email": fields["email"], "website": fields["website"],
        "contact_name": fields["contact_name"], "contact_email": fields["contact_email"],
        "contact_phone": fields["contact_phone"],
        "free_of_charge": fields["free_of_charge"],
        "handles_sac_minors": fields["handles_sac_minors"],
    }
    organization = db.session.get(Organization, fields["organization_id"] or 0)
    data["organization"] = choice_of(organization)
    for name in TEXT_FIELDS:
        for lang in TEXT_LANGUAGES:
            data[f"{name}_{lang}"] = fields["texts"][name].get(lang, "")
    place = fields.get("location")
    if place:
        commune = db.session.get(Commune, place["refnis"]) if place.get("refnis") else None
        data.update({
            "street": place.get("street"), "number": place.get("number"), "box": place.get("box"),
            "postal_code": place.get("postal_code"),
            "location_commune": commune_name(commune) if commune else "",
            "lat": place.get("lat"), "lon": place.get("lon"),
            "position_manual": "1" if place.get("geocode_source") == "manual" else "",
            "by_appointment": place.get("by_appointment"),
            "wheelchair_access": {True: "yes", False: "no"}.get(place.get("wheelchair_access"), ""),
        })
        for day in WEEKDAYS:
            data[f"hours_{day}"] = hours_text((place.get("opening_hours") or {}).get(day, []))
        for lang in TEXT_LANGUAGES:
            data[f"note_{lang}"] = (place.get("note") or {}).get(lang, "")
    return data


def read_fields(form, previous: dict | None) -> dict:
    """Return the service's fields from a valid form; the position is settled by `locate`."""
    organization = organization_for(form.organization.data)
    fields = {
        "organization_id": organization.id if organization else None,
        "texts": {name: {lang: form.text(name, lang).data or "" for lang in TEXT_LANGUAGES}
                  for name in TEXT_FIELDS},
        "types": list(form.types.data or []),
        "communes": list(dict.fromkeys(form.communes.data or [])),
        "languages": list(form.languages.data or []),
        "update_interval_months": form.update_interval_months.data or 6,
        "phone": e164(form.phone.data) if form.phone.data else "",
        "email": (form.email.data or "").lower(),
        "website": form.website.data or "",
        "contact_name": form.contact_name.data or "",
        "contact_email": (form.contact_email.data or "").lower(),
        "contact_phone": e164(form.contact_phone.data) if form.contact_phone.data else "",
        "free_of_charge": bool(form.free_of_charge.data),
        "handles_sac_minors": bool(form.handles_sac_minors.data),
    }
    commune = form.location_commune.commune
    if commune is None and fields["communes"]:
        commune = db.session.get(Commune, fields["communes"][0])
    if commune is None:
        fields["location"] = None
        return fields
    postal_code = form.postal_code.data or (commune.postal_codes[0].code if commune.postal_codes else "")
    fields["location"] = {
        "street": form.street.data or "", "number": form.number.data or "",
        "box": form.box.data or "", "postal_code": postal_code, "refnis": commune.refnis,
        "opening_hours": {day: parse_hours(form[f"hours_{day}"].data) for day in WEEKDAYS
                          if form[f"hours_{day}"].data},
        "by_appointment": bool(form.by_appointment.data),
        "wheelchair_access": {"yes": True, "no": False}.get(form.wheelchair_access.data),
        "note": {lang: form[f"note_{lang}"].data or "" for lang in TEXT_LANGUAGES},
    }
    locate(fields["location"], form, (previous or {}).get("location"))
    return fields


def locate(place: dict, form, previous: dict | None) -> None:
    """Settle the position: a pin set by hand wins; an unchanged address keeps its position;
    otherwise the geocoders' chain, and the commune's point (pending) when they fail."""
    if form.position_manual.data == "1" and form.lat.data is not None and form.lon.data is not None:
        place.update(lat=round(form.lat.data, 6), lon=round(form.lon.data, 6),
                     geocode_source="manual", geocode_precision="address", geocode_pending=False)
        return
    address_keys = ("street", "number", "postal_code", "refnis")
    if previous and all(previous.get(k) == place.get(k) for k in address_keys) \
            and previous.get("lat") is not None:
        for key in ("lat", "lon", "geocode_source", "geocode_precision", "geocode_pending"):
            place[key] = previous.get(key)
        return
    address = geocoding.Address(place["street"], place["number"], place["postal_code"],
                                place["refnis"])
    position = geocoding.geocode(address) if place["street"] else None
    if position is not None and position.source != "commune-centroid":
        place.update(lat=position.lat, lon=position.lon, geocode_source=position.source,
                     geocode_precision=position.precision, geocode_pending=False)
        return
    commune = db.session.get(Commune, place["refnis"])
    # An address the network geocoders could not place now is tried again by geocode-pending.
    network = any(p.name != "offline" for p in geocoding.chain_from_config())
    place.update(lat=commune.lat, lon=commune.lon, geocode_source="commune-centroid",
                 geocode_precision="commune",
                 geocode_pending=bool(place["street"]) and network
                 and not geocoding.was_answered(address))
    current_app.logger.info("Address kept at its commune's point (pending: %s)",
                            place["geocode_pending"])
