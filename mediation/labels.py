"""Translated labels of the stable codes used in the data (service types, organisation kinds)."""

from babel import Locale
from flask_babel import lazy_gettext as _l

from .i18n import current_language

SERVICE_TYPES = {
    "neighbourhood": _l("Neighbourhood mediation"),
    "community": _l("Community and conflict mediation"),
    "sac": _l("Mediation for municipal administrative sanctions (SAC/GAS)"),
    "school": _l("School mediation"),
    "other": _l("Other mediation"),
}

# The same kinds, short enough for a select menu on a phone.
SERVICE_TYPE_CHOICES = {
    "neighbourhood": _l("Neighbourhood mediation"),
    "community": _l("Conflict mediation"),
    "sac": _l("SAC/GAS mediation"),
    "school": _l("School mediation"),
    "other": _l("Other mediation"),
}

# The texts a service has in each language, as the service form and the review name them.
SERVICE_TEXTS = {
    "name": _l("Name of the service"),
    "description": _l("What the service does"),
    "target_public": _l("Who it is for"),
    "how_to_request": _l("How to ask for mediation"),
    "conditions": _l("Conditions"),
    "cost_note": _l("Cost (when not free)"),
}

ORGANIZATION_KINDS = {
    "commune": _l("Commune"),
    "cpas": _l("Public centre for social welfare (CPAS/OCMW)"),
    "police_zone": _l("Police zone"),
    "province": _l("Province"),
    "intercommunal": _l("Intercommunal association"),
    "non_profit": _l("Non-profit organisation mandated by a commune"),
}

# Languages a citizen may look for among those the mediators speak.
SPOKEN_LANGUAGES = ("fr", "nl", "de", "en", "ar", "tr", "es", "it", "lb", "pl", "pt", "ro", "ru")


def language_name(code: str, lang: str | None = None) -> str:
    """Return the name of a language in the reader's language ("néerlandais", "Niederländisch")."""
    locale = Locale.parse(lang or current_language())
    return locale.languages.get(code, code)
