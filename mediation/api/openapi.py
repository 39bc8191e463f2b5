"""The OpenAPI 3.1 description of /api/v1, built from the same limits the code enforces."""

from ..config import LANGUAGES
from ..directory.exchange.exporting import CSV_COLUMNS, WEEKDAYS
from ..gazetteer import MAX_QUERY_LENGTH, get_index
from ..models import ServiceType
from .schemas import (
    BELGIUM_LAT,
    BELGIUM_LON,
    ISO_639_1,
    MAX_PAGE,
    MAX_PER_PAGE,
    MOMENT_PATTERN,
    NEAR_PATTERN,
)

LANGS = list(LANGUAGES)
# What text_param() takes: no control characters (C0, DEL, C1) nor U+FFFD, the mark of bytes
# that were not UTF-8; a required text needs one character that is not a space.
_NOT_TEXT = r"\u0000-\u001f\u007f-\u009f\ufffd"
TEXT_PATTERN = f"^[^{_NOT_TEXT}]*$"
REQUIRED_TEXT_PATTERN = f"^[^{_NOT_TEXT}]*[^\\s{_NOT_TEXT}][^{_NOT_TEXT}]*$"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _param(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def _nullable(schema_type: str, **extra) -> dict:
    return {"type": [schema_type, "null"], **extra}


def _object(properties: dict, description: str | None = None) -> dict:
    schema = {"type": "object", "required": list(properties), "properties": properties}
    if description:
        schema["description"] = description
    return schema


def _optional(name: str, schema: dict) -> dict:
    """The object schema with one property that may be absent."""
    return {**schema, "required": [key for key in schema["required"] if key != name]}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


PARAMETERS = {
    "lang": {
        "name": "lang", "in": "query", "required": False,
        "description": "Language of names, addresses and error messages. A text missing in "
                       "this language is given in the next one (nl→fr, fr→nl, de→fr, en→fr).",
        "schema": {"type": "string", "enum": LANGS, "default": "fr"},
    },
    "commune": {
        "name": "commune", "in": "query", "required": False,
        "description": "REFNIS code of a commune (see /api/v1/communes). Services covering it "
                       "come first (`covers_commune: true`), then the others by distance from "
                       "the commune's centre (or from `near`). Does not filter the map or the "
                       "CSV, which only check it. One of the REFNIS codes of today's communes; "
                       "empty is the same as absent, as for every filter.",
        "schema": {"type": "string", "pattern": "^([0-9]{5})?$"}, "example": "21015",
    },
    "near": {
        "name": "near", "in": "query", "required": False,
        "description": "A position as `LAT,LON` in decimal degrees (WGS 84), within latitude "
                       f"{BELGIUM_LAT[0]:g}–{BELGIUM_LAT[1]:g} and longitude "
                       f"{BELGIUM_LON[0]:g}–{BELGIUM_LON[1]:g}. It is rounded to three decimals "
                       "(about 100 m) before use. On /services, without `commune`, the position "
                       "is placed in the commune it lies in (offline, from the judicial cantons "
                       "and the communes' points; named in the answer's `commune`) and the "
                       "services covering that commune come first (`covers_commune: true`), "
                       "then the others by distance from the position; `distance_km` is filled "
                       "in. Does not filter the map or the CSV, which only check it.",
        "schema": {"type": "string", "pattern": f"^$|{NEAR_PATTERN}"},
        "example": "50.8467,4.3525",
    },
    "type": {
        "name": "type", "in": "query", "required": False,
        "description": "Only services of this type.",
        "schema": {"type": "string", "enum": [*ServiceType.CODES, ""]},
    },
    "language": {
        "name": "language", "in": "query", "required": False,
        "description": "Only services whose mediators speak this language (ISO 639-1, in "
                       "either case).",
        "schema": {"type": "string", "example": "nl", "pattern": "^(" + "|".join(
            "".join(f"[{c}{c.upper()}]" for c in code) for code in sorted(ISO_639_1)) + ")?$"},
    },
    "q": {
        "name": "q", "in": "query", "required": False,
        "description": "Words of the service's or the organisation's name, in any language; "
                       "every word must match.",
        "schema": {"type": "string", "maxLength": MAX_QUERY_LENGTH, "pattern": TEXT_PATTERN},
    },
    "page": {
        "name": "page", "in": "query", "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
    },
    "per_page": {
        "name": "per_page", "in": "query", "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20},
    },
    "commune_query": {
        "name": "q", "in": "query", "required": True,
        "description": "What a citizen typed: a commune, a former commune, a village or a "
                       "postal code, in French, Dutch, German or English.",
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH,
                   "pattern": REQUIRED_TEXT_PATTERN},
        "example": "Schaarbeek",
    },
    "modified_after": {
        "name": "modified_after", "in": "query", "required": False,
        "description": "Only the services written after this moment, for harvesters: a day "
                       "(from midnight UTC) or a moment in ISO 8601, UTC when no offset is "
                       "given. The services taken off the directory since then are listed in "
                       "`removed`.",
        "schema": {"type": "string", "pattern": f"^$|{MOMENT_PATTERN}"},
        "example": "2026-11-30T08:00:00Z",
    },
    "limit": {
        "name": "limit", "in": "query", "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
    },
}

