"""Open Referral HSDS 3.0 under /api/hsds: the published services and their organisations, as
harvesters of social maps read them. Errors are the API's own {"error": {"code", "message"}}."""

from flask import Blueprint, g, jsonify, url_for
from flask_babel import gettext as _
from flask_babel import refresh

from ..directory.reading import harvest as queries
from ..directory.reading.search import MAX_ID, get_published_service
from ..extensions import db
from ..models import Organization
from ..opendata import hsds
from ..web import api_error, public_url
from .schemas import (
    MAX_PAGE,
    ParameterError,
    lang_param,
    limit_param,
    moment_param,
    text_param,
)

bp = Blueprint("hsds", __name__, url_prefix="/api/hsds")

MAX_PER_PAGE = 100


@bp.errorhandler(ParameterError)
def bad_parameter(error: ParameterError):
    return api_error(400, error.code, error.message)


def _language() -> str:
    """The language of texts and labels (`lang`, French by default), for the whole answer."""
    lang = lang_param()
    g.lang = lang
    refresh()
    return lang


def _harvest() -> tuple[queries.Harvest, int, int]:
    harvest = queries.Harvest(modified_after=moment_param("modified_after"),
                              search=text_param("search") or None)
    return harvest, limit_param("page", 1, MAX_PAGE), limit_param("per_page", 20, MAX_PER_PAGE)


def links(lang: str) -> hsds.Links:
    return hsds.Links(
        service=lambda service_id: public_url(
            url_for("public.service", lang=lang, service_id=service_id)),
        commune=lambda refnis: public_url(url_for("public.commune", lang=lang, refnis=refnis)),
    )


@bp.get("/")
def about():
    """Say which HSDS version this API speaks and where its description is."""
    return jsonify(version=hsds.HSDS_VERSION,
                   profile="https://docs.openreferral.org/en/latest/hsds/",
                   openapi_url=public_url(url_for("hsds.openapi")))


@bp.get("/services")
def services():
    """One page of the published services, fully nested; with `modified_after`, the services
    removed since then too (status `defunct` or `inactive`)."""
    lang = _language()
    harvest, page, per_page = _harvest()
    found = queries.harvest_services(harvest, page, per_page)
    to = links(lang)
    return jsonify(hsds.page_of([hsds.service_record(s, lang, to) for s in found.items],
                                found.total, page, per_page))


@bp.get("/services/<service_uuid>")
def service(service_uuid: str):
    """One published service by its HSDS UUID."""
    lang = _language()
    service_id = _find(service_uuid, queries.published_service_ids(), hsds.service_uuid)
    found = get_published_service(service_id) if service_id else None
    if found is None:
        return api_error(404, "service_not_found",
                         _("No published service has the identifier %(id)s.", id=service_uuid))
    return jsonify(hsds.service_record(found, lang, links(lang)))


@bp.get("/organizations")
def organizations():
    """One page of the organisations that run published services."""
    lang = _language()
    harvest, page, per_page = _harvest()
    found = queries.harvest_organizations(harvest, page, per_page)
    return jsonify(hsds.page_of([hsds.organization_record(o, lang) for o in found.items],
                                found.total, page, per_page))


@bp.get("/organizations/<organization_uuid>")
def organization(organization_uuid: str):
    """One organisation running published services, by its HSDS UUID."""
    lang = _language()
    organization_id = _find(organization_uuid, queries.published_organization_ids(),
                            hsds.organization_uuid)
    found = db.session.get(Organization, organization_id) if organization_id else None
    if found is None:
        return api_error(404, "organization_not_found",
                         _("No organisation has the identifier %(id)s.", id=organization_uuid))
    return jsonify(hsds.organization_record(found, lang))


@bp.get("/openapi.json")
def openapi():
    """Describe this HSDS API in OpenAPI 3.1."""
    from .hsds_openapi import hsds_openapi_document

    return jsonify(hsds_openapi_document())


def _find(wanted: str, ids: list[int], uuid_of) -> int | None:
    """The id whose derived UUID is `wanted` (UUIDs are derived, not stored)."""
    wanted = wanted.lower()
    return next((i for i in ids if 0 < i <= MAX_ID and uuid_of(i) == wanted), None)
