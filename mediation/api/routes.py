"""The read-only JSON API, /api/v1 (DESIGN §5). Errors are {"error": {"code", "message"}}."""

import gzip
import hashlib
from dataclasses import replace

from flask import Blueprint, Response, current_app, jsonify, request
from flask_babel import gettext as _
from werkzeug.http import is_resource_modified

from .. import gazetteer
from ..directory.exchange import exporting as exporters
from ..directory.reading import harvest
from ..directory.reading import search as queries
from ..opendata import files
from ..web import api_error
from .mapcache import MapBodies
from .openapi import openapi_document
from .schemas import (
    ParameterError,
    commune_result,
    geojson_body,
    lang_param,
    limit_param,
    moment_param,
    page_params,
    points_body,
    service_detail,
    service_filters,
    service_summary,
    searched_commune,
    service_url_maker,
    text_param,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# The largest id a database integer column holds; anything above cannot exist.


@bp.errorhandler(ParameterError)
def bad_parameter(error: ParameterError):
    return api_error(400, error.code, error.message)


@bp.get("/communes")
def communes():
    """Resolve what a citizen typed to the communes it may mean, best first."""
    lang = lang_param()  # first: the other parameters' errors are then written in it
    query = text_param("q", required=True, max_length=gazetteer.MAX_QUERY_LENGTH)
    limit = limit_param("limit", default=10, maximum=50)
    index = gazetteer.get_index()
    matches = gazetteer.search_index(index, query, limit)
    return jsonify(results=[commune_result(index.communes[m.refnis], m, lang) for m in matches])


# Whole answers, by what was asked, for the directory's version: a commune's services are read,
# ranked and encoded once per version and per process, then answered for the cost of looking
# the version up. About 12 kB each: at most some 25 MB per process.
_answers = queries.PerVersion(size=2000)


@bp.get("/services")
def services():
    """List published services: those covering the commune first, then the nearest."""
    lang = lang_param()  # first: the other parameters' errors are then written in it
    filters, (page, per_page) = service_filters(), page_params()
    filters = replace(filters, modified_after=moment_param("modified_after"))
    if filters.modified_after is not None:  # a harvester's moment: asked once, never again
        return jsonify(services_answer(filters, page, per_page, lang))
    key = (filters, page, per_page, lang, request.script_root)
    body = _answers.get(
        key, lambda: jsonify(services_answer(filters, page, per_page, lang)).get_data())
    return current_app.response_class(body, mimetype=current_app.json.mimetype)


def services_answer(filters, page: int, per_page: int, lang: str) -> dict:
    """The answer of /services, as the description says (no request-bound state but `lang`)."""
    found = queries.search_services(filters, page=page, per_page=per_page)
    url = service_url_maker(lang)
    answer = dict(results=[service_summary(hit, lang, url) for hit in found.hits],
                  total=found.total, page=found.page, per_page=found.per_page,
                  commune=searched_commune(found, lang))
    if filters.modified_after is not None:  # never silently missing: what left is said
        answer["removed"] = harvest.removed_since(filters.modified_after)
    return answer


@bp.get("/services/<int:service_id>")
def service(service_id: int):
    """Return the whole public record of one published service, in every language."""
    lang = lang_param()
    found = queries.get_published_service(service_id)
    if found is None:
        return api_error(404, "service_not_found",
                         _("No published service has the number %(id)d.", id=service_id))
    return jsonify(service_detail(found, lang))


_maps = MapBodies()


@bp.get("/services.geojson")
def services_geojson():
    """Return the map: one point per published service, cacheable, with an ETag."""
    lang = lang_param()
    filters = service_filters()
    url = service_url_maker(lang, external=True)
    return map_answer(lang, filters, "application/geo+json",
                      lambda: geojson_body(exporters.map_points(filters), lang, url))


@bp.get("/services.points")
def services_points():
    """Return the map as one compact array: [id, lat, lon, name] per published service."""
    lang = lang_param()
    filters = service_filters()
    url = service_url_maker(lang, external=True)("{id}")
    return map_answer(lang, filters, "application/json",
                      lambda: points_body(exporters.map_points(filters), lang, url))


def map_answer(lang: str, filters, mimetype: str, build) -> Response:
    """Answer with a body of the map (`build()` gives its bytes, built outside the request),
    gzipped when the client accepts it.

    The directory's version names the body: a client (or worker) that has it needs nothing
    rebuilt until a service is written. Right after a write, the previous body may be answered,
    under its own ETag, while the new one is built (mapcache).
    """
    gzipped = request.accept_encodings["gzip"] > 0

    def built() -> bytes:
        body = build()
        # Coordinates and ids repeat: gzip makes the 10,000-service map a tenth of its size.
        return gzip.compress(body, compresslevel=6, mtime=0) if gzipped else body

    key = (request.path, lang, filters.type, filters.language, filters.q, gzipped,
           request.host_url)
    body = _maps.get(key, queries.directory_version(), built)
    response = current_app.response_class(mimetype=mimetype)
    response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = "public, max-age=300"
    response.set_etag(body.etag)
    response.last_modified = body.last_modified
    if not is_resource_modified(request.environ, etag=body.etag,
                                last_modified=body.last_modified):
        response.status_code = 304
        return response
    response.set_data(body.data)
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    return response


def export(build, mimetype: str, filename: str | None = None):
    """Answer with a file that changes only when a service is written: ETag and Last-Modified
    name the directory's version, and a client that has this version gets a 304."""
    version = queries.directory_version()
    query = sorted(request.args.items(multi=True))
    # The settings the files name (publisher, licence, address) change them too.
    settings = [current_app.config.get(key) for key in (
        "PUBLIC_BASE_URL", "OPEN_DATA_LICENSE", "PUBLISHER_NAME", "PUBLISHER_URL",
        "PUBLISHER_EMAIL")]
    etag = hashlib.sha1(repr((version, request.path, query, settings)).encode()).hexdigest()
    response = current_app.response_class(mimetype=mimetype)
    response.set_etag(etag)
    response.last_modified = files.last_change()
    response.headers["Cache-Control"] = "public, max-age=300"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if not is_resource_modified(request.environ, etag=etag,
                                last_modified=response.last_modified):
        response.status_code = 304
        return response
    response.set_data(build())
    return response


@bp.get("/services.csv")
def services_csv():
    """Return the open-data export of the published services as a CSV file."""
    lang = lang_param()
    filters = service_filters()
    return export(lambda: exporters.export_csv(filters, service_url_maker(lang, external=True)),
                  "text/csv", "mediation-services.csv")


@bp.get("/services.xlsx")
def services_xlsx():
    """Return the open-data export of the published services as a spreadsheet."""
    lang = lang_param()
    filters = service_filters()

    def build():
        from ..directory.exchange.files import write_xlsx

        url = service_url_maker(lang, external=True)
        return write_xlsx([("services", list(exporters.export_rows(filters, url)))])

    return export(build, files.DISTRIBUTIONS[2].media_type, "mediation-services.xlsx")


@bp.get("/datapackage.json")
def datapackage():
    """Describe the CSV exports as a Frictionless data package (a Table Schema per file)."""
    return export(files.datapackage_json, "application/json")


@bp.get("/openapi.json")
def openapi():
    """Describe this API in OpenAPI 3.1."""
    return jsonify(openapi_document())

