"""/<lang>/coverage: which communes have a known mediation service, per kind; counts, a map
image, the table of one province at a time, CSV.

The admin area shows the same view of its territory (mediation/admin/coverage.py).
The coverage itself is computed once per version of the directory
(mediation/directory/reading/coverage.py); a page only sorts and renders its share of it.
"""

import csv
import hashlib
import io
import json
import math
from functools import lru_cache
from pathlib import Path

from flask import Response, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.http import is_resource_modified
from wtforms import SelectField

from ..directory.reading import coverage
from ..directory.reading.search import PerVersion, directory_version
from ..forms import option_values, options
from ..i18n import commune_name, place_name
from ..labels import SERVICE_TYPES
from .routes import bp

STATE_LABELS = {
    "own": _l("Own service"),
    "shared": _l("Shared service"),
    "none": _l("None known"),
}
ALL_AREAS = "all"
# Up to this many communes are listed at once without a choice (an admin's territory, a
# state chosen): the whole country's table would make the page heavy on a phone.
LISTED_WITHOUT_CHOICE = 100


class CoverageForm(FlaskForm):
    """The view's choices: which kind of mediation the map colours, which communes are listed."""

    class Meta:
        csrf = False  # a GET form: the URL is the state and can be shared

    kind = SelectField(_l("Kind of mediation"), validate_choice=False)
    state = SelectField(_l("Communes listed"), validate_choice=False)
    area = SelectField(_l("Province or region"), validate_choice=False)

    def __init__(self, areas, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = options([("", _l("Any kind"))] + list(SERVICE_TYPES.items()))
        self.state.choices = options([("", _l("Every commune"))] + list(STATE_LABELS.items()))
        self.area.choices = options([("", _l("Choose one")), (ALL_AREAS, _l("All of them"))]
                                    + [(area.code, place_name(area)) for area in areas])

    def value(self, name: str) -> str:
        """The chosen value, or "" when it is not one of the choices."""
        data = self[name].data or ""
        return data if data in option_values(self[name]) else ""


def areas_of(rows) -> list:
    """The provinces (and Brussels, which has none) of these communes, by name."""
    found = {row.commune.area.code: row.commune.area for row in rows}
    return sorted(found.values(), key=lambda area: place_name(area).casefold())


def coverage_page(template: str, rows, map_url: str, **context):
    """Render a coverage page: counts per area, the map image, then one area's communes."""
    areas = areas_of(rows)
    form = CoverageForm(areas, request.args)
    kind, state, area = form.value("kind"), form.value("state"), form.value("area")
    matching = [row for row in rows if not state or row.state(kind) == state]
    if area and area != ALL_AREAS:
        listed = [row for row in matching if row.commune.area_code == area]
    elif area or len(matching) <= LISTED_WITHOUT_CHOICE:
        listed = matching
    else:
        listed = None  # the reader chooses an area first
    if listed:
        listed = sorted(listed, key=lambda row: commune_name(row.commune).casefold())
    names = coverage.area_names()
    counts = coverage.area_counts(rows, kind)
    return render_template(
        template, form=form, kind=kind, state=state, area=area, listed=listed,
        matching=len(matching), areas=counts, kinds=list(SERVICE_TYPES),
        states=coverage.STATES, state_labels=STATE_LABELS, all_areas=ALL_AREAS,
        area_label=lambda code: place_name(names[code]) if code in names else code,
        map_url=map_url, map_size=MAP_SIZE, map_alt=map_alt(counts[0]), **context)


def map_alt(total) -> str:
    return _("Map of the communes by state: %(own)d with a service of their own, %(shared)d "
             "with a shared service, %(none)d with none known. The table lists them.",
             own=total.counts["own"], shared=total.counts["shared"], none=total.counts["none"])


def coverage_csv(rows, filename: str) -> Response:
    """The communes and their states as CSV (stable column keys and state codes)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(coverage.csv_rows(rows, list(SERVICE_TYPES)))
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


# The map image: Belgium's arrondissements in grey, one dot per commune in its state's colours
# (those of static/css/coverage.css), drawn once per version rather than by script in the page.
WEST, SOUTH, EAST, NORTH = 2.50, 49.46, 6.44, 51.53
SCALE_X = math.cos(math.radians((SOUTH + NORTH) / 2))
MAP_WIDTH = 1000
MAP_SIZE = (MAP_WIDTH, round(MAP_WIDTH * (NORTH - SOUTH) / ((EAST - WEST) * SCALE_X)))
DOT_RADIUS = 6
DOT_STYLES = {
    "own": 'fill="#1d6b38" stroke="#1d6b38"',
    "shared": 'fill="#f0b46e" stroke="#8a4500"',
    "none": 'fill="#ffffff" stroke="#a4161a"',
}


def project(lon: float, lat: float) -> tuple[float, float]:
    """The position of a point in the image (pixels from the top left)."""
    return ((lon - WEST) / (EAST - WEST) * MAP_SIZE[0],
            (NORTH - lat) / (NORTH - SOUTH) * MAP_SIZE[1])


@lru_cache(maxsize=1)
def outline_path() -> str:
    """The arrondissements of static/geo/belgium.geojson as one SVG path, to the pixel."""
    static = Path(current_app.static_folder)
    data = json.loads((static / "geo" / "belgium.geojson").read_text("utf-8"))
    parts = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" \
            else [geometry["coordinates"]]
        for ring in (ring for polygon in polygons for ring in polygon):
            points = [f"{x:.0f} {y:.0f}" for x, y in (project(lon, lat) for lon, lat in ring)]
            parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


def coverage_svg(rows, kind: str) -> str:
    """The map image: one dot per commune, one path per state."""
    dots = {state: [] for state in coverage.STATES}
    for row in rows:
        x, y = project(row.commune.lon, row.commune.lat)
        dots[row.state(kind)].append(
            f"M{x - DOT_RADIUS:.1f} {y:.1f}a{DOT_RADIUS} {DOT_RADIUS} 0 1 0 {2 * DOT_RADIUS} 0"
            f"a{DOT_RADIUS} {DOT_RADIUS} 0 1 0 {-2 * DOT_RADIUS} 0")
    width, height = MAP_SIZE
    paths = "".join(
        f'<path data-state="{state}" data-communes="{len(dots[state])}" {DOT_STYLES[state]} '
        f'd="{"".join(dots[state])}"/>' for state in coverage.STATES if dots[state])
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}">'
            f'<path fill="#e4eaef" stroke="#ffffff" stroke-width="2" d="{outline_path()}"/>'
            f'<g stroke-width="3" fill-opacity="0.9">{paths}</g></svg>')


_images = PerVersion(size=64)


def map_image(rows, scope: str, public: bool) -> Response:
    """The map image of the communes `rows()` returns, for the kind asked; `scope` names them
    (the country, or an admin's territory). The ETag names the directory's version."""
    kind = CoverageForm([], request.args).value("kind")
    version = directory_version()
    etag = hashlib.sha1(f"{version}|{scope}|{kind}".encode()).hexdigest()
    response = Response(mimetype="image/svg+xml")
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"{'public' if public else 'private'}, max-age=300"
    if not is_resource_modified(request.environ, etag=etag):
        response.status_code = 304
        return response
    response.set_data(_images.get((scope, kind), lambda: coverage_svg(rows(), kind), version))
    return response


@bp.get("/coverage")
def coverage_view():
    """Every commune's state per kind of mediation, counting published services only."""
    return coverage_page("public/coverage.html", coverage.coverage(),
                         url_for("public.coverage_map", kind=request.args.get("kind") or None),
                         csv_url=url_for("public.coverage_download"))


@bp.get("/coverage.svg")
def coverage_map():
    """The public coverage as an image: one dot per commune, coloured by its state."""
    return map_image(coverage.coverage, "country", public=True)


@bp.get("/coverage.csv")
def coverage_download():
    """The public coverage as CSV, with the ETag and Last-Modified of every open-data file."""
    from ..api.routes import export
    from ..opendata import files

    return export(files.coverage_csv, "text/csv", "coverage.csv")
