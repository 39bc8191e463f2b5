"""The Frictionless data package of the CSV exports: one Table Schema per file, so that phones,
postal and NIS codes stay text, and booleans, dates and numbers are read as such."""

from __future__ import annotations

from ..directory.exchange.exporting import CSV_COLUMNS
from ..directory.reading.coverage import CSV_STATIC_COLUMNS, STATES
from ..models import ServiceType

REFNIS = "[0-9]{5}"
KINDS = "|".join(ServiceType.CODES)

SERVICE_FIELDS = {
    "id": {"type": "integer", "constraints": {"required": True, "unique": True, "minimum": 1},
           "description": "The service's number in the directory (its page and API address)."},
    **{f"name_{lang}": {"type": "string", "description": f"Name of the service ({lang})."}
       for lang in ("fr", "nl", "de", "en")},
    "types": {"type": "string", "constraints": {"pattern": f"({KINDS})(\\|({KINDS}))*"},
              "description": "Kinds of mediation, joined by |: " + ", ".join(ServiceType.CODES)},
    "organization_name_fr": {"type": "string"},
    "organization_name_nl": {"type": "string"},
    "organization_kind": {"type": "string", "constraints": {"enum": [
        "commune", "cpas", "police_zone", "province", "intercommunal", "non_profit"]}},
    "street": {"type": "string"},
    "number": {"type": "string", "description": "House number, as written (12A)."},
    "box": {"type": "string"},
    "postal_code": {"type": "string", "constraints": {"pattern": "[0-9]{4}"},
                    "description": "Belgian postal code, four digits, as text."},
    "refnis": {"type": "string", "constraints": {"pattern": REFNIS},
               "description": "Statbel REFNIS (NIS) code of the address's commune, as text."},
    "commune_name_fr": {"type": "string"},
    "commune_name_nl": {"type": "string"},
    "lat": {"type": "number", "constraints": {"minimum": 49, "maximum": 52},
            "description": "Latitude, WGS 84."},
    "lon": {"type": "number", "constraints": {"minimum": 2, "maximum": 7},
            "description": "Longitude, WGS 84."},
    "phone": {"type": "string", "constraints": {"pattern": r"\+[1-9][0-9]{6,14}"},
              "description": "E.164, as text: the + and every digit kept."},
    "email": {"type": "string", "format": "email"},
    "website": {"type": "string"},
    "languages": {"type": "string", "constraints": {"pattern": "[a-z]{2}(\\|[a-z]{2})*"},
                  "description": "ISO 639-1 codes of the languages spoken, joined by |."},
    "communes": {"type": "string", "constraints": {"pattern": f"{REFNIS}(\\|{REFNIS})*"},
                 "description": "REFNIS codes of the communes covered, joined by |."},
    "free_of_charge": {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
    "handles_sac_minors": {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
    "last_verified_at": {"type": "date", "description": "The day the entry was last checked."},
    "is_demo": {"type": "boolean", "trueValues": ["true"], "falseValues": ["false"],
                "description": "A demonstration entry, not a real service."},
    "url": {"type": "string", "format": "uri", "description": "The service's page."},
    "source_url": {"type": "string", "format": "uri",
                   "description": "The list or page the entry was taken from, if any."},
    "source_date": {"type": "date", "description": "The day that source gave."},
    "confirmed_at": {"type": "date", "description": "The day the service's organisation (or "
                                                    "the directory's team) confirmed the entry; "
                                                    "empty while it is not confirmed."},
}

COVERAGE_FIELDS = {
    "refnis": {"type": "string", "constraints": {"required": True, "unique": True,
                                                 "pattern": REFNIS},
               "description": "Statbel REFNIS (NIS) code of the commune, as text."},
    "name_fr": {"type": "string"},
    "name_nl": {"type": "string"},
    "name_de": {"type": "string"},
    "region": {"type": "string", "constraints": {"pattern": REFNIS},
               "description": "REFNIS code of the region."},
    "province": {"type": "string", "constraints": {"pattern": REFNIS},
                 "description": "REFNIS code of the province; empty in Brussels."},
    "lat": {"type": "number", "description": "Latitude of the commune's point, WGS 84."},
    "lon": {"type": "number", "description": "Longitude of the commune's point, WGS 84."},
}
STATE_FIELD = {"type": "string", "constraints": {"required": True, "enum": list(STATES)},
               "description": "own: a service of the commune's own; shared: a service it "
                              "shares; none: no published service known."}


def _fields(columns, known: dict) -> list[dict]:
    return [{"name": name, **known.get(name, STATE_FIELD)} for name in columns]


def data_package(services_url: str, coverage_url: str, license_url: str,
                 license_title: str, title: str, homepage: str,
                 sources: list[dict], kinds: list[str]) -> dict:
    """Return the descriptor (datapackage.json) of the two CSV exports, at absolute URLs."""
    services = {
        "name": "services",
        "path": services_url,
        "title": "Published mediation services",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "profile": "tabular-data-resource",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
        "schema": {
            "fields": _fields(CSV_COLUMNS, SERVICE_FIELDS),
            "missingValues": [""],
            "primaryKey": ["id"],
            "foreignKeys": [{"fields": "refnis",
                             "reference": {"resource": "coverage", "fields": "refnis"}}],
        },
    }
    coverage = {
        "name": "coverage",
        "path": coverage_url,
        "title": "Communes and their coverage per kind of mediation",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "profile": "tabular-data-resource",
        "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
        "schema": {
            "fields": _fields([*CSV_STATIC_COLUMNS, *kinds], COVERAGE_FIELDS),
            "missingValues": [""],
            "primaryKey": ["refnis"],
        },
    }
    return {
        "profile": "tabular-data-package",
        "name": "belgian-local-mediation-services",
        "title": title,
        "homepage": homepage,
        "licenses": [{"name": license_title, "path": license_url, "title": license_title}],
        "sources": sources,
        "resources": [services, coverage],
    }