FILTERS = [_param(name) for name in ("commune", "near", "type", "language", "q", "lang")]

TRANSLATIONS = _object(
    {lang: {"type": "string"} for lang in LANGS},
    "One text in every language; an empty string where it was not written.",
)

SCHEMAS = {
    "Error": _object({"error": _object({
        "code": {"type": "string", "description": "Stable, e.g. `invalid_near`, `missing_q`, "
                                                   "`service_not_found`, `not_found`."},
        "message": {"type": "string", "description": "A sentence in the language asked."},
    })}),
    "ServiceTypeCode": {"type": "string", "enum": list(ServiceType.CODES)},
    "Translations": TRANSLATIONS,
    "LocalizedText": _object({
        "text": {"type": "string"},
        "lang": {"type": "string", "enum": LANGS,
                 "description": "The language the text is in: the one asked, or a fallback."},
    }),
    "Commune": _object({
        "refnis": {"type": "string", "pattern": "^[0-9]{5}$"},
        "name": {"type": "string"},
        "names": _object({lang: {"type": "string"} for lang in ("fr", "nl", "de")}),
        "postal_codes": {"type": "array", "items": {"type": "string"}},
        "province": _nullable("string", description="null in the Brussels-Capital Region"),
        "region": {"type": "string"},
        "lat": {"type": "number"},
        "lon": {"type": "number"},
        "matched": {"type": "string", "description": "The name or code that matched."},
        "match_kind": {"type": "string", "enum": ["name", "postal_code", "former_commune",
                                                  "locality", "fuzzy"]},
    }),
    "CommuneList": _object({"results": {"type": "array", "items": _ref("Commune")}}),
    "ServiceSummary": _object({
        "id": {"type": "integer"},
        "name": {"type": "string", "description": "In `lang`, or the fallback language."},
        "names": _ref("Translations"),
        "types": {"type": "array", "items": _ref("ServiceTypeCode")},
        "organization": {"type": "string", "description": "Its name in `lang`."},
        "address": _nullable("string", description="Street number box, postal code commune."),
        "lat": _nullable("number"),
        "lon": _nullable("number"),
        "communes": {"type": "array", "items": {"type": "string"},
                     "description": "REFNIS codes of the communes covered."},
        "covers_commune": _nullable("boolean", description="null when the answer has no "
                                                           "`commune`."),
        "distance_km": _nullable("number", description="From `near` or the commune's centre, "
                                                       "to 0.1 km; null without either. A "
                                                       "service without an exact address is "
                                                       "measured from its commune's point."),
        "url": {"type": "string", "description": "The service's page on this site."},
        "last_verified_at": _nullable("string", format="date"),
        "is_demo": {"type": "boolean", "description": "A demonstration entry, not a real "
                                                      "service."},
    }),
    "ServiceList": _optional("removed", _object({
        "results": {"type": "array", "items": _ref("ServiceSummary")},
        "total": {"type": "integer", "description": "Matching services, all pages."},
        "page": {"type": "integer"},
        "per_page": {"type": "integer"},
        "removed": {"type": "array", "items": {"type": "integer"},
                    "description": "Only with `modified_after`: the ids of the services "
                                   "written since then that are no longer published "
                                   "(archived, or waiting to be published again)."},
        "commune": {
            "type": ["object", "null"],
            "description": "The commune the services were ranked for: `commune` as asked, or "
                           "the commune `near` lies in; null without either (or for a "
                           "position in no commune).",
            "required": ["refnis", "name", "approximate"],
            "properties": {
                "refnis": {"type": "string", "pattern": "^[0-9]{5}$"},
                "name": {"type": "string", "description": "Its name in `lang`."},
                "approximate": {"type": "boolean",
                                "description": "true when the position lies in a canton of "
                                               "several communes and was given the one whose "
                                               "point is nearest."},
            },
        },
    })),
    "Location": _object({
        "address": {"type": "string"},
        "street": {"type": "string"},
        "number": {"type": "string"},
        "box": {"type": "string"},
        "postal_code": {"type": "string"},
        "refnis": {"type": "string"},
        "commune": {"type": "string", "description": "The commune's name in `lang`."},
        "lat": _nullable("number"),
        "lon": _nullable("number"),
        "geocode_precision": {"type": ["string", "null"],
                              "enum": ["address", "street", "postal-code", "commune", None]},
        "wheelchair_access": _nullable("boolean", description="null when unknown"),
        "opening_hours": _object(
            {day: {"type": "array", "items": {
                "type": "array", "items": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"},
                "minItems": 2, "maxItems": 2}}
             for day in WEEKDAYS},
            "Opening periods per weekday, e.g. {\"mon\": [[\"09:00\", \"12:00\"]]}.",
        ),
        "by_appointment": {"type": "boolean"},
        "note": _ref("Translations"),
    }),
    "ServiceDetail": _object({
        "id": {"type": "integer"},
        "lang": {"type": "string", "enum": LANGS, "description": "The language asked."},
        "name": _ref("LocalizedText"),
        "description": _ref("LocalizedText"),
        "texts": _object(
            {field: _ref("Translations") for field in (
                "name", "description", "cost_note", "target_public", "how_to_request",
                "conditions")},
            "Every text of the service, in every language.",
        ),
        "types": {"type": "array", "items": _ref("ServiceTypeCode")},
        "handles_sac_minors": {"type": "boolean"},
        "free_of_charge": {"type": "boolean"},
        "languages": {"type": "array", "items": {"type": "string"},
                      "description": "ISO 639-1 codes of the languages the mediators speak."},
        "email": _nullable("string"),
        "phone": _nullable("string", description="E.164"),
        "website": _nullable("string"),
        "organization": _object({
            "kind": {"type": "string", "enum": ["commune", "cpas", "police_zone", "province",
                                                "intercommunal", "non_profit"]},
            "name": {"type": "string"},
            "names": _ref("Translations"),
        }),
        "locations": {"type": "array", "items": _ref("Location"),
                      "description": "The main office first."},
        "communes": {"type": "array", "items": _object({
            "refnis": {"type": "string"},
            "name": {"type": "string"},
            "note": _ref("Translations"),
        }), "description": "The communes covered; a note tells a partial coverage."},
        "last_verified_at": _nullable("string", format="date"),
        "is_demo": {"type": "boolean"},
        "url": {"type": "string"},
    }),
    "MapPoints": _object({
        "columns": {"type": "array", "items": {"type": "string"},
                    "description": 'Always ["id", "lat", "lon", "name"].'},
        "url": {"type": "string", "description": "A service's page, `{id}` standing for its id."},
        "points": {"type": "array", "items": {
            "type": "array", "minItems": 4, "maxItems": 4,
            "items": {"anyOf": [{"type": "number"}, {"type": "string"}]},
            "description": "[id, lat, lon, name]: 5 decimals, the name in `lang`."}},
    }),
    "FeatureCollection": _object({
        "type": {"const": "FeatureCollection"},
        "features": {"type": "array", "items": _object({
            "type": {"const": "Feature"},
            "geometry": _object({
                "type": {"const": "Point"},
                "coordinates": {"type": "array", "items": {"type": "number"},
                                "minItems": 2, "maxItems": 2,
                                "description": "[lon, lat], 5 decimals."},
            }),
            "properties": _object({
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "types": {"type": "array", "items": _ref("ServiceTypeCode")},
                "is_demo": {"type": "boolean"},
                "url": {"type": "string"},
            }),
        })},
    }),
}

