"""For search engines: /sitemap.xml and /robots.txt, every link absolute from PUBLIC_BASE_URL."""

from xml.sax.saxutils import escape

from flask import Blueprint, current_app, render_template_string, url_for, send_from_directory
from sqlalchemy import select

from ..config import LANGUAGES
from ..extensions import db, limiter
from ..gazetteer import get_index
from ..models import Service, ServiceStatus
from ..web import public_url

bp = Blueprint("crawlers", __name__)

STATEMENTS = ("about", "accessibility", "privacy", "open-data")

ROBOTS = """User-agent: *
{% for lang in languages %}Disallow: /{{ lang }}/account/
Disallow: /{{ lang }}/manage/
Disallow: /{{ lang }}/admin/
{% endfor %}
Sitemap: {{ sitemap }}
"""


def sitemap_paths():
    """Every public page worth indexing, in every language, at its one address: home, guide,
    statements, coverage, communes, services."""
    services = db.session.scalars(
        select(Service.id).where(Service.status == ServiceStatus.published)
        .order_by(Service.id)).all()
    communes = sorted(get_index().communes)
    for lang in LANGUAGES:
        yield url_for("public.index", lang=lang)
        yield url_for("public.guide", lang=lang)
        for page in STATEMENTS:
            yield url_for("public.statement", lang=lang, page=page)
        yield url_for("public.coverage_view", lang=lang)
        for refnis in communes:
            yield url_for("public.commune", lang=lang, refnis=refnis)
        for service_id in services:
            yield url_for("public.service", lang=lang, service_id=service_id)


@bp.get("/sitemap.xml")
@limiter.exempt
def sitemap():
    """List the public pages for search engines."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<url><loc>{escape(public_url(path))}</loc></url>" for path in sitemap_paths()]
    lines.append("</urlset>")
    response = current_app.response_class("\n".join(lines) + "\n", mimetype="application/xml")
    response.cache_control.public, response.cache_control.max_age = True, 3600
    return response


@bp.get("/favicon.ico")
@limiter.exempt
def favicon():
    """The icon browsers ask for at the root of any site, whatever the page."""
    response = send_from_directory(current_app.static_folder, "favicon.ico",
                                   mimetype="image/vnd.microsoft.icon", max_age=7 * 24 * 3600)
    response.cache_control.public = True
    return response


@bp.get("/robots.txt")
@limiter.exempt
def robots():
    """Let search engines index the public pages, not the staff ones."""
    body = render_template_string(ROBOTS, languages=LANGUAGES,
                                  sitemap=public_url(url_for("crawlers.sitemap")))
    return current_app.response_class(body, mimetype="text/plain")
