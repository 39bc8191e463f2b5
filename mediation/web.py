"""What every page shares: security headers, template helpers and the error pages."""

from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask.globals import request_ctx
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from . import i18n
from .config import LANGUAGES
from .extensions import DATABASE_UNAVAILABLE, rollback_quietly

CDN_ORIGIN = "https://unpkg.com"

LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}


def tile_origin(tile_url: str) -> str:
    """Return the CSP source for a tile URL template ({s}.tile… becomes *.tile…)."""
    parts = urlsplit(tile_url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def content_security_policy(config) -> str:
    """Build the policy: no inline script anywhere, the map's CDN and tile server only."""
    cdn = f" {CDN_ORIGIN}" if config["LEAFLET_ASSETS"] == "cdn" else ""
    tiles = tile_origin(config["TILE_URL"])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self'{cdn}",
            f"style-src 'self'{cdn}",
            f"img-src 'self' data: {tiles}{cdn}".strip(),
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


LEAFLET = {
    "css": [
        ("leaflet", "leaflet.css", "https://unpkg.com/leaflet@1.9.3/dist/leaflet.css",
         "sha384-o/2yZuJZWGJ4s/adjxVW71R+EO/LyCwdQfP5UWSgX/w87iiTXuvDZaejd3TsN7mf"),
        ("leaflet_markercluster", "MarkerCluster.css",
         "https://unpkg.com/leaflet.markercluster@1.4.1/dist/MarkerCluster.css",
         "sha384-lPzjPsFQL6te2x+VxmV6q1DpRxpRk0tmnl2cpwAO5y04ESyc752tnEWPKDfl1olr"),
        ("leaflet_markercluster", "MarkerCluster.Default.css",
         "https://unpkg.com/leaflet.markercluster@1.4.1/dist/MarkerCluster.Default.css",
         "sha384-5kMSQJ6S4Qj5i09mtMNrWpSi8iXw230pKU76xTmrpezGnNJQzj0NzXjQLLg+jE7k"),
    ],
    "js": [
        ("leaflet", "leaflet.js", "https://unpkg.com/leaflet@1.9.3/dist/leaflet.js",
         "sha384-okbbMvvx/qfQkmiQKfd5VifbKZ/W8p1qIsWvE1ROPUfHWsDcC8/BnHohF7vPg2T6"),
        ("leaflet_markercluster", "leaflet.markercluster.js",
         "https://unpkg.com/leaflet.markercluster@1.4.1/dist/leaflet.markercluster.js",
         "sha384-RLIyj5q1b5XJTn0tqUhucRZe40nFTocRP91R/NkRJHwAe4XxnTV77FXy/vGLiec2"),
    ],
}


def map_assets(config) -> dict:
    """Return the map's stylesheets and scripts: CDN with integrity, or the packaged copies.

    The local copies (XStatic packages, same versions) are always listed as `fallback`:
    static/js/map.js loads them when the CDN could not be reached.
    """
    use_cdn = config["LEAFLET_ASSETS"] == "cdn"

    def entry(package, filename, cdn_url, integrity):
        local = url_for("vendor", package=package, filename=filename)
        if use_cdn:
            return {"url": cdn_url, "integrity": integrity, "fallback": local}
        return {"url": local, "integrity": None, "fallback": local}

    return {kind: [entry(*item) for item in items] for kind, items in LEAFLET.items()}


def vendor_directory(package: str) -> str | None:
    """Return the folder of a packaged Leaflet library, or None for any other name."""
    import importlib

    if package not in ("leaflet", "leaflet_markercluster"):
        return None
    return importlib.import_module(f"xstatic.pkg.{package}").BASE_DIR


def vendor(package: str, filename: str):
    """Serve a file of the packaged Leaflet libraries (the CDN's local fallback)."""
    base = vendor_directory(package)
    if base is None:
        abort(404)
    return send_from_directory(base, filename)  # kept as long as caching.py says


BACKGROUND_MAP = "geo/belgium.geojson"  # static/, built by tools/build_boundaries.py


def background_map_digest(app: Flask) -> str:
    """A digest of the background map's content: its URL changes whenever the file does."""
    import hashlib
    from pathlib import Path

    return hashlib.sha1(Path(app.static_folder, BACKGROUND_MAP).read_bytes()).hexdigest()[:12]


def background_map(digest: str):
    """Serve the map's own background of Belgium, cached for a year under its digest."""
    from flask import current_app

    if digest != current_app.extensions["background_map_digest"]:
        abort(404)
    response = send_from_directory(current_app.static_folder, BACKGROUND_MAP,
                                   mimetype="application/geo+json", max_age=31536000)
    response.cache_control.immutable = True
    response.cache_control.public = True
    return response


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def is_open_data_request() -> bool:
    """The API and the catalogue: taken by other sites' scripts, so CORS is open."""
    return request.path.startswith(("/api/", "/open-data/"))


def api_error(status: int, code: str, message: str):
    """Return the API's error shape: {"error": {"code", "message"}}."""
    response = jsonify(error={"code": code, "message": message})
    response.status_code = status
    return response


def public_url(path: str) -> str:
    """An address on the public site: PUBLIC_BASE_URL, then the path."""
    from flask import current_app

    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def canonical_url() -> str:
    """This page's absolute address, query kept (a search's results are its query)."""
    query = request.query_string.decode("utf-8", "replace")
    return public_url(request.path + (f"?{query}" if query else ""))


def switch_language_url(lang: str) -> str:
    """Return the current page's URL in another language, query string kept."""
    if request.endpoint and request.url_rule and "lang" in request.url_rule.arguments:
        args = dict(request.view_args or {})
        args["lang"] = lang
        url = url_for(request.endpoint, **args)
        query = request.query_string.decode("utf-8", "replace")
        return f"{url}?{query}" if query else url
    return url_for("public.index", lang=lang)


class AsciiIntegerConverter(IntegerConverter):
    """`<int:…>` made of 0-9 only: Python's \\d also takes other scripts' digits (١ is 1)."""

    regex = r"[0-9]+"


class SessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, except that an answer only varies on it when there is one.

    Extensions peek at the session on every request (Flask-Login's `current_user`). A visitor
    without a session cookie gets the page everyone without one gets, so a shared cache may
    keep one copy for them all (the proxy passes requests with a session cookie through);
    the read-only API never varies on the cookie.
    """

    def save_session(self, app, session, response):
        super().save_session(app, session, response)
        has_cookie = app.config["SESSION_COOKIE_NAME"] in request.cookies
        if not session.modified and (request.path.startswith("/api/") or not has_cookie):
            response.vary.discard("Cookie")


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    app.url_map.converters["int"] = AsciiIntegerConverter  # before any route is added
    policy = content_security_policy(app.config)
    app.add_url_rule("/vendor/<package>/<path:filename>", "vendor", vendor)
    app.extensions["background_map_digest"] = background_map_digest(app)
    app.add_url_rule("/map/belgium-<digest>.geojson", "background_map", background_map)

    @app.after_request
    def security_headers(response):
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        if g.get("frameable"):  # the embeddable finder: any site may frame it, nothing else
            response.headers["Content-Security-Policy"] = policy.replace(
                "frame-ancestors 'none'", "frame-ancestors *")
        else:
            response.headers["Content-Security-Policy"] = policy
            response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()"
        if app.config["ENV_NAME"] == "production":
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if is_open_data_request() and request.method in ("GET", "HEAD", "OPTIONS"):
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Expose-Headers"] = "ETag, Retry-After"
            if request.method == "OPTIONS":  # the preflight of a cross-origin request
                response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
                response.headers["Access-Control-Allow-Headers"] = "*"
                response.headers["Access-Control-Max-Age"] = "86400"
        elif response.mimetype == "text/html":
            response.headers["Content-Language"] = i18n.current_language()
        return response

    from . import formatting, labels, statements
    from .public.describe import OG_LOCALES, page_description


    from .directory.moderation.incoming import reply_address

    app.jinja_env.filters["colon"] = formatting.colon_filter  # macros without context too
    from .public.jsonld import service_json_ld
    from .public.slugs import slugify

    @app.context_processor
    def template_helpers():
        return {
            "SERVICE_TYPES": labels.SERVICE_TYPES,
            "ORGANIZATION_KINDS": labels.ORGANIZATION_KINDS,
            "language_name": labels.language_name,
            "fmt": formatting,
            "reply_address": reply_address,
            "service_json_ld": service_json_ld,
            "slugify": slugify,
            "map_assets": map_assets(app.config),
            "background_map_url": url_for(
                "background_map", digest=app.extensions["background_map_digest"]),
            "LANGUAGES": LANGUAGES,
            "LANGUAGE_NAMES": LANGUAGE_NAMES,
            "lang": i18n.current_language(),
            "localized": i18n.localized,
            "commune_name": i18n.commune_name,
            "commune_label": i18n.commune_label,
            "kind_text": kind_text,
            "place_name": i18n.place_name,
            "switch_language_url": switch_language_url,
            "public_url": public_url,
            "canonical_url": canonical_url,
            "page_description": page_description,
            "OG_LOCALES": OG_LOCALES,
            "publisher": statements.publisher(app.config),
            "demo_listed": statements.demo_listed,
        }

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # Allow (405), Retry-After (429, 503) and the like are part of the answer.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return error_page(error.code or 500, slug(error), error, headers)

    app.register_error_handler(Exception, unexpected_error)


def unexpected_error(error: Exception):
    """Answer 503 when the database does not answer, else 500; log no typed text."""
    rollback_quietly()
    if database_unavailable(error):
        # The page must not ask the database who is signed in (the rollback expired the
        # account, and loading it again would fail the same way): the session tells.
        from .auth.sessions import user_without_database

        g._login_user = user_without_database()
        return error_page(503, "service_unavailable")
    current_app.logger.exception("Unhandled error on %s", request.path)
    return error_page(500, "internal_error")


def database_unavailable(error: Exception) -> bool:
    """Return whether `error` says the database did not answer; if so, log it in one line."""
    if not isinstance(error, DATABASE_UNAVAILABLE):
        return False
    # Only the kind of failure: its text could hold a statement (never its parameters).
    current_app.logger.warning("Database unavailable on %s: %s", request.path,
                               type(getattr(error, "orig", None) or error).__name__)
    return True


def sent_from_another_site() -> bool:
    """Return whether the browser says a form was posted from another site's page."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    return origin is not None and urlsplit(origin).netloc != request.host


def error_page(status: int, code: str, error: HTTPException | None = None, headers=()):
    """Answer an error in the request's language: JSON for the API, else a page."""
    message = error_message(status)
    if is_api_request():
        response = api_error(status, code, message)
    elif request_ctx.url_adapter is None:  # a Host header no URL can be built for
        response = Response(f"{message}\n{g.get('request_id', '')}\n", status,
                            mimetype="text/plain")
    else:
        g.lang = getattr(g, "lang", None) or i18n.negotiate_language()
        template = "errors/404.html" if status == 404 else "errors/error.html"
        typed = []
        if status == 503:  # nothing typed is lost when the database is away
            from .auth.sessions import typed_fields

            typed = typed_fields()
        response = current_app.make_response(
            (render_template(template, error=error, message=message, typed=typed), status))
    response.headers.extend(headers)
    if status == 503 and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(current_app.config["RETRY_AFTER"])
    return response


def kind_text(service):
    """The admins' standard text of the service's first kind that has one, or None."""
    from .extensions import db
    from .models import KindText

    for code in service.type_codes:
        text = db.session.get(KindText, code)
        if text is not None and i18n.localized(text, "text")[0]:
            return text
    return None


def slug(error: HTTPException) -> str:
    return (error.name or "error").lower().replace(" ", "_")


def error_message(code: int | None) -> str:
    """Return a plain, translated sentence for an HTTP status a visitor may meet."""
    messages = {
        400: _("The request could not be understood. Please check what you typed and try again."),
        404: _("This page does not exist. It may have moved, or the address may be mistyped."),
        405: _("This action is not allowed here."),
        413: _("What you sent is too long. Please shorten it and try again."),
        429: _("Too many requests in a short time. Please wait a minute and try again."),
        503: _("The service is temporarily unavailable. Please try again in a few minutes."),
    }
    return messages.get(code, _("Something went wrong on our side. Please try again later."))


def development_outbox():
    """Development only: the latest mails, waiting or sent, with their links to click."""
    from . import mail

    messages = mail.outbox(limit=50)
    return render_template("dev/outbox.html", messages=messages, links_in=mail.links_in)
