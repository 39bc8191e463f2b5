"""The compact finder a commune puts on its own site: /<lang>/embed?commune=REFNIS, in a frame.

The only page that other sites may frame (the rest refuses frames); no map, no script, links
open the directory's full pages in a new tab."""

from flask import g, render_template, request

from .. import gazetteer
from ..directory.reading import search as queries
from ..i18n import current_language, pick_commune_name
from ..situations import understand_search
from .routes import bp

QUERY_MAX_LENGTH = 100


@bp.get("/embed")
def embed():
    """Answer a commune (asked, or typed in the box) with the services serving its residents."""
    g.frameable = True
    refnis = request.args.get("commune", "").strip()
    typed = request.args.get("q", "").strip()[:QUERY_MAX_LENGTH]
    index = gazetteer.get_index()
    choices, unknown = [], False
    if typed:
        understood = understand_search(typed)[2]
        if understood and understood.chosen:
            refnis = understood.chosen.refnis
        elif understood and understood.choices:
            choices = [(pick_commune_name(index.communes[m.refnis].names,
                                          index.communes[m.refnis].region_code,
                                          current_language(), m.refnis), m.refnis)
                       for m in understood.choices]
            refnis = ""
        else:
            unknown, refnis = True, ""
    elif refnis and refnis not in index.communes:
        unknown, refnis = True, ""
    coverage = queries.commune_coverage(queries.Filters(commune=refnis), nearby=0) \
        if refnis else None
    return render_template("public/embed.html", coverage=coverage, typed=typed,
                           choices=choices, unknown=unknown, refnis=refnis)
