"""Public pages for citizens, in four languages under /<lang>/."""

from flask import Blueprint, redirect, render_template, request, url_for

from .. import gazetteer
from ..i18n import current_language, negotiate_language, pick_commune_name

bp = Blueprint("public", __name__, url_prefix="/<lang>")


@bp.get("/")
def index():
    """Show the search box."""
    return render_template("public/index.html")


@bp.get("/search")
def search():
    """Show the communes a text may mean, without JavaScript."""
    query = request.args.get("q", "").strip()[: gazetteer.MAX_QUERY_LENGTH]
    matches = gazetteer.search_communes(query) if query else []
    index = gazetteer.get_index() if matches else None
    lang = current_language()
    communes = [
        (pick_commune_name(info.names, info.region_code, lang), info, m)
        for m in matches
        for info in [index.communes[m.refnis]]
    ]
    return render_template("public/search.html", query=query, communes=communes)


def root_redirect():
    """Send / to the visitor's language: cookie, then Accept-Language, else French."""
    return redirect(url_for("public.index", lang=negotiate_language()), code=302)
