"""One way to show a stored value of a service to a person (STYLE §20): names for ids, units,
Yes/No, formatted hours and phones, "not set" for nothing. The review, the history, the
conflict page and the mails all read values through `field_text`; Python's `repr` never
reaches a page.
"""

from __future__ import annotations

import math

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import formatting
from .i18n import commune_label, localized
from .labels import SERVICE_TYPES, language_name

# Compass points, clockwise from north, each covering 45 degrees.
DIRECTIONS = (_l("north"), _l("north-east"), _l("east"), _l("south-east"), _l("south"),
              _l("south-west"), _l("west"), _l("north-west"))


def not_set() -> str:
    return _("not set")


def yes_no(value) -> str:
    return _("Yes") if value else _("No")


def hours_text(hours: dict | None) -> str:
    """Opening hours in one line: "Mon 9:00–12:00, 13:30–17:00; Thu 14:00–16:00"."""
    days = [f"{name[:3]} {', '.join(spans)}" for _code, name, spans
            in formatting.opening_hours(hours) if spans]
    return "; ".join(days)


def interval_text(months) -> str:
    months = int(months or 6)
    return ngettext("every %(num)d month", "every %(num)d months", months)


def organization_name(organization_id) -> str:
    from .extensions import db
    from .models import Organization

    organization = db.session.get(Organization, organization_id) if organization_id else None
    return localized(organization, "name")[0] if organization else ""


def address_text(address: dict | None) -> str:
    """"Rue X 12 box 3, 1030 Schaerbeek" from a location's fields."""
    if not address:
        return ""
    street = " ".join(p for p in (address.get("street"), address.get("number")) if p)
    if address.get("box"):
        street = _("%(street)s box %(box)s", street=street, box=address["box"])
    town = " ".join(p for p in (address.get("postal_code") or "",
                                commune_label(address["refnis"]) if address.get("refnis") else "")
                    if p)
    return ", ".join(p for p in (street, town) if p)


def position_text(position) -> str:
    lat, lon = position if position else (None, None)
    if lat is None or lon is None:
        return ""
    return _("%(lat)s° N, %(lon)s° E", lat=format_decimal(lat, format="0.00000"),
             lon=format_decimal(lon, format="0.00000"))


def direction(before, after) -> str:
    """The compass direction from one position to another, in words ("north-east")."""
    (lat1, lon1), (lat2, lon2) = before, after
    east = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    north = lat2 - lat1
    bearing = math.degrees(math.atan2(east, north)) % 360
    return str(DIRECTIONS[int((bearing + 22.5) // 45) % 8])


def move_text(before, after, metres: float | None) -> str:
    """"Moved 40 m north-east" — the text equivalent of the pin's move on the map."""
    if metres is None or None in (*(before or (None, None)), *(after or (None, None))):
        return ""
    if metres < 1:
        return _("Moved less than a metre.")
    return _("Moved %(distance)s %(direction)s.",
             distance=formatting.distance(metres / 1000), direction=direction(before, after))


def field_text(key: str, value) -> str:
    """Return a field's value of a service (as `fields_of` or a diff holds it) in words."""
    if key in ("free_of_charge", "handles_sac_minors", "by_appointment"):
        return yes_no(value)
    if key == "wheelchair_access":
        return not_set() if value is None else yes_no(value)
    if value is None or value == "" or value == [] or value == {}:
        return not_set()
    if key == "organization_id":
        return organization_name(value) or not_set()
    if key == "communes":
        return ", ".join(commune_label(code) for code in value)
    if key == "types":
        return ", ".join(str(SERVICE_TYPES.get(code, code)) for code in value)
    if key == "languages":
        return ", ".join(language_name(code) for code in value)
    if key == "update_interval_months":
        return interval_text(value)
    if key in ("phone", "contact_phone"):
        return formatting.phone(value, national=True)
    if key == "opening_hours":
        return hours_text(value) or not_set()
    if key == "address":
        return address_text(value) or not_set()
    if key == "position":
        return position_text(value) or not_set()
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)
