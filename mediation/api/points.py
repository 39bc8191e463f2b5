"""The map's own answer, /api/v1/services.points: the published services as one compact array.

The search page's map needs of each service only where it is and what it is called; GeoJSON
repeats every key for each of ten thousand features. Here each service is one row
[id, lat, lon, name], and its page's address is one template for all of them. The answer is
built once per version of the directory and compressed once; its ETag names that version.
"""

import gzip
import hashlib
import json

from flask import Response, current_app, request
from werkzeug.http import is_resource_modified

from ..directory.exchange.exporting import MapPoint
from ..directory.reading.search import directory_version
from ..i18n import localized
from ..opendata import files
from .schemas import service_url

COLUMNS = ("id", "lat", "lon", "name")
_SAMPLE_ID = 987_654_321
_bodies: dict[tuple, bytes] = {}


def points_document(points: list[MapPoint], lang: str) -> dict:
    """{"columns", "url" (with "{id}" standing for a service's number), "points"}."""
    url = service_url(_SAMPLE_ID, lang, external=True).replace(str(_SAMPLE_ID), "{id}")
    rows = [[p.id, round(p.lat, 5), round(p.lon, 5), localized(p, "name", lang)[0]]
            for p in points]
    return {"columns": list(COLUMNS), "url": url, "points": rows}


def cached_answer(key: tuple, mimetype: str, build) -> Response:
    """The answer `build()` gives (bytes) for this version of the directory and `key`, gzipped
    when the client accepts it, with an ETag and a 304 for a client that has it already."""
    gzipped = request.accept_encodings["gzip"] > 0
    key = (directory_version(), request.path, *key, gzipped)
    etag = hashlib.sha1(repr(key).encode()).hexdigest()
    response = current_app.response_class(mimetype=mimetype)
    response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = "public, max-age=300"
    response.set_etag(etag)
    response.last_modified = files.last_change()
    if not is_resource_modified(request.environ, etag=etag,
                                last_modified=response.last_modified):
        response.status_code = 304
        return response
    body = _bodies.get(key)
    if body is None:
        body = build()
        body = gzip.compress(body, compresslevel=6, mtime=0) if gzipped else body
        if len(_bodies) >= 16:  # older versions and rare filters make way
            _bodies.clear()
        _bodies[key] = body
    response.set_data(body)
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    return response


def points_body(points: list[MapPoint], lang: str) -> bytes:
    return json.dumps(points_document(points, lang), ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")