RESPONSES = {
    "BadRequest": _json(_ref("Error"), "A parameter cannot be used; `code` says which."),
    "NotFound": _json(_ref("Error"), "Nothing here."),
    "TooManyRequests": {
        **_json(_ref("Error"), "Too many requests from one address in a minute."),
        "headers": {"Retry-After": {"schema": {"type": "integer"},
                                    "description": "Seconds to wait."}},
    },
    "Unavailable": {
        **_json(_ref("Error"), "The database does not answer; try again later."),
        "headers": {"Retry-After": {"schema": {"type": "integer"},
                                    "description": "Seconds to wait."}},
    },
}
# What any operation may answer besides its own.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_HEADERS = {
    "ETag": {"schema": {"type": "string"},
             "description": "Names the directory's version; send it back in If-None-Match."},
    "Last-Modified": {"schema": {"type": "string"},
                      "description": "When a service was last written; send it back in "
                                     "If-Modified-Since."},
    "Cache-Control": {"schema": {"type": "string"}, "description": "public, max-age=300"},
}
NOT_MODIFIED = {"description": "Unchanged since the ETag sent in If-None-Match (or the moment "
                               "in If-Modified-Since)."}

COMMON_RESPONSES = {"429": {"$ref": "#/components/responses/TooManyRequests"},
                    "503": {"$ref": "#/components/responses/Unavailable"}}

