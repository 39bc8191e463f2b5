"""schema.org description of a service page, for search engines and assistive tools.

Only properties schema.org defines for each type are used (tests/test_crawlers.py keeps the
list, with its sources): a GovernmentService has no language or price of its own, so the
languages spoken are said by its ServiceChannel and "free" by an Offer at 0 EUR.
"""

from flask import url_for

from ..formatting import WEEKDAYS
from ..i18n import commune_name, localized
from ..web import public_url

SCHEMA_DAYS = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                  "Saturday", "Sunday")))


def service_json_ld(service) -> dict:
    """Return a GovernmentService with its provider, area served and contact channel."""
    name = localized(service, "name")[0]
    url = public_url(url_for("public.service", service_id=service.id))  # the canonical address
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "@id": url,
        "url": url,
        "name": name,
        "description": localized(service, "description")[0],
        "provider": {"@type": "GovernmentOrganization",
                     "name": localized(service.organization, "name")[0]},
        "areaServed": [{"@type": "City", "name": commune_name(area.commune)}
                       for area in service.areas],
    }
    if service.free_of_charge:
        data["offers"] = {"@type": "Offer", "price": 0, "priceCurrency": "EUR"}
    channel = {"@type": "ServiceChannel", "serviceUrl": service.website or url,
               "availableLanguage": list(service.languages or [])}
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
