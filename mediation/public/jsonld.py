"""schema.org description of a service page, for search engines and assistive tools."""

from flask import url_for

from ..formatting import WEEKDAYS
from ..i18n import commune_name, localized
from .slugs import slugify

SCHEMA_DAYS = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                  "Saturday", "Sunday")))


def service_json_ld(service) -> dict:
    """Return a GovernmentService with its provider, area served and contact channel."""
    name, lang = localized(service, "name")
    url = url_for("public.service", service_id=service.id, slug=slugify(name), _external=True)
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "@id": url,
        "url": url,
        "name": name,
        "inLanguage": lang,
        "description": localized(service, "description")[0],
        "provider": {"@type": "GovernmentOrganization",
                     "name": localized(service.organization, "name")[0]},
        "areaServed": [{"@type": "City", "name": commune_name(area.commune)}
                       for area in service.areas],
        "isAccessibleForFree": service.free_of_charge,
        "availableLanguage": list(service.languages or []),
    }
    channel = {"@type": "ServiceChannel", "serviceUrl": service.website or url}
    if service.phone:
        channel["servicePhone"] = {"@type": "ContactPoint", "telephone": service.phone,
                                   "email": service.email or None}
    if service.locations:
        location = service.locations[0]
        place = {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": " ".join(p for p in (location.street, location.number) if p),
                "postalCode": location.postal_code,
                "addressLocality": commune_name(location.commune),
                "addressCountry": "BE",
            },
            "openingHoursSpecification": [
                {"@type": "OpeningHoursSpecification", "dayOfWeek": SCHEMA_DAYS[day],
                 "opens": start, "closes": end}
                for day in WEEKDAYS for start, end in (location.opening_hours or {}).get(day, [])
            ],
        }
        if location.lat is not None:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": location.lat,
                            "longitude": location.lon}
        channel["serviceLocation"] = place
    data["availableChannel"] = channel
    return data