CSV_COLUMNS_DESCRIPTION = (
    "One row per published service, ordered by id, after a header row: "
    + ", ".join(CSV_COLUMNS)
    + ". Lists are separated by `|`; booleans are `true`/`false`; `url` is absolute. A text "
    "cell starting with = + - or @ gets a leading `'`, so that spreadsheets do not run it as "
    "a formula."
)


def _get(summary: str, parameters: list, responses: dict, description: str = "") -> dict:
    operation = {"summary": summary, "parameters": parameters,
                 "responses": {**responses, **COMMON_RESPONSES}}
    if description:
        operation["description"] = description
    return {"get": operation}


def _parameters() -> dict:
    """Return the parameters, `commune` listing the codes of the communes the API knows."""
    commune = PARAMETERS["commune"]
    codes = [*sorted(get_index().communes), ""]
    return {**PARAMETERS, "commune": {**commune, "schema": {**commune["schema"], "enum": codes}}}


def openapi_document() -> dict:
    """Return the OpenAPI 3.1 document of every /api/v1 endpoint."""
    bad = {"400": {"$ref": "#/components/responses/BadRequest"}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Local public mediation services in Belgium",
            "version": "1.0.0",
            "description": "Read-only open data of the national directory of local public "
                           "mediation services. GET only, CORS open. Errors are "
                           "`{\"error\": {\"code\", \"message\"}}`. Entries with `is_demo: true` "
                           "are demonstrations, not real services.",
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "paths": {
            "/api/v1/communes": _get(
                "Communes a text may mean, best first",
                [_param("commune_query"), _param("lang"), _param("limit")],
                {"200": _json(_ref("CommuneList"), "The matching communes."), **bad},
            ),
            "/api/v1/services": _get(
                "Published services: those covering a commune first, then the nearest",
                FILTERS + [_param("page"), _param("per_page"), _param("modified_after")],
                {"200": _json(_ref("ServiceList"), "One page of services."), **bad},
                "Without `commune` or `near` the services are ordered by id.",
            ),
            "/api/v1/services/{service_id}": {
                "get": {
                    "summary": "The whole public record of one published service",
                    "parameters": [
                        {"name": "service_id", "in": "path", "required": True,
                         "schema": {"type": "integer", "minimum": 1}},
                        _param("lang"),
                    ],
                    "responses": {
                        "200": _json(_ref("ServiceDetail"), "The service, in every language."),
                        **bad,
                        "404": {"$ref": "#/components/responses/NotFound"},
                        **COMMON_RESPONSES,
                    },
                },
            },
            "/api/v1/services.geojson": _get(
                "The map: the main location of every matching published service",
                FILTERS,
                {
                    "200": {
                        "description": "Services without coordinates are left out.",
                        "headers": EXPORT_HEADERS,
                        "content": {"application/geo+json": {"schema": _ref("FeatureCollection")}},
                    },
                    "304": NOT_MODIFIED,
                    **bad,
                },
                "Not paginated. Send the ETag back in `If-None-Match` to get a 304 when "
                "nothing changed.",
            ),
            "/api/v1/services.points": _get(
                "The map, compact: one row [id, lat, lon, name] per matching published service",
                FILTERS,
                {
                    "200": {
                        "description": "Services without coordinates are left out. A service's "
                                       "page is `url` with its id in place of `{id}`.",
                        "headers": EXPORT_HEADERS,
                        "content": {"application/json": {"schema": _ref("MapPoints")}},
                    },
                    "304": NOT_MODIFIED,
                    **bad,
                },
                "The same services as services.geojson, a tenth of its size: what the search "
                "page's map loads. Not paginated; cacheable like the GeoJSON (ETag).",
            ),
            "/api/v1/services.csv": _get(
                "The open-data export of the matching published services",
                FILTERS,
                {
                    "200": {
                        "description": CSV_COLUMNS_DESCRIPTION,
                        "headers": {**EXPORT_HEADERS, "Content-Disposition": {
                            "schema": {"type": "string"},
                            "description": 'attachment; filename="mediation-services.csv"'}},
                        "content": {"text/csv": {"schema": {"type": "string"}}},
                    },
                    "304": NOT_MODIFIED,
                    **bad,
                },
                "Typed by the data package, /api/v1/datapackage.json.",
            ),
            "/api/v1/services.xlsx": _get(
                "The same export as a spreadsheet",
                FILTERS,
                {
                    "200": {
                        "description": "The CSV's columns and rows, in one sheet.",
                        "headers": {**EXPORT_HEADERS, "Content-Disposition": {
                            "schema": {"type": "string"},
                            "description": 'attachment; filename="mediation-services.xlsx"'}},
                        "content": {XLSX: {"schema": {"type": "string",
                                                      "contentEncoding": "binary"}}},
                    },
                    "304": NOT_MODIFIED,
                    **bad,
                },
            ),
            "/api/v1/datapackage.json": _get(
                "The Frictionless data package of the CSV files",
                [],
                {
                    "200": {
                        "description": "A Table Schema per CSV file (services, and the "
                                       "communes' coverage): codes and phones as text, "
                                       "booleans, dates and numbers typed, keys and foreign "
                                       "keys.",
                        "headers": EXPORT_HEADERS,
                        "content": {"application/json": {"schema": _object({
                            "profile": {"const": "tabular-data-package"},
                            "name": {"type": "string"},
                            "title": {"type": "string"},
                            "homepage": {"type": "string"},
                            "licenses": {"type": "array", "items": {"type": "object"}},
                            "sources": {"type": "array", "items": {"type": "object"}},
                            "resources": {"type": "array", "items": {"type": "object"}},
                        })}},
                    },
                    "304": NOT_MODIFIED,
                },
            ),
            "/api/v1/openapi.json": _get(
                "This description",
                [],
                {"200": {"description": "OpenAPI 3.1",
                         "content": {"application/json": {"schema": {"type": "object"}}}}},
            ),
        },
        "components": {"schemas": SCHEMAS, "parameters": _parameters(),
                       "responses": RESPONSES},
    }
