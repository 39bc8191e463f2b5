"""The OpenAPI 3.1 description of /api/hsds, the Open Referral HSDS 3.0 profile of the API.

The records' schemas are Open Referral's own, referred to where Open Referral publishes them.
"""

from ..config import LANGUAGES
from .hsds import MAX_PER_PAGE
from .openapi import TEXT_PATTERN
from .schemas import MAX_PAGE, MOMENT_PATTERN

SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


def _param(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _page_of(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {
        "allOf": [{"$ref": "#/components/schemas/Page"}],
        "properties": {"contents": {"type": "array",
                                    "items": {"$ref": f"{SCHEMA_BASE}{schema}"}}},
    }}}}


def _one(schema: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"{SCHEMA_BASE}{schema}"}}}}


def _uuid_path(name: str, what: str) -> dict:
    return {"name": name, "in": "path", "required": True,
            "description": f"The {what}'s HSDS identifier, stable from one harvest to the next.",
            "schema": {"type": "string", "format": "uuid"}}


LIST_PARAMETERS = [_param(n) for n in ("search", "page", "per_page", "modified_after", "lang")]

PARAMETERS = {
    "lang": {"name": "lang", "in": "query", "required": False,
             "description": "Language of the texts and labels; a text missing in it is given "
                            "in the next one (nl→fr, fr→nl, de→fr, en→fr). The names in the "
                            "other languages are in `alternate_name`.",
             "schema": {"type": "string", "enum": list(LANGUAGES), "default": "fr"}},
    "search": {"name": "search", "in": "query", "required": False,
               "description": "Words of the service's or the organisation's name, in any "
                              "language; every word must match.",
               "schema": {"type": "string", "maxLength": 100, "pattern": TEXT_PATTERN}},
    "page": {"name": "page", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
    "per_page": {"name": "per_page", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                            "default": 20}},
    "modified_after": {
        "name": "modified_after", "in": "query", "required": False,
        "description": "Only what was written after this moment (ISO 8601; UTC when no offset "
                       "is given, a day starts at midnight UTC). On /services, the services "
                       "taken off the directory since then are listed too, with only their "
                       "`id`, an empty `name`, `last_modified` and `status` `defunct` "
                       "(archived) or `inactive` (waiting to be published again).",
        "schema": {"type": "string", "pattern": f"^$|{MOMENT_PATTERN}"},
        "example": "2026-11-30T08:00:00Z",
    },
}


def hsds_openapi_document() -> dict:
    """Return the description of every /api/hsds route."""
    bad = _error("A parameter the API cannot use, explained in the language asked.")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Local mediation services in Belgium — Open Referral HSDS 3.0",
            "version": "3.0",
            "description": "The published services and the organisations running them, as "
                           "Open Referral's Human Services Data Specification 3.0. Read-only, "
                           "no key, CORS open. Identifiers are UUIDs derived from the "
                           "directory's own, stable across harvests. A service's areas are "
                           "the communes it covers: `name` and, in an attribute of the "
                           "taxonomy `be-statbel-refnis`, the commune's REFNIS (NIS) code. "
                           "An organisation's KBO/BCE number is an identifier of scheme "
                           "`BE-BCE_KBO`. Provenance (the list or page a service was taken "
                           "from, its confirmation) is in `metadata`.",
        },
        "paths": {
            "/api/hsds/": {"get": {
                "summary": "Which HSDS version this API speaks",
                "operationId": "getAPIMetaInformation",
                "responses": {"200": {"description": "Version, profile and this description.",
                                      "content": {"application/json": {"schema": {
                                          "type": "object",
                                          "required": ["version", "profile", "openapi_url"],
                                          "properties": {
                                              "version": {"type": "string"},
                                              "profile": {"type": "string", "format": "uri"},
                                              "openapi_url": {"type": "string",
                                                              "format": "uri"}}}}}}},
            }},
            "/api/hsds/services": {"get": {
                "summary": "One page of the published services, fully nested",
                "operationId": "getPaginatedListOfServices",
                "parameters": LIST_PARAMETERS,
                "responses": {"200": _page_of("service.json", "A page of services."),
                              "400": bad},
            }},
            "/api/hsds/services/{service_uuid}": {"get": {
                "summary": "One published service",
                "operationId": "getFullyNestedServiceById",
                "parameters": [_uuid_path("service_uuid", "service"), _param("lang")],
                "responses": {"200": _one("service.json", "The service, fully nested."),
                              "400": bad,
                              "404": _error("No published service has this identifier.")},
            }},
            "/api/hsds/organizations": {"get": {
                "summary": "One page of the organisations running published services",
                "operationId": "getPaginatedListOfOrganizations",
                "parameters": LIST_PARAMETERS,
                "responses": {"200": _page_of("organization.json", "A page of organisations."),
                              "400": bad},
            }},
            "/api/hsds/organizations/{organization_uuid}": {"get": {
                "summary": "One organisation",
                "operationId": "getOrganizationById",
                "parameters": [_uuid_path("organization_uuid", "organisation"),
                               _param("lang")],
                "responses": {"200": _one("organization.json", "The organisation."),
                              "400": bad,
                              "404": _error("No organisation running a published service "
                                            "has this identifier.")},
            }},
            "/api/hsds/openapi.json": {"get": {
                "summary": "This description",
                "operationId": "getOpenAPIDescription",
                "responses": {"200": {"description": "OpenAPI 3.1.",
                                      "content": {"application/json": {
                                          "schema": {"type": "object"}}}}},
            }},
        },
        "components": {
            "parameters": PARAMETERS,
            "schemas": {
                "Page": {"type": "object", "required": [
                    "total_items", "total_pages", "page_number", "size", "first_page",
                    "last_page", "empty", "contents"], "properties": {
                    "total_items": {"type": "integer"},
                    "total_pages": {"type": "integer"},
                    "page_number": {"type": "integer"},
                    "size": {"type": "integer", "description": "Records on this page."},
                    "first_page": {"type": "boolean"},
                    "last_page": {"type": "boolean"},
                    "empty": {"type": "boolean"},
                    "contents": {"type": "array"},
                }},
                "Error": {"type": "object", "required": ["error"], "properties": {
                    "error": {"type": "object", "required": ["code", "message"], "properties": {
                        "code": {"type": "string"}, "message": {"type": "string"}}}}},
            },
        },
    }
