"""HTTP caching, so that a proxy can absorb a peak of visits.

- Static files are addressed with a fingerprint of their content (`?v=…`, added by `url_for`)
  and then kept a year, `immutable`; without it, or with an old one, for a short time only.
- Public pages and API answers that nothing personal went into are `public` for a short
  `max-age`, with an ETag to revalidate. Anything that sets a cookie, or answers a visitor
  who has a session, stays `private`.
"""

import hashlib
import os

from flask import Flask, current_app, request, session
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600
SHARED_ENDPOINTS = ("public.", "api.")

_fingerprints: dict[tuple, str] = {}


def asset_path(endpoint: str, values: dict) -> str | None:
    """Return the file a static or vendor URL serves, or None."""
    from .web import vendor_directory

    if endpoint == "static":
        folder = current_app.static_folder
    elif endpoint == "vendor":
        folder = vendor_directory(values.get("package", ""))
    else:
        return None
    return safe_join(folder, values.get("filename", "")) if folder else None


def fingerprint(path: str | None) -> str | None:
    """Return a short hash of a file's content (recomputed when the file changes)."""
    try:
        stat = os.stat(path) if path else None
    except OSError:
        return None
    if stat is None:
        return None
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _fingerprints:
        with open(path, "rb") as handle:
            _fingerprints[key] = hashlib.sha256(handle.read()).hexdigest()[:16]
    return _fingerprints[key]


def personal_request() -> bool:
    """Does the visitor carry a session (signed in, a flashed message, a form's token)? Then
    what is answered may be theirs alone."""
    return current_app.config["SESSION_COOKIE_NAME"] in request.cookies


def init_app(app: Flask) -> None:
    @app.url_defaults
    def add_fingerprint(endpoint, values):
        if endpoint in ("static", "vendor") and "v" not in values:
            version = fingerprint(asset_path(endpoint, values))
            if version:
                values["v"] = version

    def cache_headers(response):
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        control = response.cache_control
        if request.endpoint in ("static", "vendor"):
            control.no_cache = False  # send_file's default: revalidate every time
            current = fingerprint(asset_path(request.endpoint, request.view_args or {}))
            if current and request.args.get("v") == current:
                control.public, control.max_age, control.immutable = True, YEAR, True
            else:
                control.public, control.max_age = True, app.config["PUBLIC_MAX_AGE"]
            return response
        if "Cache-Control" in response.headers:  # the view decided (the map's GeoJSON)
            return response
        personal = "Set-Cookie" in response.headers or session.modified or personal_request()
        if personal or not (request.endpoint or "").startswith(SHARED_ENDPOINTS):
            control.private, control.no_cache = True, True
            return response
        control.public, control.max_age = True, app.config["PUBLIC_MAX_AGE"]
        if not response.direct_passthrough:
            response.add_etag()
            response.make_conditional(request)
        return response

    # Registered first so that it runs last: after every other hook has set its cookies.
    app.after_request_funcs.setdefault(None, []).insert(0, cache_headers)
